using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Sdes.App.Features.Admin;
using Sdes.Domain.Common;
using Sdes.Domain.Communications;
using Sdes.Domain.Organisations;
using Sdes.Domain.Processes;
using Sdes.Infrastructure.Persistence;

namespace Sdes.App.Features.Communications;

/// <summary>The read side of SDEP: the queue, its filter options, one communication, and the Send form's choices. Every
/// query starts from <see cref="CommunicationAccess"/>.</summary>
public sealed class CommunicationQueries(AdminOperation operation, TimeProvider time, OperationalCalendar calendar)
{
    public const int MaxPageSize = 100;

    public Task<CommunicationPage> ListAsync(ClaimsPrincipal principal, CommunicationFilter filter, CancellationToken ct = default) =>
        operation.QueryAsync(principal, c => ListAsync(c.Db, CommunicationViewer.From(c.Actor), filter, c.Ct), ct);

    /// <summary>The list on its own (used by the benchmark too): one keyset page of the viewer's organisation's queue.</summary>
    public static async Task<CommunicationPage> ListAsync(SdesDbContext db, CommunicationViewer viewer, CommunicationFilter filter, CancellationToken ct)
    {
        var pageSize = Math.Clamp(filter.PageSize, 1, MaxPageSize);
        IQueryable<CommunicationParty>? walk = null;
        if (SqliteWalkTerms(db, filter) is { } folded)
        {
            // SQLite: first walk the queue in page order; a common word fills the page at once (ADR 0006).
            var window = Page(await FilteredAsync(db, viewer, filter with { Search = null }, ct), filter).Take(SqliteWordSearch.WalkWindow);
            walk = Order(window.Where(p => SqliteWordSearch.WordsMatch(p.SearchText, folded)), filter).Take(pageSize + 1);
        }

        var raw = walk is null ? null : await RowsAsync(db, walk, ct);
        if (raw is null || raw.Count <= pageSize)
        {
            // No walk, or it did not fill a page within its window (the last page, or a word rarer here): the index answers.
            raw = await RowsAsync(db, Page(await FilteredAsync(db, viewer, filter, ct), filter).Take(pageSize + 1), ct);
        }

        var sorted = (filter.Sort, filter.Ascending) switch
        {
            (ListSort.Created, true) => raw.OrderBy(r => r.CreatedAt).ThenBy(r => r.Id),
            (ListSort.Created, false) => raw.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id),
            (_, true) => raw.OrderBy(r => r.LastMessageAt).ThenBy(r => r.Id),
            _ => raw.OrderByDescending(r => r.LastMessageAt).ThenByDescending(r => r.Id),
        };
        var rows = sorted.Take(pageSize).ToList();
        var names = await NamesAsync(db, rows.Select(r => r.CounterpartyOrganisationId), rows.Select(r => r.ProcessId), ct);
        string? next = null;
        if (raw.Count > pageSize)
        {
            var last = rows[^1];
            var key = filter.Sort == ListSort.Created ? last.CreatedAt : last.LastMessageAt;
            next = key.UtcTicks.ToString(CultureInfo.InvariantCulture) + "-" + last.Id.ToString(CultureInfo.InvariantCulture);
        }

        var archivedUnread = await db.CommunicationParties.AsNoTracking().VisibleTo(viewer)
            .CountAsync(p => p.Status == CommunicationStatus.Archived && p.HasUnread, ct);
        return new CommunicationPage(rows.Select(r => new CommunicationRow(
            Reference.Create(ReferenceKind.Communication, r.ReferenceNumber).Value, r.Subject, names.Processes.GetValueOrDefault(r.ProcessId, "?"),
            names.Organisations.GetValueOrDefault(r.CounterpartyOrganisationId, "?"), r.Side == PartySide.Sender, r.AttachmentNames,
            r.CreatedAt, r.LastMessageAt, r.ArchivedAt, r.CurrentLevel, r.LastMessageSentByThisSide, r.OwnerName, r.HasUnread, r.Status)).ToList(),
            next, archivedUnread);
    }

    /// <summary>The access rule and every filter; sorting and paging come after.</summary>
    public static async Task<IQueryable<CommunicationParty>> FilteredAsync(SdesDbContext db, CommunicationViewer viewer, CommunicationFilter filter,
        CancellationToken ct)
    {
        var status = filter.Folder == Folder.Archived ? CommunicationStatus.Archived : CommunicationStatus.Active;
        var query = db.CommunicationParties.AsNoTracking().VisibleTo(viewer).Where(p => p.Status == status);
        query = filter.Direction switch
        {
            DirectionFilter.Sent => query.Where(p => p.Side == PartySide.Sender),
            DirectionFilter.Received => query.Where(p => p.Side == PartySide.Recipient),
            _ => query,
        };
        if (!string.IsNullOrWhiteSpace(filter.ProcessCode))
        {
            var code = filter.ProcessCode.Trim();
            var processId = await db.BusinessProcesses.AsNoTracking().Where(p => p.Code == code).Select(p => (ProcessId?)p.Id).FirstOrDefaultAsync(ct);
            DomainException.ThrowIf(processId is null, "There is no such business process.");
            query = query.Where(p => p.ProcessId == processId!.Value);
        }

        if (filter.Counterparty is { } counterparty)
        {
            var other = new OrganisationId(counterparty);
            query = query.Where(p => p.CounterpartyOrganisationId == other);
        }

        if (filter.AssignedToMe)
        {
            UserId? me = viewer.User.Id;
            query = query.Where(p => p.OwnerUserId == me);
        }

        if (filter.MyLevel is { } level)
        {
            var atLevel = viewer.Levels.Where(l => l.Level == level).Select(l => l.ProcessId).ToList();
            query = query.Where(p => p.Side == PartySide.Recipient && p.CurrentLevel == level && atLevel.Contains(p.ProcessId));
        }

        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            if (Reference.TryParse(filter.Search, ReferenceKind.Communication, out var reference))
            {
                var number = reference!.Number;
                query = query.Where(p => p.ReferenceNumber == number);
            }
            else
            {
                var terms = CommunicationSearch.Terms(filter.Search);
                DomainException.ThrowIf(terms.Count == 0, "Search for at least one word or number.");
                query = query.Matching(db, terms);
            }
        }

        return query;
    }

    private sealed record ListRow(long Id, long ReferenceNumber, string Subject, ProcessId ProcessId, OrganisationId CounterpartyOrganisationId,
        PartySide Side, string AttachmentNames, DateTimeOffset CreatedAt, DateTimeOffset LastMessageAt, DateTimeOffset? ArchivedAt, int CurrentLevel,
        bool LastMessageSentByThisSide, string? OwnerName, bool HasUnread, CommunicationStatus Status);

    private static Task<List<ListRow>> RowsAsync(SdesDbContext db, IQueryable<CommunicationParty> page, CancellationToken ct) =>
        (from p in page
         join c in db.Communications on p.CommunicationId equals c.Id
         select new ListRow(p.Id, p.ReferenceNumber, c.Subject, p.ProcessId, p.CounterpartyOrganisationId, p.Side, c.AttachmentNames,
             p.CreatedAt, p.LastMessageAt, p.ArchivedAt, p.CurrentLevel, p.LastMessageSentByThisSide, p.OwnerName, p.HasUnread, p.Status))
        .AsNoTracking().ToListAsync(ct);

    /// <summary>The folded terms of a SQLite text search (not a reference), else null.</summary>
    private static string? SqliteWalkTerms(SdesDbContext db, CommunicationFilter filter)
    {
        if (db.Provider != DatabaseProvider.Sqlite || string.IsNullOrWhiteSpace(filter.Search)
            || Reference.TryParse(filter.Search, ReferenceKind.Communication, out _))
        {
            return null;
        }

        var terms = CommunicationSearch.Terms(filter.Search);
        return terms.Count > 0 ? SqliteWordSearch.FoldTerms(terms) : null;
    }

    private static IQueryable<CommunicationParty> Page(IQueryable<CommunicationParty> query, CommunicationFilter filter)
    {
        var cursor = ParseCursor(filter.After);
        if (cursor is { } after)
        {
            var at = new DateTimeOffset(after.Ticks, TimeSpan.Zero);
            var id = after.Id;
            query = (filter.Sort, filter.Ascending) switch
            {
                (ListSort.Created, true) => query.Where(p => p.CreatedAt > at || (p.CreatedAt == at && p.Id > id)),
                (ListSort.Created, false) => query.Where(p => p.CreatedAt < at || (p.CreatedAt == at && p.Id < id)),
                (_, true) => query.Where(p => p.LastMessageAt > at || (p.LastMessageAt == at && p.Id > id)),
                _ => query.Where(p => p.LastMessageAt < at || (p.LastMessageAt == at && p.Id < id)),
            };
        }

        return Order(query, filter);
    }

    private static IQueryable<CommunicationParty> Order(IQueryable<CommunicationParty> query, CommunicationFilter filter) =>
        (filter.Sort, filter.Ascending) switch
        {
            (ListSort.Created, true) => query.OrderBy(p => p.CreatedAt).ThenBy(p => p.Id),
            (ListSort.Created, false) => query.OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id),
            (_, true) => query.OrderBy(p => p.LastMessageAt).ThenBy(p => p.Id),
            _ => query.OrderByDescending(p => p.LastMessageAt).ThenByDescending(p => p.Id),
        };

    private static (long Ticks, long Id)? ParseCursor(string? after)
    {
        if (string.IsNullOrEmpty(after))
        {
            return null;
        }

        var parts = after.Split('-');
        return parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            && ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks
            ? (ticks, id)
            : throw new DomainException("That page link is not valid; start again from the first page.");
    }

    private static async Task<(Dictionary<OrganisationId, string> Organisations, Dictionary<ProcessId, string> Processes)> NamesAsync(
        SdesDbContext db, IEnumerable<OrganisationId> organisations, IEnumerable<ProcessId> processes, CancellationToken ct)
    {
        var orgIds = organisations.Distinct().ToList();
        var processIds = processes.Distinct().ToList();
        var orgs = await db.Organisations.AsNoTracking().Where(o => orgIds.Contains(o.Id)).Select(o => new { o.Id, o.Name }).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var procs = await db.BusinessProcesses.AsNoTracking().Where(p => processIds.Contains(p.Id)).Select(p => new { p.Id, p.Name }).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        return (orgs, procs);
    }

    public Task<CommunicationViewer> ViewerAsync(ClaimsPrincipal principal, CancellationToken ct = default) =>
        operation.QueryAsync(principal, c => Task.FromResult(CommunicationViewer.From(c.Actor)), ct);

    public Task<ListOptions> ListOptionsAsync(ClaimsPrincipal principal, CancellationToken ct = default) =>
        operation.QueryAsync(principal, async c =>
        {
            var viewer = CommunicationViewer.From(c.Actor);
            var processIds = viewer.ProcessIds.ToList();
            var processes = await c.Db.BusinessProcesses.AsNoTracking().Where(p => processIds.Contains(p.Id)).ToListAsync(c.Ct);
            var own = c.Actor.Organisation.Id;
            var orgs = await c.Db.Organisations.AsNoTracking().Where(o => o.Id != own && !o.IsServiceProvider)
                .OrderBy(o => o.Name).Select(o => new { o.Id, o.Name }).ToListAsync(c.Ct);
            return new ListOptions(
                processes.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => new Option(p.Code, p.Name)).ToList(),
                orgs.Select(o => new Option(o.Id.Value.ToString(), o.Name)).ToList(),
                viewer.Levels.Select(l => l.Level).Distinct().Order().ToList());
        }, ct);

    public Task<CommunicationDetail> DetailAsync(ClaimsPrincipal principal, string reference, CancellationToken ct = default) =>
        operation.QueryAsync(principal, async c =>
        {
            var viewer = CommunicationViewer.From(c.Actor);
            var communication = await LoadAsync(c, viewer, reference, tracked: false);
            var process = await c.Db.BusinessProcesses.AsNoTracking().FirstAsync(p => p.Id == communication.ProcessId, c.Ct);
            var ours = communication.PartyOf(viewer.OrganisationId);
            var theirs = communication.Parties.Single(p => p.Side != ours.Side);
            var orgNames = await c.Db.Organisations.AsNoTracking().Where(o => o.Id == ours.OrganisationId || o.Id == theirs.OrganisationId)
                .ToDictionaryAsync(o => o.Id, o => o.Name, c.Ct);
            var ownerIds = c.Actor.Organisation.Assignments.Where(a => a.ProcessId == process.Id).Select(a => a.UserId.Value).Distinct().ToList();
            var owners = await c.Db.Users.AsNoTracking().Where(u => ownerIds.Contains(u.Id) && !u.IsDisabled).OrderBy(u => u.DisplayName)
                .Select(u => new Option(u.Id.ToString(), u.DisplayName)).ToListAsync(c.Ct);
            string Org(OrganisationId id) => orgNames.GetValueOrDefault(id, "another organisation");
            PartyView Party(CommunicationParty p) => new(Org(p.OrganisationId), p.Role.DisplayName(), p.Mpid, p.OwnerName, p == ours, p.Side == PartySide.Sender);

            return new CommunicationDetail(
                communication.Id.Value, communication.Reference.Value, communication.Subject, process.Name, process.Code, process.Fuel.ToString(),
                communication.Status, communication.CurrentLevel, process.TopLevel,
                communication.CurrentLevel <= process.TopLevel ? process.WindowAt(communication.CurrentLevel)?.ToString() : null,
                communication.CreatedAt, communication.LastMessageAt, communication.ArchivedAt, communication.DeletedAt,
                Party(ours), Party(theirs), ours.TagList,
                process.BespokeFields.Where(f => communication.BespokeData.ContainsKey(f.Key))
                    .Select(f => new BespokeView(f.Label, BespokeValues.Display(f.Type, communication.BespokeData[f.Key]))).ToList(),
                communication.Messages.OrderBy(m => m.SentAt).Select(m => new MessageView(m.Id, m.AuthorName, Org(m.OrganisationId),
                    m.Side == ours.Side, m.Text, m.SentAt,
                    m.Attachments.OrderBy(a => a.Id).Select(a => new AttachmentView(a.Id, a.FileName, a.SizeBytes, a.Status)).ToList())).ToList(),
                communication.Events.Where(e => e.IsVisibleTo(viewer.OrganisationId)).OrderByDescending(e => e.OccurredAt)
                    .Select(e => new TimelineEntry(e.OccurredAt, e.Kind, e.ActorName ?? "SDES", e.ActorOrganisationId is { } o ? Org(o) : null,
                        e.Detail, e.PrivateToOrganisationId is not null)).ToList(),
                communication.CheckEscalation(viewer.OrganisationId, process, time.GetUtcNow(), calendar),
                owners, ours.OwnerUserId?.Value);
        }, ct);

    public Task<SendOptions> SendOptionsAsync(ClaimsPrincipal principal, CancellationToken ct = default) =>
        operation.QueryAsync(principal, async c =>
        {
            var viewer = CommunicationViewer.From(c.Actor);
            var ids = viewer.ProcessIds.ToList();
            var processes = await c.Db.BusinessProcesses.AsNoTracking().Where(p => ids.Contains(p.Id)).ToListAsync(c.Ct);
            return new SendOptions(
                c.Actor.Organisation.Roles.Where(r => processes.Any(p => p.Involves(r.Role)))
                    .Select(r => new RoleOption(RoleKey(r.Mpid.Value, r.Role), r.ToString(), r.Mpid.Value, r.Role)).ToList(),
                processes.OrderBy(p => p.Name, StringComparer.Ordinal)
                    .Select(p => new ProcessOption(p.Code, p.Name, p.BespokeFields, p.CanEscalate, p.TopLevel, p.WindowAt(1)?.ToString(),
                        Enum.GetValues<MarketRole>().Where(p.Involves).ToList())).ToList());
        }, ct);

    /// <summary>The organisations and roles a communication of this process can go to from the chosen role.</summary>
    public Task<IReadOnlyList<RecipientOption>> RecipientsAsync(ClaimsPrincipal principal, string? fromRole, string? processCode, CancellationToken ct = default) =>
        operation.QueryAsync(principal, async c =>
        {
            var viewer = CommunicationViewer.From(c.Actor);
            var process = await c.Db.BusinessProcesses.AsNoTracking().FirstOrDefaultAsync(p => p.Code == processCode, c.Ct);
            var from = c.Actor.Organisation.Roles.FirstOrDefault(r => RoleKey(r.Mpid.Value, r.Role) == fromRole);
            if (process is null || from is null || !viewer.IsAssignedTo(process.Id))
            {
                return (IReadOnlyList<RecipientOption>)[];
            }

            var own = c.Actor.Organisation.Id;
            var orgs = await c.Db.Organisations.AsNoTracking().Where(o => o.Id != own && !o.IsServiceProvider).OrderBy(o => o.Name).ToListAsync(c.Ct);
            return orgs.SelectMany(o => o.Roles.Where(r => process.AllowsRoute(from.Role, r.Role))
                    .Select(r => new RecipientOption($"{o.Id.Value}|{RoleKey(r.Mpid.Value, r.Role)}", $"{o.Name}: {r}", o.Id.Value, r.Mpid.Value, r.Role)))
                .ToList();
        }, ct);

    public static string RoleKey(string mpid, MarketRole role) => $"{mpid}:{role}";

    /// <summary>Loads one communication through the access rule; anything else is an audited "not found".</summary>
    internal static async Task<Communication> LoadAsync(AdminContext c, CommunicationViewer viewer, string reference, bool tracked)
    {
        if (!Reference.TryParse(reference, ReferenceKind.Communication, out var parsed))
        {
            throw c.Deny("Communication", Shorten(reference));
        }

        var number = parsed!.Number;
        var query = c.Db.Communications.VisibleTo(viewer).Where(x => x.ReferenceNumber == number)
            .Include(x => x.Parties).Include(x => x.Messages).ThenInclude(m => m.Attachments).Include(x => x.Events).AsSplitQuery();
        var communication = await (tracked ? query : query.AsNoTracking()).FirstOrDefaultAsync(c.Ct);
        return communication ?? throw c.Deny("Communication", parsed.Value);
    }

    /// <summary>What was asked for, as the denial's audit subject: at most 40 characters, never cutting a surrogate pair in
    /// two, with control characters (PostgreSQL refuses NUL in text) and broken surrogates shown as U+FFFD.</summary>
    private static string Shorten(string? s)
    {
        var shown = new System.Text.StringBuilder();
        foreach (var rune in (s ?? string.Empty).EnumerateRunes())
        {
            if (shown.Length + rune.Utf16SequenceLength > 40)
            {
                break;
            }

            shown.Append((System.Text.Rune.IsControl(rune) ? System.Text.Rune.ReplacementChar : rune).ToString());
        }

        return shown.ToString();
    }
}
