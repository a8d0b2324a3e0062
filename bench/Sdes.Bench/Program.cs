using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Sdes.App.Features.Communications;
using Sdes.Bench;
using Sdes.Domain.Common;
using Sdes.Domain.Communications;
using Sdes.Infrastructure.Persistence;

// Usage: Sdes.Bench --provider sqlite|postgres [--scale 1] [--runs 50] [--warmup 5] [--data DIR] [--out DIR]
//                   [--postgres CONNECTION] [--reseed] [--seed-only] [--only TEXT]
// bench/run.sh builds it, starts PostgreSQL and runs both providers; see bench/README.md.
var options = Options.Parse(args);
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
var ct = cancel.Token;
var communications = (int)Math.Round(1_000_000 * options.Scale);
if (communications < 1000)
{
    Console.Error.WriteLine("--scale is too small: at least 1,000 communications (0.001).");
    return 2;
}

Console.WriteLine($"SDEP list benchmark: {options.Provider}, {communications:N0} communications (scale {options.Scale.ToString(CultureInfo.InvariantCulture)})");
Target target;
SeedInfo info;
string? whatIfCopy = null;
string databaseDescription;
if (options.Provider == "sqlite")
{
    Directory.CreateDirectory(options.DataDir);
    var file = Path.Combine(options.DataDir, $"sdes-bench-{communications}.db");
    var connectionString = SqliteConnectionString(file);
    SeedInfo? existing = null;
    if (File.Exists(file) && !options.Reseed)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct);
        existing = await SeedInfo.ReadAsync(connection, ct);
    }

    if (existing?.Matches(communications) == true)
    {
        Console.WriteLine($"Using the cached database {file} (seeded {existing["seeded_at"]} in {existing["seed_total_seconds"]} s).");
        info = existing;
        await using var db = SqliteContext(connectionString, null);
        await db.Database.MigrateAsync(ct); // picks up index changes made since the cache was built
    }
    else
    {
        var partial = file + ".partial";
        SqliteConnection.ClearAllPools();
        foreach (var f in new[] { file, partial, partial + "-journal", file + "-journal" })
        {
            File.Delete(f);
        }

        var partialConnection = SqliteConnectionString(partial);
        info = await SeedAsync(() => SqliteContext(partialConnection, null), (gen, i) => SqliteSeeder.SeedAsync(partialConnection, gen, i, ct),
            async i =>
            {
                await using var connection = new SqliteConnection(partialConnection);
                await connection.OpenAsync(ct);
                await i.WriteAsync(connection, ct);
            }, ct);
        SqliteConnection.ClearAllPools();
        File.Move(partial, file);
    }

    if (options.ApplySql is { } whatIfSql)
    {
        // Never on the cache: on a copy, deleted afterwards.
        var copy = Path.Combine(options.DataDir, $"what-if-{communications}.db");
        Console.WriteLine($"Copying the database to {copy} for {Path.GetFileName(whatIfSql)} ...");
        SqliteConnection.ClearAllPools();
        File.Copy(file, copy, overwrite: true);
        whatIfCopy = copy;
        file = copy;
        connectionString = SqliteConnectionString(copy);
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct);
        await ApplySqlAsync(connection, whatIfSql);
    }

    await using (var connection = new SqliteConnection(connectionString))
    {
        await connection.OpenAsync(ct);
        var version = (await Sql.RowsAsync(connection, "SELECT sqlite_version()", ct))[0][0];
        databaseDescription = $"SQLite {version} (Microsoft.Data.Sqlite, the app's connection string: `Data Source=…;Foreign Keys=True`, default journal mode and page cache, no ANALYZE), "
                              + $"file {new FileInfo(file).Length / (1024.0 * 1024 * 1024):0.0} GB at `{Path.GetRelativePath(options.RepoRoot, file)}`";
    }

    target = new Target
    {
        Provider = "SQLite",
        Context = interceptor => SqliteContext(connectionString, interceptor),
        OpenAsync = async token =>
        {
            var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(token);
            // The same word function the app's contexts register, so a replayed walk runs as the app ran it.
            connection.CreateFunction<string?, string, bool>(Sdes.Infrastructure.Persistence.SqliteWordSearch.FunctionName,
                Sdes.Infrastructure.Persistence.SqliteWordSearch.Evaluate, isDeterministic: true);
            return connection;
        },
        PlanPrefix = "EXPLAIN QUERY PLAN ",
    };
}
else
{
    var connectionString = options.Postgres
        ?? Environment.GetEnvironmentVariable("SDES_BENCH_POSTGRES") ?? Environment.GetEnvironmentVariable("SDES_TEST_POSTGRES")
        ?? throw new InvalidOperationException("Give --postgres or set SDES_BENCH_POSTGRES (bench/run.sh starts a server and sets it).");
    var dataSource = NpgsqlDataSource.Create(connectionString);
    SeedInfo? existing;
    await using (var connection = await dataSource.OpenConnectionAsync(ct))
    {
        existing = options.Reseed ? null : await SeedInfo.ReadAsync(connection, ct);
    }

    if (existing?.Matches(communications) == true)
    {
        Console.WriteLine($"Using the already seeded database (seeded {existing["seeded_at"]} in {existing["seed_total_seconds"]} s).");
        info = existing;
        await using var db = PostgresContext(connectionString, null);
        await db.Database.MigrateAsync(ct);
    }
    else
    {
        info = await SeedAsync(() => PostgresContext(connectionString, null), async (gen, i) =>
            {
                await using (var connection = await dataSource.OpenConnectionAsync(ct))
                {
                    // A rerun against a database holding an earlier or partial seed starts the bench data again.
                    await Sql.ExecAsync(connection,
                        "TRUNCATE \"MessageAttachments\", \"CommunicationMessages\", \"CommunicationEvents\", \"CommunicationParties\", \"Communications\"", ct);
                    await Sql.ExecAsync(connection, "DROP TABLE IF EXISTS \"BenchSeed\"", ct);
                }

                await PostgresSeeder.SeedAsync(connectionString, gen, i, ct);
            },
            async i =>
            {
                await using var connection = await dataSource.OpenConnectionAsync(ct);
                await i.WriteAsync(connection, ct);
            }, ct);
    }

    if (options.ApplySql is { } whatIfSql)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await ApplySqlAsync(connection, whatIfSql);
    }

    await using (var connection = await dataSource.OpenConnectionAsync(ct))
    {
        var rows = await Sql.RowsAsync(connection,
            """
            SELECT version(), current_setting('shared_buffers'), current_setting('effective_cache_size'), current_setting('work_mem'),
                   current_setting('random_page_cost'), current_setting('jit'), pg_size_pretty(pg_database_size(current_database()))
            """, ct);
        var r = rows[0];
        databaseDescription = $"{r[0].Split(" on ")[0]} (shared_buffers {r[1]}, effective_cache_size {r[2]}, work_mem {r[3]}, random_page_cost {r[4]}, jit {r[5]}), "
                              + $"database {r[6]}; Npgsql with the app's `UseNpgsql(connectionString)`";
    }

    target = new Target
    {
        Provider = "PostgreSQL",
        Context = interceptor => PostgresContext(connectionString, interceptor),
        OpenAsync = async token => await dataSource.OpenConnectionAsync(token),
        PlanPrefix = "EXPLAIN (ANALYZE, BUFFERS) ",
    };
}

if (options.SeedOnly)
{
    return 0;
}

// The viewer: the MAU of the viewer organisation, with exactly the assignments CommunicationViewer.From would give it.
CommunicationViewer viewer;
List<(CommunicationStatus Status, int Count)> queue;
await using (var db = target.Context(null))
{
    var org = await db.Organisations.AsNoTracking().SingleAsync(o => o.Name == World.ViewerOrganisation, ct);
    var userId = org.MasterAdminUserId!.Value;
    var mine = org.Assignments.Where(a => a.UserId == userId).ToList();
    viewer = new CommunicationViewer(new UserRef(userId, World.ViewerUser, org.Id), org.Id, mine.Select(a => a.ProcessId).Distinct().ToList(),
        mine.Select(a => (a.ProcessId, a.Level)).ToList());
    var orgId = org.Id;
    queue = (await db.CommunicationParties.AsNoTracking().Where(p => p.OrganisationId == orgId).GroupBy(p => p.Status)
        .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct)).Select(g => (g.Key, g.Count)).OrderBy(g => g.Key).ToList();
}

var bench = new Benchmark(target, viewer, options.Runs, options.Warmup);
var first = await bench.PageAsync(new CommunicationFilter(), ct);
var scenarios = new List<Scenario>
{
    new("Default: active, latest first", false, new CommunicationFilter(), CompareQueryString: true),
    new("Second page (keyset cursor)", false, new CommunicationFilter { After = first.NextCursor }),
    new("Sent", false, new CommunicationFilter { Direction = DirectionFilter.Sent }),
    new("Received", false, new CommunicationFilter { Direction = DirectionFilter.Received }),
    new("Process: Debt Assignment Protocol (~8%)", false, new CommunicationFilter { ProcessCode = "debt-assignment-protocol" }),
    new("Process: Retrospective Amendment Request (~0.5%)", false, new CommunicationFilter { ProcessCode = "retrospective-amendment-request" }),
    new($"Counterparty: {info["counterparty_large_name"]} (largest)", false, new CommunicationFilter { Counterparty = Guid.Parse(info["counterparty_large"]) }),
    new($"Counterparty: {info["counterparty_small_name"]} (small)", false, new CommunicationFilter { Counterparty = Guid.Parse(info["counterparty_small"]) }),
    new("Owned by me", false, new CommunicationFilter { AssignedToMe = true }),
    new("Assigned to me at level 2", false, new CommunicationFilter { MyLevel = 2 }),
    new("Archived folder", false, new CommunicationFilter { Folder = Folder.Archived }),
    new("Sort: created, latest first", false, new CommunicationFilter { Sort = ListSort.Created }),
    new($"Search: common word \"{Text.CommonWord}\"", true, new CommunicationFilter { Search = Text.CommonWord }, CompareQueryString: true),
    new($"Search: rare word \"{Text.RareWord}\"", true, new CommunicationFilter { Search = Text.RareWord }),
    new($"Search: two words \"{Text.TwoWords}\"", true, new CommunicationFilter { Search = Text.TwoWords }),
    new($"Search: MPAN {info["sample_mpan"]}", true, new CommunicationFilter { Search = info["sample_mpan"] }),
    new("Search: own tag \"ombudsman\"", true, new CommunicationFilter { Search = "ombudsman" }),
    new($"Search: reference {info["sample_reference"]}", true, new CommunicationFilter { Search = info["sample_reference"] }),
};
if (options.Only is { } only)
{
    scenarios = scenarios.Where(s => s.Name.Contains(only, StringComparison.OrdinalIgnoreCase)).ToList();
}

// JIT and connection pools warm before the first scenario (each scenario has its own warm-up runs too).
Console.WriteLine("Warming up ...");
for (var i = 0; i < 30; i++)
{
    await bench.PageAsync(new CommunicationFilter(), ct);
}

var results = new List<ScenarioResult>();
var benchStarted = Stopwatch.GetTimestamp();
var loadBefore = Report.LoadAverage();
foreach (var scenario in scenarios)
{
    Console.WriteLine($"  {scenario.Name} ...");
    var result = await bench.RunAsync(scenario, ct);
    results.Add(result);
    Console.WriteLine(result.Error is not null
        ? $"    ERROR {result.Error}"
        : $"    EF p50 {Stats.Ms(Stats.Percentile(result.Ef, 0.5))} p95 {Stats.Ms(Stats.Percentile(result.Ef, 0.95))} ms; raw p50 {Stats.Ms(Stats.Percentile(result.Raw, 0.5))} ms; {result.Matches:N0} matches");
}

if (whatIfCopy is not null)
{
    SqliteConnection.ClearAllPools();
    File.Delete(whatIfCopy);
}

var report = Report.Build(target.Provider, options, info, databaseDescription, queue, results, Stopwatch.GetElapsedTime(benchStarted),
    (loadBefore, Report.LoadAverage()));
Directory.CreateDirectory(options.OutDir);
// bench/results-<provider>[-what-if].md at full scale; smaller scales get their own (git-ignored) files.
var scaleSuffix = Math.Abs(options.Scale - 1) < 1e-9 ? string.Empty : "-scale" + options.Scale.ToString(CultureInfo.InvariantCulture);
var output = Path.Combine(options.OutDir, $"results-{options.Provider}{(options.ApplySql is null ? string.Empty : "-what-if")}{scaleSuffix}.md");
await File.WriteAllTextAsync(output, report, ct);
Console.WriteLine();
Console.WriteLine(Report.Table(results));
Console.WriteLine($"Written to {output}");
return results.Any(r => r.Error is not null) ? 1 : 0;

static string SqliteConnectionString(string file) => new SqliteConnectionStringBuilder { DataSource = file, ForeignKeys = true }.ToString();

static SqliteSdesDbContext SqliteContext(string connectionString, Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor? interceptor)
{
    var builder = new DbContextOptionsBuilder<SqliteSdesDbContext>().UseSqlite(connectionString);
    if (interceptor is not null)
    {
        builder.AddInterceptors(interceptor);
    }

    return new SqliteSdesDbContext(builder.Options);
}

static PostgresSdesDbContext PostgresContext(string connectionString, Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor? interceptor)
{
    var builder = new DbContextOptionsBuilder<PostgresSdesDbContext>().UseNpgsql(connectionString);
    if (interceptor is not null)
    {
        builder.AddInterceptors(interceptor);
    }

    return new PostgresSdesDbContext(builder.Options);
}

// Statements separated by lines ending in ';', "--" comments ignored; each statement is timed.
async Task ApplySqlAsync(System.Data.Common.DbConnection connection, string path)
{
    var statements = new List<string>();
    var current = new System.Text.StringBuilder();
    foreach (var line in await File.ReadAllLinesAsync(path, ct))
    {
        if (line.TrimStart().StartsWith("--", StringComparison.Ordinal) || line.Trim().Length == 0)
        {
            continue;
        }

        current.AppendLine(line);
        if (line.TrimEnd().EndsWith(';'))
        {
            statements.Add(current.ToString().Trim());
            current.Clear();
        }
    }

    foreach (var statement in statements)
    {
        var started = Stopwatch.GetTimestamp();
        await Sql.ExecAsync(connection, statement, ct);
        Console.WriteLine($"  {Stopwatch.GetElapsedTime(started).TotalSeconds,6:N1} s  {statement.ReplaceLineEndings(" ")}");
    }
}

async Task<SeedInfo> SeedAsync(Func<SdesDbContext> context, Func<Generator, SeedInfo, Task> bulk, Func<SeedInfo, Task> write, CancellationToken token)
{
    Console.WriteLine("Seeding ...");
    var started = Stopwatch.GetTimestamp();
    var seed = new SeedInfo();
    Generator generator;
    await using (var db = context())
    {
        var (orgs, catalogue) = await Seeding.PrepareAsync(db, token);
        generator = new Generator(communications, orgs, catalogue);
    }

    generator.Plan();
    await bulk(generator, seed);
    var total = Stopwatch.GetElapsedTime(started);
    seed["generator"] = SeedInfo.GeneratorVersion;
    seed["scale"] = options.Scale.ToString(CultureInfo.InvariantCulture);
    seed["seeded_at"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
    seed["seed_total_seconds"] = total.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);
    seed["complete"] = "yes";
    await write(seed);
    Console.WriteLine($"Seeded in {total.TotalSeconds:N0} s.");
    return seed;
}
