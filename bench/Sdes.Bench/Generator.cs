using System.Text;
using System.Text.Json;
using Sdes.Domain.Common;
using Sdes.Domain.Communications;
using Sdes.Domain.Organisations;
using Sdes.Domain.Processes;

namespace Sdes.Bench;

/// <summary>An organisation as the generator needs it: its id and its users (index 0 of the viewer organisation is the viewer).</summary>
internal sealed record OrgInfo(int Index, Guid Id, OrgSpec Spec, IReadOnlyList<(Guid Id, string Name)> Users);

internal sealed record ProcessInfo(BusinessProcess Process)
{
    public Guid Id => Process.Id.Value;
    public string Fuel { get; } = Process.Fuel.ToString();
}

internal sealed class GenCommunication
{
    public Guid Id { get; init; }
    public long ReferenceNumber { get; init; }
    public required ProcessInfo Process { get; init; }
    public required string Subject { get; init; }
    public required string Status { get; init; }
    public int CurrentLevel { get; init; }
    public long LevelStartedAt { get; init; }
    public long CreatedAt { get; init; }
    public long LastMessageAt { get; init; }
    public required string LastMessageSide { get; init; }
    public long? ArchivedAt { get; init; }
    public long? DeletedAt { get; init; }
    public required string AttachmentNames { get; init; }
    public int Version { get; init; }
    public required string BespokeData { get; init; }
    public string? Mpan { get; init; }
    public required GenParty Sender { get; init; }
    public required GenParty Recipient { get; init; }
    public required IReadOnlyList<GenMessage> Messages { get; init; }
}

internal sealed class GenParty
{
    public long Id { get; init; }
    public required string Side { get; init; }
    public required OrgInfo Organisation { get; init; }
    public required OrgInfo Counterparty { get; init; }
    public required string Mpid { get; init; }
    public required string Role { get; init; }
    public Guid? OwnerUserId { get; set; }
    public string? OwnerName { get; set; }
    public string Tags { get; set; } = string.Empty;
    public bool HasUnread { get; set; }
    public long? LastViewedAt { get; set; }
    public bool LastMessageSentByThisSide { get; set; }
    public string SearchText { get; set; } = string.Empty;
}

internal sealed record GenMessage(Guid Id, Guid AuthorUserId, string AuthorName, Guid OrganisationId, string Side, string Text, long SentAt);

/// <summary>Generates the communications in reference (creation) order, deterministically from (seed, index), shaped the
/// way the aggregate would leave them: party copies of the list columns, SearchText as Communication.Sync builds it,
/// content erased for deleted ones.</summary>
internal sealed class Generator
{
    public const double ViewerShare = 0.2;
    private const string Sender = nameof(PartySide.Sender);
    private const string Recipient = nameof(PartySide.Recipient);
    private const long Microsecond = 10;

    private static readonly (string Code, double Weight)[] ProcessWeights =
    [
        ("general-query", 20), ("erroneous-transfers", 15), ("disputed-cos-readings", 12), ("customer-requested-objections", 8),
        ("debt-assignment-protocol", 8), ("prepayment-misdirected-payments", 6), ("smart-ppm-cos-exceptions", 6),
        ("contract-manager-queries", 5), ("electricity-disconnections", 5), ("mp-address-management", 5),
        ("retrospective-mpad-amendments", 3), ("crossed-meters-gas", 3), ("duplicate-meter-points", 2), ("utrn-contact", 1.5),
        ("retrospective-amendment-request", 0.5),
    ];

    private readonly int _count;
    private readonly IReadOnlyList<OrgInfo> _orgs;
    private readonly ProcessInfo[] _processes;
    private readonly double[] _processCumulative;
    private readonly Routes[] _routes;
    private long[] _order = [];
    private long[] _created = [];
    private long[] _lastMessage = [];
    private byte[] _status = [];
    private byte[] _messageCount = [];

    public Generator(int count, IReadOnlyList<OrgInfo> orgs, IReadOnlyList<BusinessProcess> catalogue)
    {
        _count = count;
        _orgs = orgs;
        _processes = ProcessWeights.Select(w => new ProcessInfo(catalogue.Single(p => p.Code == w.Code))).ToArray();
        var total = 0.0;
        _processCumulative = ProcessWeights.Select(w => total += w.Weight).ToArray();
        _routes = _processes.Select(p => new Routes(p.Process, orgs)).ToArray();
    }

    public int Count => _count;

    /// <summary>Phase 1: the status and dates of every communication, so that references follow creation order.</summary>
    public void Plan()
    {
        _created = new long[_count];
        _lastMessage = new long[_count];
        _status = new byte[_count];
        _messageCount = new byte[_count];
        _order = new long[_count];
        var now = World.Now.UtcTicks;
        for (var i = 0; i < _count; i++)
        {
            var rng = Rng.For(1, i);
            var r = rng.Double();
            byte status = r < 0.65 ? (byte)0 : r < 0.90 ? (byte)1 : (byte)2;
            var messages = 1 + rng.Int(10) + (rng.Chance(0.0556) ? 1 : 0);
            var last = status switch
            {
                0 => now - (long)(rng.Double() * TimeSpan.TicksPerDay * 30),
                1 => now - (long)((30 + rng.Double() * 30) * TimeSpan.TicksPerDay),
                _ => now - (long)((60 + rng.Double() * 120) * TimeSpan.TicksPerDay),
            };
            var u = rng.Double();
            var created = messages == 1 ? last : last - TimeSpan.TicksPerHour - (long)(u * u * 25 * TimeSpan.TicksPerDay);
            _lastMessage[i] = Round(last);
            _created[i] = Round(created);
            _status[i] = status;
            _messageCount[i] = (byte)messages;
            _order[i] = i;
        }

        Array.Sort((long[])_created.Clone(), _order);
    }

    /// <summary>Phase 2: the communication with the given reference number (1-based, in creation order).</summary>
    public GenCommunication Generate(long referenceNumber)
    {
        var i = _order[referenceNumber - 1];
        var rng = Rng.For(2, i);
        var created = _created[i];
        var last = _lastMessage[i];
        var status = (CommunicationStatus)_status[i];
        var deleted = status == CommunicationStatus.Deleted;
        var process = _processes[rng.Weighted(_processCumulative)];
        var (senderEnd, recipientEnd) = _routes[Array.IndexOf(_processes, process)].Pick(ref rng);

        // Bespoke values in the process's field order, as BespokeValues.Validate produces them.
        var bespoke = new Dictionary<string, string>(StringComparer.Ordinal);
        string? mpan = null;
        string? mprn = null;
        var distributor = senderEnd.DistributorId ?? recipientEnd.DistributorId;
        foreach (var field in process.Process.BespokeFields)
        {
            if (!field.Required && !rng.Chance(0.6))
            {
                continue;
            }

            var value = field.Type switch
            {
                BespokeFieldType.Mpan => mpan = Text.Mpan(ref rng, distributor ?? (10 + rng.Int(14)).ToString(System.Globalization.CultureInfo.InvariantCulture)),
                BespokeFieldType.Mprn => mprn = Text.Mprn(ref rng),
                BespokeFieldType.Date => Text.Date(ref rng),
                BespokeFieldType.Money => Text.Money(ref rng),
                BespokeFieldType.Choice => rng.Pick(field.Choices),
                _ => Text.CustomerName(ref rng),
            };
            bespoke[field.Key] = value;
        }

        var subject = Text.Subject(ref rng, process.Process.Name, mpan);
        var level = 1;
        if (process.Process.CanEscalate)
        {
            var r = rng.Double();
            level = Math.Min(process.Process.TopLevel, r < 0.8 ? 1 : r < 0.95 ? 2 : 3);
        }

        var levelStarted = level == 1 ? created : Round(created + (long)((last - created) * 0.4));
        var id = rng.Version7(created);
        var sender = new GenParty
        {
            Id = referenceNumber * 2 - 1, Side = Sender, Organisation = senderEnd.Org, Counterparty = recipientEnd.Org,
            Mpid = senderEnd.Mpid, Role = senderEnd.Role.ToString(),
        };
        var recipient = new GenParty
        {
            Id = referenceNumber * 2, Side = Recipient, Organisation = recipientEnd.Org, Counterparty = senderEnd.Org,
            Mpid = recipientEnd.Mpid, Role = recipientEnd.Role.ToString(),
        };

        // Messages: the first from the sender at creation, the last at LastMessageAt, sides mostly alternating.
        var count = _messageCount[i];
        var messages = new List<GenMessage>(deleted ? 0 : count);
        var side = Sender;
        var lastSide = Sender;
        long? lastBySender = null;
        long? lastByRecipient = null;
        for (var m = 0; m < count; m++)
        {
            if (m > 0 && rng.Chance(0.75))
            {
                side = side == Sender ? Recipient : Sender;
            }

            var at = m == count - 1 ? last : m == 0 ? created : Round(created + (long)((last - created) * ((m + rng.Double() * 0.5) / count)));
            var org = side == Sender ? senderEnd.Org : recipientEnd.Org;
            var author = org.Users[rng.Int(org.Users.Count)];
            var text = Text.Message(ref rng, mpan, mprn);
            if (!deleted)
            {
                messages.Add(new GenMessage(rng.Version7(at), author.Id, author.Name, org.Id, side, text, at));
            }

            lastSide = side;
            if (side == Sender)
            {
                lastBySender = at;
            }
            else
            {
                lastByRecipient = at;
            }
        }

        long? archivedAt = status == CommunicationStatus.Active ? null : last + TimeSpan.TicksPerDay * 30;
        long? deletedAt = deleted ? archivedAt + TimeSpan.TicksPerDay * 30 + Round((long)(rng.Double() * TimeSpan.TicksPerDay)) : null;
        var attachments = !deleted && rng.Chance(0.08) ? Text.Attachments(ref rng) : string.Empty;

        foreach (var party in new[] { sender, recipient })
        {
            party.LastMessageSentByThisSide = party.Side == lastSide;
            if (deleted)
            {
                continue;
            }

            if (rng.Chance(0.4))
            {
                var owner = party.Organisation.Users[rng.Int(party.Organisation.Users.Count)];
                party.OwnerUserId = owner.Id;
                party.OwnerName = owner.Name;
            }

            if (rng.Chance(0.15))
            {
                party.Tags = Text.Tags(ref rng);
            }

            var ownLast = party.Side == Sender ? lastBySender : lastByRecipient;
            party.HasUnread = party.Side != lastSide && rng.Chance(0.5);
            party.LastViewedAt = party.HasUnread ? ownLast : Math.Min(World.Now.UtcTicks, last + Round((long)(rng.Double() * TimeSpan.TicksPerDay)));
        }

        var reference = Reference.Create(ReferenceKind.Communication, referenceNumber);
        if (!deleted)
        {
            var shared = new StringBuilder(4096);
            shared.Append(reference.Value).Append('\n').Append(subject).Append('\n');
            foreach (var value in bespoke.Values)
            {
                shared.Append(value).Append('\n');
            }

            for (var m = messages.Count - 1; m >= 0; m--)
            {
                shared.Append(messages[m].Text).Append('\n');
            }

            var text = shared.ToString();
            sender.SearchText = sender.Tags.Length == 0 ? text : text + "\n" + sender.Tags;
            recipient.SearchText = recipient.Tags.Length == 0 ? text : text + "\n" + recipient.Tags;
        }

        return new GenCommunication
        {
            Id = id,
            ReferenceNumber = referenceNumber,
            Process = process,
            Subject = deleted ? string.Empty : subject,
            Status = status.ToString(),
            CurrentLevel = level,
            LevelStartedAt = levelStarted,
            CreatedAt = created,
            LastMessageAt = last,
            LastMessageSide = lastSide,
            ArchivedAt = archivedAt,
            DeletedAt = deletedAt,
            AttachmentNames = attachments,
            Version = count + (status == CommunicationStatus.Active ? 0 : 1) + (deleted ? 1 : 0),
            BespokeData = JsonSerializer.Serialize(deleted ? new Dictionary<string, string>() : bespoke),
            Mpan = deleted ? null : mpan,
            Sender = sender,
            Recipient = recipient,
            Messages = messages,
        };
    }

    /// <summary>PostgreSQL keeps microseconds; every instant is whole microseconds so both providers hold the same values.</summary>
    private static long Round(long ticks) => ticks - ticks % Microsecond;

    private sealed record Endpoint(OrgInfo Org, string Mpid, MarketRole Role, string? DistributorId, double Weight);

    /// <summary>Who may send a process to whom, weighted by organisation size; the viewer organisation takes part in
    /// <see cref="ViewerShare"/> of all communications, as sender or recipient.</summary>
    private sealed class Routes
    {
        private readonly Endpoint[] _ends;
        private readonly double[] _senderCumulative;
        private readonly (int[] Ends, double[] Cumulative)[] _to;
        private readonly int[] _viewerEnds;

        public Routes(BusinessProcess process, IReadOnlyList<OrgInfo> orgs)
        {
            _ends = orgs.SelectMany(o => o.Spec.Roles.Where(r => process.Involves(r.Role))
                .Select(r => new Endpoint(o, r.Mpid, r.Role, r.DistributorId, o.Spec.Weight))).ToArray();
            var total = 0.0;
            _senderCumulative = _ends.Select(e => total += e.Weight).ToArray();
            _to = _ends.Select(from =>
            {
                var ends = Enumerable.Range(0, _ends.Length)
                    .Where(j => _ends[j].Org != from.Org && process.AllowsRoute(from.Role, _ends[j].Role)).ToArray();
                var sum = 0.0;
                return (ends, ends.Select(j => sum += _ends[j].Weight).ToArray());
            }).ToArray();
            _viewerEnds = Enumerable.Range(0, _ends.Length).Where(j => _ends[j].Org.Index == 0).ToArray();
        }

        public (Endpoint Sender, Endpoint Recipient) Pick(ref Rng rng)
        {
            if (_viewerEnds.Length > 0 && rng.Chance(ViewerShare))
            {
                var viewer = _viewerEnds[rng.Int(_viewerEnds.Length)];
                var (ends, cumulative) = _to[viewer];
                var other = _ends[ends[rng.Weighted(cumulative)]];
                return rng.Chance(0.5) ? (_ends[viewer], other) : (other, _ends[viewer]);
            }

            while (true)
            {
                var from = rng.Weighted(_senderCumulative);
                var (ends, cumulative) = _to[from];
                if (ends.Length > 0 && cumulative[^1] > 0)
                {
                    return (_ends[from], _ends[ends[rng.Weighted(cumulative)]]);
                }
            }
        }
    }
}
