using System.Text;
using Sdes.Domain.Attachments;
using Sdes.Domain.Common;
using Sdes.Domain.Organisations;
using Sdes.Domain.Processes;

namespace Sdes.Domain.Communications;

/// <summary>A secure communication between two organisations about one business process (spec Part B). The sending
/// organisation is the party awaiting a response; the recipient's ARs at the current escalation level are due to respond.</summary>
public sealed class Communication
{
    public const int MaxSubjectLength = 200;
    public const int MaxTags = 10;
    public const int MaxTagLength = 40;
    public const int MaxAttachmentNamesLength = 2000;

    /// <summary>Spec 13.1 and 13.4: archived 30 days after the latest message, content deleted 30 days after archiving.</summary>
    public static readonly TimeSpan ArchiveAfter = TimeSpan.FromDays(30);
    public static readonly TimeSpan DeleteAfterArchive = TimeSpan.FromDays(30);

    private const int MaxSearchTextLength = 100_000;
    private static readonly TimeSpan ViewedEventInterval = TimeSpan.FromHours(1);

    private readonly List<CommunicationParty> _parties = [];
    private readonly List<CommunicationMessage> _messages = [];
    private readonly List<CommunicationEvent> _events = [];
    private Dictionary<string, string> _bespoke = new(StringComparer.Ordinal);

    private Communication() { }

    public CommunicationId Id { get; private set; }
    public long ReferenceNumber { get; private set; }
    public Reference Reference => Reference.Create(ReferenceKind.Communication, ReferenceNumber);
    public ProcessId ProcessId { get; private set; }
    public Fuel Fuel { get; private set; }
    public string Subject { get; private set; } = string.Empty;
    public CommunicationStatus Status { get; private set; }
    public int CurrentLevel { get; private set; }

    /// <summary>When the communication reached its current level: the recipient's response window runs from here.</summary>
    public DateTimeOffset LevelStartedAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset LastMessageAt { get; private set; }
    public PartySide LastMessageSide { get; private set; }
    public DateTimeOffset? ArchivedAt { get; private set; }
    public DateTimeOffset? DeletedAt { get; private set; }

    /// <summary>The names of the files on all messages, for the list column (spec 10.1(a)).</summary>
    public string AttachmentNames { get; private set; } = string.Empty;
    public int Version { get; private set; }

    public IReadOnlyList<CommunicationParty> Parties => _parties;
    public IReadOnlyList<CommunicationMessage> Messages => _messages;
    public IReadOnlyList<CommunicationEvent> Events => _events;
    public IReadOnlyDictionary<string, string> BespokeData => _bespoke;

    public CommunicationParty Sender => _parties.Single(p => p.Side == PartySide.Sender);
    public CommunicationParty Recipient => _parties.Single(p => p.Side == PartySide.Recipient);

    /// <summary>Sends a new communication (spec 10.1(c)). The author must be an AR of the sending organisation assigned to
    /// the process; the route between the two market roles must be one the process allows.</summary>
    public static Communication Send(Reference reference, BusinessProcess process, UserRef author, Organisation sender,
        MarketParticipantRole fromRole, Organisation recipient, MarketParticipantRole toRole, string? subject, string? text,
        string? tag, IReadOnlyDictionary<string, string?> bespoke, DateTimeOffset now, IReadOnlyList<AttachedFile>? files = null)
    {
        DomainException.ThrowIf(reference.Kind != ReferenceKind.Communication, "A communication needs an SDE reference.");
        DomainException.ThrowIf(author.OrganisationId != sender.Id, "You can only send on behalf of your own organisation.");
        DomainException.ThrowIf(!sender.Roles.Contains(fromRole), $"{sender.Name} does not hold the role {fromRole}.");
        DomainException.ThrowIf(!recipient.Roles.Contains(toRole), $"{recipient.Name} does not hold the role {toRole}.");
        DomainException.ThrowIf(sender.Id == recipient.Id, "Choose another organisation to send to; you cannot send to your own.");
        DomainException.ThrowIf(!IsAssigned(sender, author.Id, process), $"You are not assigned to {process.Name}, so you cannot send it.");
        DomainException.ThrowIf(!process.AllowsRoute(fromRole.Role, toRole.Role),
            $"{process.Name} does not pass from {fromRole.Role.DisplayName()} to {toRole.Role.DisplayName()}.");
        var (values, errors) = BespokeValues.Validate(process, bespoke);
        DomainException.ThrowIf(errors.Count > 0, errors.Values.FirstOrDefault() ?? string.Empty);
        files = CheckFiles(files);

        now = now.ToUniversalTime();
        var communication = new Communication
        {
            Id = CommunicationId.New(now),
            ReferenceNumber = reference.Number,
            ProcessId = process.Id,
            Fuel = process.Fuel,
            Subject = CheckSubject(subject),
            Status = CommunicationStatus.Active,
            CurrentLevel = 1,
            LevelStartedAt = now,
            CreatedAt = now,
            LastMessageAt = now,
            LastMessageSide = PartySide.Sender,
            _bespoke = new Dictionary<string, string>(values, StringComparer.Ordinal),
        };
        communication._parties.Add(new CommunicationParty(communication, PartySide.Sender, sender.Id, recipient.Id, fromRole));
        communication._parties.Add(new CommunicationParty(communication, PartySide.Recipient, recipient.Id, sender.Id, toRole));
        var first = new CommunicationMessage(communication.Id, author, PartySide.Sender, CommunicationMessage.CheckText(text), now);
        first.Attach(files);
        communication._messages.Add(first);
        communication.Recipient.MarkUnread();
        communication.Sender.MarkViewed(now);
        if (!string.IsNullOrWhiteSpace(tag))
        {
            communication.Sender.SetTags(NormaliseTags([tag]));
        }

        communication.Record(CommunicationEventKind.Sent, now, author, detail: $"to {recipient.Name} ({toRole.Mpid}) at level 1");
        communication.Sync();
        return communication;
    }

    public CommunicationParty PartyOf(OrganisationId organisation) =>
        _parties.FirstOrDefault(p => p.OrganisationId == organisation)
        ?? throw new DomainException("Your organisation is not a party to this communication.");

    public bool IsParty(OrganisationId organisation) => _parties.Any(p => p.OrganisationId == organisation);

    /// <summary>Adds a message (spec 10.1(b)iii, (d)). A message on an archived communication makes it active again (13.1).
    /// Returns true when the message re-activated it.</summary>
    public bool AddMessage(UserRef author, Organisation organisation, BusinessProcess process, string? text, string? tag, DateTimeOffset now,
        IReadOnlyList<AttachedFile>? files = null)
    {
        var party = ActingParty(author, organisation, process);
        now = now.ToUniversalTime();
        var body = CommunicationMessage.CheckText(text);
        files = CheckFiles(files);
        var tags = string.IsNullOrWhiteSpace(tag) ? party.TagList : NormaliseTags(party.TagList.Append(tag)); // checked before any change
        var reactivated = false;
        if (Status == CommunicationStatus.Archived)
        {
            Status = CommunicationStatus.Active;
            ArchivedAt = null;
            reactivated = true;
            Record(CommunicationEventKind.Reactivated, now, author, detail: "by a new message");
        }

        var message = new CommunicationMessage(Id, author, party.Side, body, now);
        message.Attach(files);
        _messages.Add(message);
        LastMessageAt = now;
        LastMessageSide = party.Side;
        Counterparty(party).MarkUnread();
        party.MarkViewed(now);
        if (tags.Count != party.TagList.Count)
        {
            party.SetTags(tags);
            Record(CommunicationEventKind.TagsChanged, now, author, privateTo: party.OrganisationId, detail: "added " + tags[^1]);
        }

        Record(CommunicationEventKind.MessageAdded, now, author);
        Sync();
        return reactivated;
    }

    /// <summary>A file on one of the messages has been scanned. A clean file joins the list column and can be downloaded; an
    /// infected or unscannable one is removed from the message (spec 10.1(g): it is not attached) and only the uploader's
    /// organisation sees why. Returns the message the file was on, or null if it is not (or no longer) here.</summary>
    public CommunicationMessage? FileScanned(Guid attachmentId, AttachmentStatus status, DateTimeOffset now)
    {
        var message = _messages.FirstOrDefault(m => m.Attachments.Any(a => a.Id == attachmentId));
        if (message is null || Status == CommunicationStatus.Deleted)
        {
            return null;
        }

        var file = message.Attachments.First(a => a.Id == attachmentId);
        if (status is AttachmentStatus.Infected or AttachmentStatus.Unscannable)
        {
            message.Remove(attachmentId);
            Record(CommunicationEventKind.AttachmentRemoved, now.ToUniversalTime(), null, privateTo: message.OrganisationId,
                detail: status == AttachmentStatus.Infected
                    ? $"{file.FileName} was removed from the message: a virus was found in it"
                    : $"{file.FileName} was removed from the message: it could not be virus scanned");
        }
        else
        {
            file.Scanned(status);
        }

        Sync();
        return message;
    }

    /// <summary>Spec 10.1(e) as DOMAIN.md reads it: the sending organisation (awaiting a response) may move the communication
    /// up one level once the recipient has responded at the current level or the level's response window has lapsed.</summary>
    public EscalationCheck CheckEscalation(OrganisationId organisation, BusinessProcess process, DateTimeOffset now, OperationalCalendar calendar)
    {
        if (Status == CommunicationStatus.Deleted)
        {
            return EscalationCheck.No("This communication has been deleted.");
        }

        if (!process.CanEscalate)
        {
            return EscalationCheck.No($"{process.Name} communications cannot be escalated.");
        }

        if (CurrentLevel >= process.TopLevel)
        {
            return EscalationCheck.No($"This communication is already at the highest escalation level ({process.TopLevel}).");
        }

        if (!IsParty(organisation) || PartyOf(organisation).Side != PartySide.Sender)
        {
            return EscalationCheck.No("Only the sending organisation, which is awaiting a response, can escalate.");
        }

        if (Status == CommunicationStatus.Archived)
        {
            return EscalationCheck.No("Archived communications cannot be escalated; add a message to make it active again.");
        }

        if (RecipientHasRespondedAtCurrentLevel)
        {
            return new EscalationCheck(true, $"The recipient has responded at level {CurrentLevel}; you can escalate to level {CurrentLevel + 1}.", null);
        }

        var window = process.WindowAt(CurrentLevel)!;
        var deadline = calendar.Deadline(LevelStartedAt, window);
        return now >= deadline
            ? new EscalationCheck(true, $"The recipient's response window at level {CurrentLevel} ({window}) has lapsed; you can escalate to level {CurrentLevel + 1}.", deadline)
            : EscalationCheck.No($"You can escalate once the recipient responds or their response window at level {CurrentLevel} ({window}) lapses.", deadline);
    }

    public bool RecipientHasRespondedAtCurrentLevel =>
        _messages.Any(m => m.Side == PartySide.Recipient && m.SentAt >= LevelStartedAt);

    /// <summary>Moves the communication to the next level's ARs in the recipient organisation, one level at a time.</summary>
    public void Escalate(UserRef by, Organisation organisation, BusinessProcess process, DateTimeOffset now, OperationalCalendar calendar)
    {
        ActingParty(by, organisation, process);
        now = now.ToUniversalTime();
        var check = CheckEscalation(organisation.Id, process, now, calendar);
        DomainException.ThrowIf(!check.Allowed, check.Explanation);
        CurrentLevel++;
        LevelStartedAt = now;
        Recipient.MarkUnread();
        Record(CommunicationEventKind.Escalated, now, by, detail: $"to level {CurrentLevel}");
        Sync();
    }

    /// <summary>Sets (or clears) the acting organisation's owner: an AR of that organisation assigned to the process (spec 10.1(b)i).</summary>
    public void AssignOwner(UserRef by, Organisation organisation, BusinessProcess process, UserRef? owner, DateTimeOffset now)
    {
        var party = ActingParty(by, organisation, process);
        if (owner is not null)
        {
            DomainException.ThrowIf(owner.OrganisationId != organisation.Id || !IsAssigned(organisation, owner.Id, process),
                $"{owner.Name} is not an Authorised Representative of {organisation.Name} assigned to {process.Name}.");
        }

        if (party.OwnerUserId == owner?.Id)
        {
            return;
        }

        party.SetOwner(owner);
        Record(CommunicationEventKind.OwnerChanged, now.ToUniversalTime(), by,
            detail: owner is null ? $"{organisation.Name} owner cleared" : $"{organisation.Name} owner: {owner.Name}");
        Sync();
    }

    /// <summary>Replaces the acting organisation's private search tags (spec 10.1(b)v).</summary>
    public void ChangeTags(UserRef by, Organisation organisation, BusinessProcess process, IEnumerable<string> tags, DateTimeOffset now)
    {
        var party = ActingParty(by, organisation, process);
        var list = NormaliseTags(tags);
        if (list.SequenceEqual(party.TagList, StringComparer.Ordinal))
        {
            return;
        }

        party.SetTags(list);
        Record(CommunicationEventKind.TagsChanged, now.ToUniversalTime(), by, privateTo: organisation.Id,
            detail: list.Count == 0 ? "tags cleared" : "tags: " + string.Join(", ", list));
        Sync();
    }

    /// <summary>Archives for both parties (spec 13.2); the UI warns first.</summary>
    public void Archive(UserRef by, Organisation organisation, BusinessProcess process, DateTimeOffset now)
    {
        ActingParty(by, organisation, process);
        DomainException.ThrowIf(Status == CommunicationStatus.Archived, "This communication is already archived.");
        now = now.ToUniversalTime();
        Status = CommunicationStatus.Archived;
        ArchivedAt = now;
        Record(CommunicationEventKind.Archived, now, by, detail: "for both organisations");
        Sync();
    }

    /// <summary>Spec 13.1: archives an active communication 30 days after its latest message. Safe to call at any time.</summary>
    public bool ArchiveIfIdle(DateTimeOffset now)
    {
        if (Status != CommunicationStatus.Active || now < LastMessageAt + ArchiveAfter)
        {
            return false;
        }

        // Archived as of the day it fell due, so a job that missed days does not push the deletion date back.
        Status = CommunicationStatus.Archived;
        ArchivedAt = LastMessageAt + ArchiveAfter;
        Record(CommunicationEventKind.Archived, now.ToUniversalTime(), null, detail: "automatically, 30 days after the latest message");
        Sync();
        return true;
    }

    /// <summary>Spec 13.4: 30 days after archiving, the content (subject, messages, bespoke data, tags, owners, timeline)
    /// is deleted for good. The row stays as a tombstone so the reference still resolves; the audit log is untouched.</summary>
    public bool DeleteContentIfDue(DateTimeOffset now)
    {
        if (Status != CommunicationStatus.Archived || ArchivedAt is null || now < ArchivedAt.Value + DeleteAfterArchive)
        {
            return false;
        }

        Status = CommunicationStatus.Deleted;
        DeletedAt = now.ToUniversalTime();
        Subject = string.Empty;
        AttachmentNames = string.Empty;
        _bespoke = new Dictionary<string, string>(StringComparer.Ordinal);
        _messages.Clear();
        _events.Clear();
        foreach (var party in _parties)
        {
            party.Erase();
            party.SetOwner(null);
        }

        Sync();
        return true;
    }

    /// <summary>Marks the viewer's organisation as having read the communication. The timeline gets a "viewed" entry at most
    /// once an hour per user; returns true when it did (the audit log records every view regardless).</summary>
    public bool RecordView(UserRef viewer, DateTimeOffset now)
    {
        var party = PartyOf(viewer.OrganisationId);
        DomainException.ThrowIf(Status == CommunicationStatus.Deleted, "This communication has been deleted.");
        now = now.ToUniversalTime();
        party.MarkViewed(now);
        var recent = _events.Any(e => e.Kind == CommunicationEventKind.Viewed && e.ActorUserId == viewer.Id && now - e.OccurredAt < ViewedEventInterval);
        if (!recent)
        {
            Record(CommunicationEventKind.Viewed, now, viewer);
        }

        Sync();
        return !recent;
    }

    public void RecordTranscriptDownload(UserRef by, DateTimeOffset now)
    {
        PartyOf(by.OrganisationId);
        DomainException.ThrowIf(Status == CommunicationStatus.Deleted, "This communication has been deleted.");
        Record(CommunicationEventKind.TranscriptDownloaded, now.ToUniversalTime(), by, privateTo: by.OrganisationId);
    }

    public static IReadOnlyList<string> NormaliseTags(IEnumerable<string?> tags)
    {
        var list = new List<string>();
        foreach (var raw in tags)
        {
            var tag = string.Join(' ', (raw ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
            if (tag.Length == 0)
            {
                continue;
            }

            if (tag.Length > MaxTagLength)
            {
                // Not ThrowIf: its message is built first, and tag[..MaxTagLength] throws for any shorter tag.
                throw new DomainException($"A search tag is at most {MaxTagLength} characters; '{tag[..MaxTagLength]}…' is longer.");
            }

            DomainException.ThrowIf(tag.Any(char.IsControl), "A search tag cannot contain control characters.");
            if (!list.Contains(tag, StringComparer.OrdinalIgnoreCase))
            {
                list.Add(tag);
            }
        }

        DomainException.ThrowIf(list.Count > MaxTags, $"A communication holds at most {MaxTags} search tags per organisation.");
        return list;
    }

    private static IReadOnlyList<AttachedFile> CheckFiles(IReadOnlyList<AttachedFile>? files)
    {
        files ??= [];
        DomainException.ThrowIf(files.Select(f => f.Id).Distinct().Count() != files.Count, "The same file is attached twice.");
        var refused = files.FirstOrDefault(f => f.Status is AttachmentStatus.Infected or AttachmentStatus.Unscannable);
        DomainException.ThrowIf(refused is not null, refused is { Status: AttachmentStatus.Infected }
            ? $"{refused.FileName} contains a virus and cannot be attached."
            : $"{refused?.FileName} could not be virus scanned and cannot be attached.");
        AttachmentPolicy.CheckMessage(AttachmentModule.Communications, files.Select(f => f.SizeBytes).ToList());
        return files;
    }

    private static string CheckSubject(string? subject)
    {
        subject = (subject ?? string.Empty).Trim();
        DomainException.ThrowIf(subject.Length == 0, "Enter a subject.");
        DomainException.ThrowIf(subject.Length > MaxSubjectLength, $"A subject is at most {MaxSubjectLength} characters.");
        DomainException.ThrowIf(subject.Any(char.IsControl), "A subject cannot contain control characters.");
        return subject;
    }

    private static bool IsAssigned(Organisation organisation, UserId user, BusinessProcess process) =>
        organisation.Assignments.Any(a => a.UserId == user && a.ProcessId == process.Id);

    /// <summary>The party the acting user works for, after checking they are an AR of it assigned to this process.</summary>
    private CommunicationParty ActingParty(UserRef actor, Organisation organisation, BusinessProcess process)
    {
        DomainException.ThrowIf(process.Id != ProcessId, "That is not this communication's business process.");
        DomainException.ThrowIf(actor.OrganisationId != organisation.Id, "You can only act for your own organisation.");
        var party = PartyOf(organisation.Id);
        DomainException.ThrowIf(!IsAssigned(organisation, actor.Id, process), $"You are not assigned to {process.Name}.");
        DomainException.ThrowIf(Status == CommunicationStatus.Deleted, "This communication has been deleted.");
        return party;
    }

    private CommunicationParty Counterparty(CommunicationParty party) => _parties.Single(p => p.Side != party.Side);

    private void Record(CommunicationEventKind kind, DateTimeOffset at, UserRef? actor, OrganisationId? privateTo = null, string? detail = null) =>
        _events.Add(new CommunicationEvent(Id, kind, at, actor, privateTo, detail));

    private void Sync()
    {
        var text = new StringBuilder();
        if (Status != CommunicationStatus.Deleted)
        {
            text.Append(Reference.Value).Append('\n').Append(Subject).Append('\n');
            foreach (var value in _bespoke.Values)
            {
                text.Append(value).Append('\n');
            }

            foreach (var message in _messages.OrderByDescending(m => m.SentAt))
            {
                if (text.Length + message.Text.Length > MaxSearchTextLength)
                {
                    break;
                }

                text.Append(message.Text).Append('\n');
            }
        }

        var names = string.Join(", ", _messages.OrderBy(m => m.SentAt).SelectMany(m => m.Attachments.OrderBy(a => a.Id))
            .Where(a => a.Status == AttachmentStatus.Clean).Select(a => a.FileName));
        AttachmentNames = names.Length > MaxAttachmentNamesLength ? names[..(MaxAttachmentNamesLength - 1)] + "…" : names;
        if (Status != CommunicationStatus.Deleted && names.Length > 0)
        {
            text.Append(names).Append('\n');
        }

        var shared = text.ToString();
        foreach (var party in _parties)
        {
            party.Sync(this, shared);
        }

        Version++;
    }
}
