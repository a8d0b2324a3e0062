using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Sdes.App.Features.Admin;
using Sdes.App.Features.Shared;
using Sdes.Domain.Audit;
using Sdes.Domain.Organisations;
using Sdes.Domain.Processes;
using Sdes.Infrastructure.Exports;
using Sdes.Infrastructure.Persistence;

namespace Sdes.App.Features.Audit;

/// <summary>Filters as typed in the page or the export URL. Dates are UK calendar dates, inclusive.</summary>
public sealed record AuditFilter(string? User = null, AuditAction? Action = null, DateOnly? From = null, DateOnly? To = null, Guid? Organisation = null)
{
    public string? Problem => From is { } f && To is { } t && t < f ? "The 'to' date is before the 'from' date." : null;
}

public sealed record AuditCursor(DateTimeOffset OccurredAt, Guid Id);

public sealed record AuditRow(Guid Id, DateTimeOffset OccurredAt, AuditAction Action, string? Actor, string? SubjectType, string? SubjectReference,
    string? Process, Fuel? Fuel, string? Detail, Guid? OrganisationId, string? OrganisationName);

public sealed record OrganisationOption(Guid Id, string Name);

public sealed record AuditPage(IReadOnlyList<AuditRow> Rows, AuditCursor? Next);

/// <summary>The audit trail, through one access rule: operators see everything; an organisation's MAU and admins see
/// their organisation's events; nobody else sees any.</summary>
public sealed class AuditQueries(AdminOperation operation, TimeProvider time)
{
    public const int MaxPageSize = 200;

    public Task<AuditPage> SearchAsync(ClaimsPrincipal principal, AuditFilter filter, AuditCursor? after, int pageSize, CancellationToken ct = default) =>
        operation.QueryAsync(principal, async c =>
        {
            var query = VisibleTo(c, filter);
            if (after is { } cursor)
            {
                query = query.Where(e => e.OccurredAt < cursor.OccurredAt || (e.OccurredAt == cursor.OccurredAt && e.Id.CompareTo(cursor.Id) < 0));
            }

            var size = Math.Clamp(pageSize, 1, MaxPageSize);
            var events = await query.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id).Take(size + 1).ToListAsync(c.Ct);
            var names = await ProcessNamesAsync(c.Db, c.Ct);
            var organisations = await c.Db.Organisations.AsNoTracking().ToDictionaryAsync(o => o.Id.Value, o => o.Name, c.Ct);
            var rows = events.Take(size).Select(e => ToRow(e, names, organisations)).ToList();
            return new AuditPage(rows, events.Count > size ? new AuditCursor(rows[^1].OccurredAt, rows[^1].Id) : null);
        }, ct);

    /// <summary>Streams every matching event as CSV in batches (never the whole trail in memory), then audits the export.</summary>
    public Task ExportAsync(ClaimsPrincipal principal, AuditFilter filter, Stream output, CancellationToken ct = default) =>
        operation.RunAsync(principal, async c =>
        {
            var csv = CsvExport.Create(output);
            await csv.WriteRowAsync(["Time (UK)", "Time (UTC)", "Action", "Actor", "Actor organisation", "Subject type", "Subject", "Process", "Fuel", "Detail"]);
            var names = await ProcessNamesAsync(c.Db, c.Ct);
            AuditCursor? cursor = null;
            var count = 0;
            do
            {
                var query = VisibleTo(c, filter);
                if (cursor is { } at)
                {
                    query = query.Where(e => e.OccurredAt < at.OccurredAt || (e.OccurredAt == at.OccurredAt && e.Id.CompareTo(at.Id) < 0));
                }

                var batch = await query.OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id).Take(1000).ToListAsync(c.Ct);
                foreach (var e in batch)
                {
                    await csv.WriteRowAsync([UkTime.Format(e.OccurredAt), e.OccurredAt.ToString("O", CultureInfo.InvariantCulture), Describe(e.Action),
                        e.ActorName, e.ActorOrganisationId?.ToString(), e.SubjectType, e.SubjectReference,
                        e.ProcessId is { } p ? names.GetValueOrDefault(p) : null, e.Fuel?.ToString(), e.Detail]);
                }

                count += batch.Count;
                cursor = batch.Count == 1000 ? new AuditCursor(batch[^1].OccurredAt, batch[^1].Id) : null;
            }
            while (cursor is not null);

            await csv.FlushAsync();
            c.Db.AuditEvents.Add(AuditEvent.Record(AuditAction.AuditExported, time.GetUtcNow(), c.Actor.Ref, c.Actor.Organisation.Id,
                detail: $"{count} events; {Summary(filter)}"));
        }, ct);

    public static string Describe(AuditAction action) =>
        string.Concat(action.ToString().Select((ch, i) => i > 0 && char.IsUpper(ch) ? " " + char.ToLowerInvariant(ch) : ch.ToString()));

    private IQueryable<AuditEvent> VisibleTo(AdminContext c, AuditFilter filter)
    {
        if (filter.Problem is { } problem)
        {
            throw new Domain.Common.DomainException(problem);
        }

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

        if (filter.Action is { } action)
        {
            query = query.Where(e => e.Action == action);
        }

        if (!string.IsNullOrWhiteSpace(filter.User))
        {
            var term = filter.User.Trim().ToUpperInvariant();
            query = Guid.TryParse(term, out var userId)
                ? query.Where(e => e.ActorUserId == userId)
                : query.Where(e => e.ActorName != null && e.ActorName.ToUpper().Contains(term));
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

    private static async Task<Dictionary<Guid, string>> ProcessNamesAsync(SdesDbContext db, CancellationToken ct) =>
        await db.BusinessProcesses.AsNoTracking().ToDictionaryAsync(p => p.Id.Value, p => p.Name, ct);

    private static AuditRow ToRow(AuditEvent e, Dictionary<Guid, string> names, Dictionary<Guid, string> organisations) =>
        new(e.Id, e.OccurredAt, e.Action, e.ActorName, e.SubjectType, e.SubjectReference, e.ProcessId is { } p ? names.GetValueOrDefault(p) : null,
            e.Fuel, e.Detail, e.OrganisationId, e.OrganisationId is { } o ? organisations.GetValueOrDefault(o) : null);

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

    private static string Summary(AuditFilter f) =>
        string.Join(", ", new[]
        {
            f.Action is { } a ? "action " + a : null, f.User is { Length: > 0 } ? "user filter" : null,
            f.From is { } from ? "from " + from.ToString("O", CultureInfo.InvariantCulture) : null,
            f.To is { } to ? "to " + to.ToString("O", CultureInfo.InvariantCulture) : null,
            f.Organisation is { } o ? "organisation " + o : null,
        }.Where(x => x is not null)) is { Length: > 0 } s ? s : "no filter";
}
