using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Sdes.Domain.Communications;

namespace Sdes.Bench;

internal static class Report
{
    public static string Table(IReadOnlyList<ScenarioResult> results)
    {
        var s = new StringBuilder();
        s.AppendLine("| Scenario | Goal (p95) | Matches | Rows | EF p50 | EF p95 | EF max | Raw p50 | Raw p95 | Raw max | Runs | Meets goal |");
        s.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: |");
        foreach (var r in results)
        {
            if (r.Error is not null)
            {
                s.AppendLine(CultureInfo.InvariantCulture, $"| {r.Scenario.Name} | {r.Scenario.GoalMs} ms | | | error: {r.Error.Replace("|", "/", StringComparison.Ordinal)} | | | | | | | no |");
                continue;
            }

            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Scenario.Name} | {r.Scenario.GoalMs} ms | {r.Matches:N0} | {r.Rows} | {P(r.Ef, 0.5)} | {P(r.Ef, 0.95)} | {Max(r.Ef)} | {P(r.Raw, 0.5)} | {P(r.Raw, 0.95)} | {Max(r.Raw)} | {r.Ef.Count} | {(r.MeetsGoal ? "yes" : "**NO**")} |");
        }

        return s.ToString();
    }

    public static string Build(string provider, Options options, SeedInfo info, string database, IReadOnlyList<(CommunicationStatus Status, int Count)> queue,
        IReadOnlyList<ScenarioResult> results, TimeSpan elapsed, (string Before, string After) load)
    {
        var s = new StringBuilder();
        s.AppendLine(CultureInfo.InvariantCulture, $"# SDEP list benchmark: {provider}");
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture,
            $"Generated {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC by `bench/run.sh` (scale {options.Scale.ToString(CultureInfo.InvariantCulture)}, {options.Runs} runs after {options.Warmup} warm-up runs per scenario; the benchmark itself took {elapsed.TotalSeconds:N0} s). All times in milliseconds.");
        s.AppendLine();
        if (options.ApplySql is not null)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"**What-if run**: the seeded database with `{Path.GetRelativePath(options.RepoRoot, options.ApplySql)}` applied first (index changes proposed in bench/README.md; the migrations are unchanged). Compare with `results-{(provider == "SQLite" ? "sqlite" : "postgres")}.md`.");
            s.AppendLine();
        }

        s.AppendLine("## Setup");
        s.AppendLine();
        s.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {Cpu()}, {Environment.ProcessorCount} logical CPUs, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024):0} GB RAM, {RuntimeInformation.OSDescription}, .NET {Environment.Version}.");
        s.AppendLine(CultureInfo.InvariantCulture, $"- Load average (1, 5, 15 min) when the measurements started: {load.Before}; when they ended: {load.After}. Other work on the machine shows up as noise in p95 and max.");
        s.AppendLine(CultureInfo.InvariantCulture, $"- Database: {database}.");
        s.AppendLine(CultureInfo.InvariantCulture,
            $"- Data: {info.Long("communications"):N0} communications ({info.Long("parties"):N0} party rows, the queue table) and {info.Long("messages"):N0} messages, across 40 organisations (23 suppliers, 14 DNOs, 3 IDNOs) and the 15 catalogue processes; 65% active, 25% archived, 10% deleted (content erased as the retention job leaves it). Subjects, bodies, bespoke values (MPANs with valid check digits, MPRNs, dates, amounts) and private tags come from a small vocabulary (`bench/Sdes.Bench/Text.cs`).");
        s.AppendLine(CultureInfo.InvariantCulture,
            $"- Viewer: the MAU of \"{World.ViewerOrganisation}\" (a dual-fuel supplier in 20% of all communications), assigned to all 15 processes at level 1 and to 6 at level 2. Its queue: {string.Join(", ", queue.Select(q => $"{q.Count:N0} {q.Status.ToString().ToLowerInvariant()}"))} party rows.");
        var phases = new List<string> { $"bulk load {info["seed_load_seconds"]} s", $"indexes {info["seed_index_seconds"]} s" };
        if (info["seed_fts_seconds"].Length > 0)
        {
            phases.Add($"FTS5 rebuild {info["seed_fts_seconds"]} s");
        }

        if (info["seed_vacuum_seconds"].Length > 0)
        {
            phases.Add($"VACUUM ANALYZE {info["seed_vacuum_seconds"]} s");
        }

        s.AppendLine(CultureInfo.InvariantCulture, $"- Seed: {info["seed_total_seconds"]} s in all ({string.Join(", ", phases)}), at {info["seeded_at"]}.");
        s.AppendLine("- EF: `CommunicationQueries.ListAsync(db, viewer, filter, ct)`, a new context per run as the app's context factory gives each operation; it sends the page query, the archived-unread badge count, the two name look-ups and, with a process filter, the process look-up. Raw: exactly those commands (SQL text and parameters captured from EF by an interceptor) through ADO.NET on one pooled connection, reading every column. EF and raw runs alternate. Caches are warm (the data fit in RAM).");
        s.AppendLine("- Goal (from the issue): p95 <= 50 ms for a filtered page, <= 150 ms for a text search, judged on the EF column (the real code path).");
        s.AppendLine();
        s.AppendLine("## Results");
        s.AppendLine();
        s.Append(Table(results));
        s.AppendLine();
        s.AppendLine("Matches: rows the filter selects in the viewer's queue (`FilteredAsync(...).CountAsync()`); Rows: rows on the page.");
        s.AppendLine();

        s.AppendLine("## Where the time goes");
        s.AppendLine();
        s.AppendLine("Raw replay, per command: the page query, the archived-unread badge count ListAsync runs on every page, and the small look-ups (counterparty and process names, the process by code).");
        s.AppendLine();
        s.AppendLine("| Scenario | page p50 | page p95 | badge COUNT p50 | badge COUNT p95 | look-ups p50 (sum) |");
        s.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in results.Where(r => r.Error is null))
        {
            var page = r.Commands.FirstOrDefault(c => c.Command.Label.StartsWith("page", StringComparison.Ordinal));
            var badge = r.Commands.FirstOrDefault(c => c.Command.Label.StartsWith("archived", StringComparison.Ordinal));
            var lookups = r.Commands.Where(c => c != page && c != badge).Sum(c => Stats.Percentile(c.Times, 0.5));
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Scenario.Name} | {P(page?.Times ?? [], 0.5)} | {P(page?.Times ?? [], 0.95)} | {P(badge?.Times ?? [], 0.5)} | {P(badge?.Times ?? [], 0.95)} | {Stats.Ms(lookups)} |");
        }

        s.AppendLine();
        var compared = results.Where(r => r.QueryString is not null).ToList();
        if (compared.Count > 0)
        {
            s.AppendLine("## EF vs raw SQL: the page query alone");
            s.AppendLine();
            s.AppendLine("The page query built as ListAsync builds it, materialised by EF, against its `ToQueryString()` text run through ADO.NET with the parameters EF sent.");
            s.AppendLine();
            s.AppendLine("| Scenario | EF p50 | EF p95 | ToQueryString via ADO p50 | p95 | SQL identical to what ListAsync sent |");
            s.AppendLine("| --- | ---: | ---: | ---: | ---: | :---: |");
            foreach (var r in compared)
            {
                s.AppendLine(CultureInfo.InvariantCulture,
                    $"| {r.Scenario.Name} | {P(r.EfPageOnly, 0.5)} | {P(r.EfPageOnly, 0.95)} | {P(r.QueryStringViaAdo, 0.5)} | {P(r.QueryStringViaAdo, 0.95)} | {(r.QueryStringMatchesExecutedSql == true ? "yes" : "no")} |");
            }

            s.AppendLine();
        }

        var misses = results.Where(r => r.Error is null && !r.MeetsGoal).ToList();
        s.AppendLine("## Queries that miss the goal");
        s.AppendLine();
        if (misses.Count == 0)
        {
            s.AppendLine("None.");
            s.AppendLine();
        }

        foreach (var r in misses)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"### {r.Scenario.Name}: EF p95 {P(r.Ef, 0.95)} ms (goal {r.Scenario.GoalMs} ms)");
            s.AppendLine();
            Commands(s, r);
        }

        s.AppendLine("## Every scenario: commands, time per command and plan");
        s.AppendLine();
        foreach (var r in results.Where(r => r.Error is null))
        {
            s.AppendLine("<details>");
            s.AppendLine(CultureInfo.InvariantCulture, $"<summary>{r.Scenario.Name}</summary>");
            s.AppendLine();
            Commands(s, r);
            if (r.QueryString is not null)
            {
                s.AppendLine("`ToQueryString()` of the page query:");
                s.AppendLine();
                s.AppendLine("```sql");
                s.AppendLine(r.QueryString.TrimEnd());
                s.AppendLine("```");
                s.AppendLine();
            }

            s.AppendLine("</details>");
            s.AppendLine();
        }

        return s.ToString();
    }

    private static void Commands(StringBuilder s, ScenarioResult r)
    {
        foreach (var c in r.Commands)
        {
            s.AppendLine(CultureInfo.InvariantCulture, $"**{c.Command.Label}**: raw p50 {P(c.Times, 0.5)} ms, p95 {P(c.Times, 0.95)} ms");
            s.AppendLine();
            s.AppendLine("```sql");
            s.AppendLine(c.Command.Sql.Trim());
            s.AppendLine("```");
            s.AppendLine();
            s.AppendLine("```");
            s.AppendLine(c.Plan);
            s.AppendLine("```");
            s.AppendLine();
        }
    }

    private static string P(IReadOnlyCollection<double> values, double p) => Stats.Ms(Stats.Percentile(values, p));

    private static string Max(IReadOnlyCollection<double> values) => values.Count == 0 ? "-" : Stats.Ms(values.Max());

    public static string LoadAverage()
    {
        try
        {
            return string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string Cpu()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line.Split(':', 2)[1].Trim();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }
}
