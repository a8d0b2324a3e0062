using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Sdes.Domain.Organisations;
using Sdes.Domain.Processes;
using Sdes.Infrastructure.Persistence;

namespace Sdes.Bench;

/// <summary>What the seed recorded about itself and the parameters the scenarios use, kept in a small "BenchSeed" table
/// beside the app's tables, so a cached database is recognised and the benchmark needs no second pass over the data.</summary>
internal sealed class SeedInfo
{
    /// <summary>Bump when the generated data changes, so cached databases are rebuilt.</summary>
    public const string GeneratorVersion = "3";

    public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

    public string this[string key]
    {
        get => Values.TryGetValue(key, out var v) ? v : string.Empty;
        set => Values[key] = value;
    }

    public long Long(string key) => long.TryParse(this[key], NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0;

    public bool Matches(int communications) =>
        this["complete"] == "yes" && this["generator"] == GeneratorVersion && Long("communications") == communications;

    public static async Task<SeedInfo?> ReadAsync(DbConnection connection, CancellationToken ct)
    {
        await using var exists = connection.CreateCommand();
        exists.CommandText = connection is Microsoft.Data.Sqlite.SqliteConnection
            ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'BenchSeed'"
            : "SELECT count(*) FROM information_schema.tables WHERE table_name = 'BenchSeed'";
        if (Convert.ToInt64(await exists.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) == 0)
        {
            return null;
        }

        var info = new SeedInfo();
        await using var read = connection.CreateCommand();
        read.CommandText = "SELECT \"Key\", \"Value\" FROM \"BenchSeed\"";
        await using var reader = await read.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            info[reader.GetString(0)] = reader.GetString(1);
        }

        return info;
    }

    public async Task WriteAsync(DbConnection connection, CancellationToken ct)
    {
        await Sql.ExecAsync(connection, "CREATE TABLE IF NOT EXISTS \"BenchSeed\" (\"Key\" text PRIMARY KEY, \"Value\" text NOT NULL)", ct);
        await Sql.ExecAsync(connection, "DELETE FROM \"BenchSeed\"", ct);
        foreach (var (key, value) in Values)
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO \"BenchSeed\" (\"Key\", \"Value\") VALUES (@k, @v)";
            Sql.Add(insert, "@k", key);
            Sql.Add(insert, "@v", value);
            await insert.ExecuteNonQueryAsync(ct);
        }
    }
}

internal static class Sql
{
    public static async Task ExecAsync(DbConnection connection, string sql, CancellationToken ct, int timeoutSeconds = 0)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = timeoutSeconds;
        await command.ExecuteNonQueryAsync(ct);
    }

    public static async Task<List<string[]>> RowsAsync(DbConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        await using var reader = await command.ExecuteReaderAsync(ct);
        var rows = new List<string[]>();
        while (await reader.ReadAsync(ct))
        {
            var row = new string[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? string.Empty : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) ?? string.Empty;
            }

            rows.Add(row);
        }

        return rows;
    }

    public static void Add(DbCommand command, string name, object? value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        command.Parameters.Add(p);
    }
}

/// <summary>The parts of the seed both providers share: the app's migrations, the process catalogue, the 40 organisations
/// with their assignments (through the domain, with EF), and a generator feeding a bulk writer on another thread.</summary>
internal static class Seeding
{
    private const int BatchSize = 2_000;

    public static async Task<(IReadOnlyList<OrgInfo> Orgs, IReadOnlyList<BusinessProcess> Catalogue)> PrepareAsync(SdesDbContext db, CancellationToken ct)
    {
        await db.Database.MigrateAsync(ct);
        if (!await db.BusinessProcesses.AnyAsync(ct))
        {
            // The app's DatabaseInitialiser does this at start-up; the benchmark does not start the app.
            db.BusinessProcesses.AddRange(ProcessCatalogue.Default());
            await db.SaveChangesAsync(ct);
        }

        var catalogue = await db.BusinessProcesses.AsNoTracking().ToListAsync(ct);
        var specs = World.Organisations();
        var names = specs.Select(s => s.Name).ToList();
        var existing = await db.Organisations.Where(o => names.Contains(o.Name)).ToListAsync(ct);
        var multiLevel = catalogue.Where(p => p.CanEscalate).OrderBy(p => p.Code, StringComparer.Ordinal).Take(6).Select(p => p.Id).ToHashSet();
        for (var i = 0; i < specs.Count; i++)
        {
            var spec = specs[i];
            if (existing.Any(o => o.Name == spec.Name))
            {
                continue;
            }

            var org = Organisation.Create(spec.Name, spec.Roles.Select(r => MarketParticipantRole.Create(
                Mpid.Create(r.Mpid), r.Role, r.DistributorId is null ? null : DistributorId.Create(r.DistributorId))), World.Now);
            var users = Enumerable.Range(0, World.UsersPerOrganisation).Select(u => new Sdes.Domain.Common.UserId(World.UserId(spec.Name, u))).ToList();
            org.NameMasterAdmin(users[0]);
            foreach (var process in catalogue.Where(org.TakesPartIn))
            {
                for (var level = 1; level <= process.TopLevel; level++)
                {
                    if (i == 0)
                    {
                        // The viewer: every process at level 1, six processes at level 2 too; colleagues cover the rest.
                        if (level == 1 || (level == 2 && multiLevel.Contains(process.Id)))
                        {
                            org.Assign(users[0], process, level, World.Now);
                        }

                        org.Assign(users[1], process, level, World.Now);
                        if (level == 1)
                        {
                            org.Assign(users[2], process, level, World.Now);
                            org.Assign(users[3], process, level, World.Now);
                        }
                    }
                    else
                    {
                        org.Assign(users[0], process, level, World.Now);
                        if (level == 1)
                        {
                            org.Assign(users[1], process, level, World.Now);
                        }
                    }
                }
            }

            db.Organisations.Add(org);
        }

        await db.SaveChangesAsync(ct);
        var all = await db.Organisations.AsNoTracking().Where(o => names.Contains(o.Name)).ToListAsync(ct);
        var orgs = specs.Select((spec, i) => new OrgInfo(i, all.Single(o => o.Name == spec.Name).Id.Value, spec,
            Enumerable.Range(0, World.UsersPerOrganisation).Select(u => (World.UserId(spec.Name, u), World.UserName(i, u))).ToList())).ToList();
        return (orgs, catalogue);
    }

    /// <summary>Generates batches on the thread pool and hands them, in reference order, to <paramref name="write"/> on one
    /// thread; collects the scenario parameters on the way.</summary>
    public static async Task<TimeSpan> PumpAsync(Generator generator, SeedInfo info, Action<GenCommunication[]> write, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var channel = Channel.CreateBounded<GenCommunication[]>(new BoundedChannelOptions(8) { SingleReader = true, SingleWriter = true });
        var collector = new Collector(generator.Count);
        var producer = Task.Run(async () =>
        {
            try
            {
                for (long first = 1; first <= generator.Count; first += BatchSize)
                {
                    var size = (int)Math.Min(BatchSize, generator.Count - first + 1);
                    var batch = new GenCommunication[size];
                    var from = first;
                    Parallel.For(0, size, k => batch[k] = generator.Generate(from + k));
                    await channel.Writer.WriteAsync(batch, ct);
                }

                channel.Writer.Complete();
            }
            catch (Exception e)
            {
                channel.Writer.Complete(e);
                throw;
            }
        }, ct);

        var consumer = Task.Factory.StartNew(() =>
        {
            var done = 0L;
            var nextReport = generator.Count / 10;
            while (channel.Reader.WaitToReadAsync(ct).AsTask().GetAwaiter().GetResult())
            {
                while (channel.Reader.TryRead(out var batch))
                {
                    write(batch);
                    foreach (var c in batch)
                    {
                        collector.See(c);
                    }

                    done += batch.Length;
                    if (done >= nextReport)
                    {
                        Console.WriteLine($"  {done:N0} / {generator.Count:N0} communications written ({Stopwatch.GetElapsedTime(started).TotalSeconds:N0} s)");
                        nextReport += generator.Count / 10;
                    }
                }
            }
        }, ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        await Task.WhenAll(producer, consumer);
        collector.Into(info);
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>Counts what the seed wrote and picks the scenario parameters: the viewer's largest and a small counterparty,
    /// one MPAN and one reference from the viewer's active queue.</summary>
    private sealed class Collector(int total)
    {
        private readonly Dictionary<Guid, (string Name, int Count)> _counterparties = [];
        private long _messages;
        private long _viewerParties;
        private string? _mpan;
        private long _reference;

        public void See(GenCommunication c)
        {
            _messages += c.Messages.Count;
            foreach (var party in new[] { c.Sender, c.Recipient })
            {
                if (party.Organisation.Index != 0)
                {
                    continue;
                }

                _viewerParties++;
                var other = party.Counterparty;
                _counterparties[other.Id] = (other.Spec.Name, _counterparties.GetValueOrDefault(other.Id).Count + 1);
                if (c.Status == "Active" && c.ReferenceNumber >= total / 2)
                {
                    _mpan ??= c.Mpan;
                    if (_reference == 0)
                    {
                        _reference = c.ReferenceNumber;
                    }
                }
            }
        }

        public void Into(SeedInfo info)
        {
            var ranked = _counterparties.OrderByDescending(kv => kv.Value.Count).ToList();
            var large = ranked[0];
            // "Small": the counterparty with the fewest communications that still has at least 0.2% of the viewer's queue.
            var small = ranked.Where(kv => kv.Value.Count >= _viewerParties / 500).Last();
            info["communications"] = total.ToString(CultureInfo.InvariantCulture);
            info["parties"] = (2L * total).ToString(CultureInfo.InvariantCulture);
            info["messages"] = _messages.ToString(CultureInfo.InvariantCulture);
            info["viewer_parties"] = _viewerParties.ToString(CultureInfo.InvariantCulture);
            info["counterparty_large"] = large.Key.ToString();
            info["counterparty_large_name"] = large.Value.Name;
            info["counterparty_large_count"] = large.Value.Count.ToString(CultureInfo.InvariantCulture);
            info["counterparty_small"] = small.Key.ToString();
            info["counterparty_small_name"] = small.Value.Name;
            info["counterparty_small_count"] = small.Value.Count.ToString(CultureInfo.InvariantCulture);
            info["sample_mpan"] = _mpan ?? string.Empty;
            info["sample_reference"] = Sdes.Domain.Common.Reference.Create(Sdes.Domain.Common.ReferenceKind.Communication, Math.Max(1, _reference)).Value;
        }
    }
}
