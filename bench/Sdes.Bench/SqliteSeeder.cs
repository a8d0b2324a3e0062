using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Sdes.Bench;

/// <summary>Bulk load for SQLite: one connection, one transaction, prepared INSERTs with reused parameters. The secondary
/// indexes and the FTS5 triggers of the three tables are dropped first and recreated afterwards (exactly as the migration
/// defined them, read back from sqlite_master), then the FTS5 index is rebuilt from CommunicationParties in one pass.</summary>
internal static class SqliteSeeder
{
    private static readonly string[] Tables = ["Communications", "CommunicationParties", "CommunicationMessages"];

    /// <summary>EF Core stores Guid as upper-case TEXT on SQLite (checked against the organisations EF wrote).</summary>
    public static string G(Guid g) => g.ToString().ToUpperInvariant();

    public static async Task SeedAsync(string connectionString, Generator generator, SeedInfo info, CancellationToken ct)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct);
        var sample = await Sql.RowsAsync(connection, "SELECT \"Id\" FROM \"Organisations\" LIMIT 1", ct);
        if (sample.Count == 0 || sample[0][0] != sample[0][0].ToUpperInvariant())
        {
            throw new InvalidOperationException("Expected EF Core to store GUIDs as upper-case text on SQLite.");
        }

        foreach (var pragma in new[]
                 {
                     "PRAGMA journal_mode = OFF", "PRAGMA synchronous = OFF", "PRAGMA cache_size = -2000000", "PRAGMA temp_store = MEMORY",
                     "PRAGMA foreign_keys = OFF", "PRAGMA locking_mode = EXCLUSIVE",
                 })
        {
            await Sql.ExecAsync(connection, pragma, ct);
        }

        var inList = string.Join(", ", Tables.Select(t => $"'{t}'"));
        var objects = await Sql.RowsAsync(connection,
            $"SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN ({inList}) AND type IN ('index', 'trigger') AND sql IS NOT NULL", ct);
        foreach (var o in objects)
        {
            await Sql.ExecAsync(connection, $"DROP {o[0].ToUpperInvariant()} \"{o[1]}\"", ct);
        }

        Console.WriteLine($"  dropped {objects.Count(o => o[0] == "index")} indexes and {objects.Count(o => o[0] == "trigger")} triggers for the load");

        var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
        var communications = Insert(connection, transaction, "Communications",
            "Id", "ReferenceNumber", "ProcessId", "Fuel", "Subject", "Status", "CurrentLevel", "LevelStartedAt", "CreatedAt", "LastMessageAt",
            "LastMessageSide", "ArchivedAt", "DeletedAt", "AttachmentNames", "Version", "BespokeData");
        var parties = Insert(connection, transaction, "CommunicationParties",
            "Id", "CommunicationId", "Side", "OrganisationId", "CounterpartyOrganisationId", "Mpid", "Role", "OwnerUserId", "OwnerName", "Tags",
            "HasUnread", "LastViewedAt", "ProcessId", "ReferenceNumber", "Status", "CreatedAt", "LastMessageAt", "ArchivedAt", "CurrentLevel",
            "LastMessageSentByThisSide", "SearchText");
        var messages = Insert(connection, transaction, "CommunicationMessages",
            "Id", "CommunicationId", "AuthorUserId", "AuthorName", "OrganisationId", "Side", "Text", "SentAt");
        var orgIds = new Dictionary<Guid, string>();
        string Org(Guid id) => orgIds.TryGetValue(id, out var s) ? s : orgIds[id] = G(id);

        var load = await Seeding.PumpAsync(generator, info, batch =>
        {
            foreach (var c in batch)
            {
                var id = G(c.Id);
                var processId = G(c.Process.Id);
                Run(communications, id, c.ReferenceNumber, processId, c.Process.Fuel, c.Subject, c.Status, c.CurrentLevel, c.LevelStartedAt,
                    c.CreatedAt, c.LastMessageAt, c.LastMessageSide, c.ArchivedAt, c.DeletedAt, c.AttachmentNames, c.Version, c.BespokeData);
                foreach (var p in new[] { c.Sender, c.Recipient })
                {
                    Run(parties, p.Id, id, p.Side, Org(p.Organisation.Id), Org(p.Counterparty.Id), p.Mpid, p.Role,
                        p.OwnerUserId is { } owner ? G(owner) : null, p.OwnerName, p.Tags, p.HasUnread ? 1L : 0L, p.LastViewedAt, processId,
                        c.ReferenceNumber, c.Status, c.CreatedAt, c.LastMessageAt, c.ArchivedAt, c.CurrentLevel, p.LastMessageSentByThisSide ? 1L : 0L,
                        p.SearchText);
                }

                foreach (var m in c.Messages)
                {
                    Run(messages, G(m.Id), id, G(m.AuthorUserId), m.AuthorName, Org(m.OrganisationId), m.Side, m.Text, m.SentAt);
                }
            }
        }, ct);
        await transaction.CommitAsync(ct);
        info["seed_load_seconds"] = load.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);
        Console.WriteLine($"  rows inserted in {load.TotalSeconds:N0} s");

        var started = Stopwatch.GetTimestamp();
        foreach (var o in objects.Where(o => o[0] == "index"))
        {
            await Sql.ExecAsync(connection, o[2], ct);
        }

        var indexes = Stopwatch.GetElapsedTime(started);
        info["seed_index_seconds"] = indexes.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);
        Console.WriteLine($"  indexes recreated in {indexes.TotalSeconds:N0} s");

        started = Stopwatch.GetTimestamp();
        await Sql.ExecAsync(connection, "INSERT INTO \"CommunicationPartySearch\"(\"CommunicationPartySearch\") VALUES ('rebuild')", ct);
        foreach (var o in objects.Where(o => o[0] == "trigger"))
        {
            await Sql.ExecAsync(connection, o[2], ct);
        }

        var fts = Stopwatch.GetElapsedTime(started);
        info["seed_fts_seconds"] = fts.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);
        Console.WriteLine($"  FTS5 index rebuilt in {fts.TotalSeconds:N0} s");
        await Sql.ExecAsync(connection, "PRAGMA journal_mode = DELETE", ct);
    }

    private static SqliteCommand Insert(SqliteConnection connection, SqliteTransaction transaction, string table, params string[] columns)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) " +
                              $"VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i.ToString(CultureInfo.InvariantCulture)))})";
        for (var i = 0; i < columns.Length; i++)
        {
            command.Parameters.Add(new SqliteParameter("$p" + i.ToString(CultureInfo.InvariantCulture), null));
        }

        command.Prepare();
        return command;
    }

    private static void Run(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        command.ExecuteNonQuery();
    }
}
