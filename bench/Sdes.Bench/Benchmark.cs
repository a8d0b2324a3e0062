using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Sdes.App.Features.Communications;
using Sdes.Domain.Communications;
using Sdes.Infrastructure.Persistence;

namespace Sdes.Bench;

internal sealed record Scenario(string Name, bool Search, CommunicationFilter Filter, bool CompareQueryString = false)
{
    public double GoalMs => Search ? 150 : 50;
}

/// <summary>How to reach one database: EF contexts (optionally with the capture interceptor) and raw ADO.NET connections.</summary>
internal sealed class Target
{
    public required string Provider { get; init; }
    public required Func<IInterceptor?, SdesDbContext> Context { get; init; }
    public required Func<CancellationToken, Task<DbConnection>> OpenAsync { get; init; }
    public required string PlanPrefix { get; init; }
}

internal sealed class CommandStats(CapturedCommand command)
{
    public CapturedCommand Command { get; } = command;
    public List<double> Times { get; } = [];
    public string Plan { get; set; } = string.Empty;
}

internal sealed class ScenarioResult(Scenario scenario)
{
    public Scenario Scenario { get; } = scenario;
    public long Matches { get; set; }
    public int Rows { get; set; }
    public List<double> Ef { get; } = [];
    public List<double> Raw { get; } = [];
    public List<CommandStats> Commands { get; } = [];
    public string? QueryString { get; set; }
    public bool? QueryStringMatchesExecutedSql { get; set; }
    public List<double> EfPageOnly { get; } = [];
    public List<double> QueryStringViaAdo { get; } = [];
    public string? Error { get; set; }

    public bool MeetsGoal => Error is null && Stats.Percentile(Ef, 0.95) <= Scenario.GoalMs;
}

internal static class Stats
{
    /// <summary>Nearest-rank percentile.</summary>
    public static double Percentile(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static string Ms(double value) => double.IsNaN(value) ? "-" : value < 10 ? value.ToString("0.00", CultureInfo.InvariantCulture)
        : value < 100 ? value.ToString("0.0", CultureInfo.InvariantCulture) : value.ToString("0", CultureInfo.InvariantCulture);
}

/// <summary>Runs each scenario through the real <see cref="CommunicationQueries.ListAsync(SdesDbContext, CommunicationViewer, CommunicationFilter, CancellationToken)"/>
/// (a new context per run, as the app's context factory gives each operation) and, alternately, the very commands that
/// call sent (captured once by an interceptor) through plain ADO.NET.</summary>
internal sealed class Benchmark(Target target, CommunicationViewer viewer, int runs, int warmup)
{
    private const double SlowRunMs = 2000;

    public async Task<ScenarioResult> RunAsync(Scenario scenario, CancellationToken ct)
    {
        var result = new ScenarioResult(scenario);
        try
        {
            await RunCoreAsync(result, ct);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or Sdes.Domain.Common.DomainException)
        {
            result.Error = e.GetType().Name + ": " + e.Message;
        }

        return result;
    }

    /// <summary>The default page, to get a cursor for the second page.</summary>
    public async Task<CommunicationPage> PageAsync(CommunicationFilter filter, CancellationToken ct)
    {
        await using var db = target.Context(null);
        return await CommunicationQueries.ListAsync(db, viewer, filter, ct);
    }

    private async Task RunCoreAsync(ScenarioResult result, CancellationToken ct)
    {
        var filter = result.Scenario.Filter;
        var capture = new CaptureInterceptor();
        CommunicationPage page;
        await using (var db = target.Context(capture))
        {
            page = await CommunicationQueries.ListAsync(db, viewer, filter, ct);
        }

        result.Rows = page.Rows.Count;
        result.Commands.AddRange(capture.Commands.Select(c => new CommandStats(c)));
        await using (var db = target.Context(null))
        {
            result.Matches = await (await CommunicationQueries.FilteredAsync(db, viewer, filter, ct)).CountAsync(ct);
        }

        // Sanity: the raw page command returns what EF read (rows + the one extra that says "there is a next page").
        // The last page command is the one whose rows were used (a SQLite walk that did not fill the page is followed by the index query).
        var pageCommand = result.Commands.LastOrDefault(c => c.Command.Label.StartsWith("page", StringComparison.Ordinal));
        if (pageCommand is not null)
        {
            var rawRows = await RawAsync([pageCommand], record: false, ct);

            var expected = page.Rows.Count + (page.NextCursor is null ? 0 : 1);
            if (rawRows != expected)
            {
                throw new InvalidOperationException($"Raw replay returned {rawRows} rows, EF read {expected}.");
            }
        }

        var runCount = runs;
        var warm = warmup;
        var first = await TimeAsync(() => EfAsync(filter, ct));
        if (first > SlowRunMs)
        {
            runCount = Math.Min(runs, 10);
            warm = 0;
            Console.WriteLine($"    (slow: {first:N0} ms per run; {runCount} runs)");
        }

        for (var i = 0; i < warm; i++)
        {
            await EfAsync(filter, ct);
            await RawAsync(result.Commands, record: false, ct);
        }

        for (var i = 0; i < runCount; i++)
        {
            result.Ef.Add(await TimeAsync(() => EfAsync(filter, ct)));
            result.Raw.Add(await TimeAsync(() => RawAsync(result.Commands, record: true, ct)));
        }

        foreach (var command in result.Commands)
        {
            command.Plan = await PlanAsync(command.Command, ct);
        }

        if (result.Scenario.CompareQueryString && pageCommand is not null)
        {
            await CompareQueryStringAsync(result, pageCommand.Command, Math.Min(runCount, runs), warm, ct);
        }
    }

    private async Task<int> EfAsync(CommunicationFilter filter, CancellationToken ct)
    {
        await using var db = target.Context(null);
        var page = await CommunicationQueries.ListAsync(db, viewer, filter, ct);
        return page.Rows.Count;
    }

    private async Task<int> RawAsync(IReadOnlyList<CommandStats> commands, bool record, CancellationToken ct)
    {
        var rows = 0;
        await using var connection = await target.OpenAsync(ct);
        foreach (var stats in commands)
        {
            var started = Stopwatch.GetTimestamp();
            await using (var command = stats.Command.Bind(connection))
            {
                rows += await ReadAllAsync(command, ct);
            }

            if (record)
            {
                stats.Times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }

        return rows;
    }

    private static async Task<int> ReadAllAsync(DbCommand command, CancellationToken ct)
    {
        var rows = 0;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                _ = reader.GetValue(i);
            }

            rows++;
        }

        return rows;
    }

    private static async Task<double> TimeAsync(Func<Task<int>> action)
    {
        var started = Stopwatch.GetTimestamp();
        await action();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    /// <summary>EXPLAIN QUERY PLAN on SQLite (as an indented tree); EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL.</summary>
    private async Task<string> PlanAsync(CapturedCommand command, CancellationToken ct)
    {
        await using var connection = await target.OpenAsync(ct);
        await using var explain = command.Bind(connection, target.PlanPrefix + command.Sql);
        await using var reader = await explain.ExecuteReaderAsync(ct);
        var text = new StringBuilder();
        var depth = new Dictionary<long, int> { [0] = 0 };
        while (await reader.ReadAsync(ct))
        {
            if (reader.FieldCount >= 4)
            {
                var id = reader.GetInt64(0);
                var parent = reader.GetInt64(1);
                var d = depth.GetValueOrDefault(parent) + 1;
                depth[id] = d;
                text.Append(new string(' ', (d - 1) * 2)).Append("- ").AppendLine(reader.GetString(3));
            }
            else
            {
                text.AppendLine(reader.GetString(0));
            }
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>The page query alone: built as ListAsync builds it (FilteredAsync, the default sort, Take(pageSize + 1), the
    /// join and projection), its ToQueryString() text run through ADO.NET with the parameters EF sent, against the same
    /// IQueryable materialised by EF.</summary>
    private async Task CompareQueryStringAsync(ScenarioResult result, CapturedCommand executed, int runCount, int warm, CancellationToken ct)
    {
        string queryString;
        await using (var db = target.Context(null))
        {
            queryString = (await PageQueryAsync(db, result.Scenario.Filter, ct)).ToQueryString();
        }

        var body = string.Join('\n', queryString.Split('\n')
            .SkipWhile(l => l.StartsWith(".param set ", StringComparison.Ordinal) || l.StartsWith("-- @", StringComparison.Ordinal) || l.Trim().Length == 0));
        result.QueryString = queryString;
        result.QueryStringMatchesExecutedSql = Normalise(body) == Normalise(executed.Sql);
        if (result.QueryStringMatchesExecutedSql != true)
        {
            // ListAsync answered another way (SQLite's walk for common words): the index query's text cannot take its parameters.
            return;
        }

        for (var i = 0; i < warm + runCount; i++)
        {
            var ef = await TimeAsync(async () =>
            {
                await using var db = target.Context(null);
                return (await (await PageQueryAsync(db, result.Scenario.Filter, ct)).ToListAsync(ct)).Count;
            });
            var ado = await TimeAsync(async () =>
            {
                await using var connection = await target.OpenAsync(ct);
                await using var command = executed.Bind(connection, body);
                return await ReadAllAsync(command, ct);
            });
            if (i >= warm)
            {
                result.EfPageOnly.Add(ef);
                result.QueryStringViaAdo.Add(ado);
            }
        }
    }

    private static string Normalise(string sql) => sql.Replace("\r", string.Empty, StringComparison.Ordinal).Trim();

    private async Task<IQueryable<PageRow>> PageQueryAsync(SdesDbContext db, CommunicationFilter filter, CancellationToken ct)
    {
        var pageSize = Math.Clamp(filter.PageSize, 1, CommunicationQueries.MaxPageSize);
        var query = await CommunicationQueries.FilteredAsync(db, viewer, filter, ct);
        query = query.OrderByDescending(p => p.LastMessageAt).ThenByDescending(p => p.Id);
        var page = query.Take(pageSize + 1);
        return (from p in page
                join c in db.Communications on p.CommunicationId equals c.Id
                select new PageRow(p.Id, p.ReferenceNumber, c.Subject, p.ProcessId, p.CounterpartyOrganisationId, p.Side, c.AttachmentNames,
                    p.CreatedAt, p.LastMessageAt, p.ArchivedAt, p.CurrentLevel, p.LastMessageSentByThisSide, p.OwnerName, p.HasUnread, p.Status))
            .AsNoTracking();
    }
}

internal sealed record PageRow(long Id, long ReferenceNumber, string Subject, Sdes.Domain.Processes.ProcessId ProcessId,
    Sdes.Domain.Organisations.OrganisationId CounterpartyOrganisationId, PartySide Side, string AttachmentNames, DateTimeOffset CreatedAt,
    DateTimeOffset LastMessageAt, DateTimeOffset? ArchivedAt, int CurrentLevel, bool LastMessageSentByThisSide, string? OwnerName, bool HasUnread,
    CommunicationStatus Status);
