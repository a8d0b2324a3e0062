using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Sdes.App.Features.Admin;
using Sdes.App.Features.Shared;
using Sdes.Domain.Audit;
using Sdes.Domain.Common;
using Sdes.Domain.Organisations;
using Sdes.Domain.Processes;
using Sdes.Infrastructure.Exports;
using Sdes.Infrastructure.Persistence;

namespace Sdes.App.Features.Audit;

/// <summary>Filters as typed in the page or the export URL. Dates are UK calendar dates, inclusive.</summary>
public sealed record AuditFilter(string? User = null, AuditAction? Action = null, DateOnly? From = null, DateOnly? To = null, Guid? Organisation = null)
{
    public static readonly DateOnly EarliestDate = new(2000, 1, 1);
    public static readonly DateOnly LatestDate = new(2099, 12, 31);

    public string? Problem =>
        From < EarliestDate || From > LatestDate || To < EarliestDate || To > LatestDate
            ? $"Dates must fall between {EarliestDate.Year} and {LatestDate.Year}."
            : From is { } f && To is { } t && t < f ? "The 'to' date is before the 'from' date." : null;
}

public sealed record AuditCursor(DateTimeOffset OccurredAt, Guid Id);

public sealed record AuditRow(Guid Id, DateTimeOffset OccurredAt, AuditAction Action, string? Actor, string? SubjectType, string? SubjectReference,
    string? Process, Fuel? Fuel, string? Detail, Guid? OrganisationId, string? OrganisationName)
{
    public string ActionText => AuditQueries.Describe(Action);
}

public sealed record OrganisationOption(Guid Id, string Name);

public sealed record AuditPage(IReadOnlyList<AuditRow> Rows, AuditCursor? Next);

/// <summary>The audit trail, through one access rule (<see cref="VisibleTo"/>): operators see everything; an organisation's
/// MAU and admins see their organisation's events; nobody else sees any.</summary>
public sealed class AuditQueries(AdminOperation operation, TimeProvider time)
{
    public const int MaxPageSize = 200;
    public const int ExportBatchSize = 1000;

    public static readonly IReadOnlyList<string> ExportHeader =
    [
        "Time (UK)", "Time (UTC ISO 8601)", "Action", "Actor", "Actor organisation id", "Subject type", "Subject reference", "Process", "Fuel",
        "Detail",
    ];

    private static readonly CultureInfo EnGb = CultureInfo.GetCultureInfo("en-GB");

    public Task<AuditPage> SearchAsync(ClaimsPrincipal principal, AuditFilter filter, AuditCursor? after, int pageSize, CancellationToken ct = default) =>
        operation.QueryAsync(principal, async c =>
        {
            var size = Math.Clamp(pageSize, 1, MaxPageSize);
            var events = await Page(VisibleTo(c, filter), after, size + 1).ToListAsync(c.Ct);
            var page = events.Take(size).ToList();
            var processes = await ProcessNamesAsync(c.Db, page, c.Ct);
            var organisations = await OrganisationNamesAsync(c.Db, page, c.Ct);
            var rows = page.Select(e => new AuditRow(e.Id, e.OccurredAt, e.Action, e.ActorName, e.SubjectType, e.SubjectReference,
                    e.ProcessId is { } p ? processes.GetValueOrDefault(p) : null, e.Fuel, e.Detail, e.OrganisationId,
                    e.OrganisationId is { } o ? organisations.GetValueOrDefault(o) : null))
                .ToList();
            return new AuditPage(rows, events.Count > size ? new AuditCursor(page[^1].OccurredAt, page[^1].Id) : null);
        }, ct);

    /// <summary>Streams every matching event as CSV, reading in keyset batches (never the whole trail in memory and no
    /// transaction held open while a slow client downloads), then records the export in its own save. An export cut
    /// short is still recorded, as incomplete: whatever was sent has left the service.</summary>
    public async Task ExportAsync(ClaimsPrincipal principal, AuditFilter filter, Stream output, CancellationToken ct = default)
    {
        var written = 0;
        var started = false;
        var complete = false;
        try
        {
            await operation.QueryAsync(principal, async c =>
            {
                var visible = VisibleTo(c, filter);
                started = true;
                var csv = CsvExport.Create(output);
                await csv.WriteRowAsync(ExportHeader);
                AuditCursor? cursor = null;
                do
                {
                    var batch = await Page(visible, cursor, ExportBatchSize).ToListAsync(c.Ct);
                    var processes = await ProcessNamesAsync(c.Db, batch, c.Ct);
                    foreach (var e in batch)
                    {
                        await csv.WriteRowAsync([
                            FormatUk(e.OccurredAt), e.OccurredAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), Describe(e.Action),
                            e.ActorName, e.ActorOrganisationId?.ToString(), e.SubjectType, e.SubjectReference,
                            e.ProcessId is { } p ? processes.GetValueOrDefault(p) : null, e.Fuel?.ToString(), e.Detail,
                        ]);
                        written++;
                    }

                    await csv.FlushAsync();
                    cursor = batch.Count == ExportBatchSize ? new AuditCursor(batch[^1].OccurredAt, batch[^1].Id) : null;
                }
                while (cursor is not null);

                complete = true;
                return true;
            }, ct);
        }
        finally
        {
            if (started)
            {
                var detail = $"{written} events{(complete ? string.Empty : " (incomplete)")}; {Summary(filter)}";
                await operation.RunAsync(principal, c =>
                {
                    c.Db.AuditEvents.Add(AuditEvent.Record(AuditAction.AuditExported, time.GetUtcNow(), c.Actor.Ref, c.Actor.Organisation.Id,
                        subjectType: "AuditTrail", detail: detail));
                    return Task.CompletedTask;
                }, CancellationToken.None);
            }
        }
    }

    /// <summary>The organisations an operator can filter by.</summary>
    public Task<IReadOnlyList<OrganisationOption>> OrganisationsAsync(ClaimsPrincipal principal, CancellationToken ct = default) =>
        operation.QueryAsync(principal, async c =>
        {
            if (!c.Actor.IsOperator)
            {
                throw c.Deny("AuditTrail", "organisations");
            }

            var all = await c.Db.Organisations.AsNoTracking().OrderBy(o => o.Name).Select(o => new { o.Id, o.Name }).ToListAsync(c.Ct);
            return (IReadOnlyList<OrganisationOption>)all.Select(o => new OrganisationOption(o.Id.Value, o.Name)).ToList();
        }, ct);

    public static string Describe(AuditAction action) =>
        string.Concat(action.ToString().Select((ch, i) => i > 0 && char.IsUpper(ch) ? " " + char.ToLowerInvariant(ch) : ch.ToString()));

    /// <summary>UK local time to the second, e.g. "25 Nov 2026 14:03:12".</summary>
    public static string FormatUk(DateTimeOffset at) => UkTime.ToUk(at).ToString("d MMM yyyy HH:mm:ss", EnGb);

    /// <summary>The module's access rule, and the filters on top of it.</summary>
    private static IQueryable<AuditEvent> VisibleTo(AdminContext c, AuditFilter filter)
    {
        var query = c.Db.AuditEvents.AsNoTracking();
        if (c.Actor.IsOperator)
        {
            if (filter.Organisation is { } org)
            {
                query = query.Where(e => e.OrganisationId == org);
            }
        }
        else if (c.Actor.CanAdminister(c.Actor.Organisation.Id))
        {
            var own = c.Actor.Organisation.Id.Value;
            if (filter.Organisation is { } asked && asked != own)
            {
                throw c.Deny("AuditTrail", asked.ToString());
            }

            query = query.Where(e => e.OrganisationId == own);
        }
        else
        {
            throw c.Deny("AuditTrail", c.Actor.Organisation.Id.ToString());
        }

        if (filter.Problem is { } problem)
        {
            throw new DomainException(problem);
        }

        if (filter.Action is { } action)
        {
            query = query.Where(e => e.Action == action);
        }

        if (filter.User?.Trim() is { Length: > 0 } term)
        {
            // SQLite's upper() folds ASCII only, so the term as typed is tried too (a name with an accent, typed exactly).
            var upper = term.ToUpperInvariant();
            query = Guid.TryParse(term, out var userId)
                ? query.Where(e => e.ActorUserId == userId)
                : query.Where(e => e.ActorName != null && (e.ActorName.ToUpper().Contains(upper) || e.ActorName.Contains(term)));
        }

        if (filter.From is { } from)
        {
            var start = UkTime.StartOfDay(from);
            query = query.Where(e => e.OccurredAt >= start);
        }

        if (filter.To is { } to)
        {
            var end = UkTime.StartOfDay(to.AddDays(1));
            query = query.Where(e => e.OccurredAt < end);
        }

        return query;
    }

    /// <summary>Newest first, strictly after the cursor: keyset paging, so page 500 costs what page 1 does.</summary>
    private static IQueryable<AuditEvent> Page(IQueryable<AuditEvent> query, AuditCursor? after, int take)
    {
        if (after is { } cursor)
        {
            query = query.Where(e => e.OccurredAt < cursor.OccurredAt || (e.OccurredAt == cursor.OccurredAt && e.Id.CompareTo(cursor.Id) < 0));
        }

        return query.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id).Take(take);
    }

    private static async Task<Dictionary<Guid, string>> ProcessNamesAsync(SdesDbContext db, IEnumerable<AuditEvent> events, CancellationToken ct)
    {
        var ids = events.Where(e => e.ProcessId is not null).Select(e => new ProcessId(e.ProcessId!.Value)).Distinct().ToList();
        if (ids.Count == 0)
        {
            return [];
        }

        var found = await db.BusinessProcesses.AsNoTracking().Where(p => ids.Contains(p.Id)).Select(p => new { p.Id, p.Name }).ToListAsync(ct);
        return found.ToDictionary(p => p.Id.Value, p => p.Name);
    }

    private static async Task<Dictionary<Guid, string>> OrganisationNamesAsync(SdesDbContext db, IEnumerable<AuditEvent> events, CancellationToken ct)
    {
        var ids = events.Where(e => e.OrganisationId is not null).Select(e => new OrganisationId(e.OrganisationId!.Value)).Distinct().ToList();
        if (ids.Count == 0)
        {
            return [];
        }

        var found = await db.Organisations.AsNoTracking().Where(o => ids.Contains(o.Id)).Select(o => new { o.Id, o.Name }).ToListAsync(ct);
        return found.ToDictionary(o => o.Id.Value, o => o.Name);
    }

    /// <summary>What was exported, for the audit record. The user term itself is left out: it may be a person's name.</summary>
    public static string Summary(AuditFilter f) =>
        string.Join(", ", new[]
        {
            f.Action is { } a ? "action " + a : null, f.User is { Length: > 0 } ? "user filter" : null,
            f.From is { } from ? "from " + from.ToString("O", CultureInfo.InvariantCulture) : null,
            f.To is { } to ? "to " + to.ToString("O", CultureInfo.InvariantCulture) : null,
            f.Organisation is { } o ? "organisation " + o : null,
        }.Where(x => x is not null)) is { Length: > 0 } s ? s : "no filter";
}
