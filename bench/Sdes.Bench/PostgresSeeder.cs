using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace Sdes.Bench;

/// <summary>Bulk load for PostgreSQL: binary COPY into the three tables at once (three connections, one generator pass).
/// Secondary indexes and foreign keys of those tables are dropped first and recreated from their own definitions
/// (pg_get_indexdef / pg_get_constraintdef) afterwards; the stored tsvector column is computed by PostgreSQL during COPY.
/// Ends with VACUUM ANALYZE, as autovacuum would eventually do.</summary>
internal static class PostgresSeeder
{
    private static readonly string[] Tables = ["Communications", "CommunicationParties", "CommunicationMessages"];

    public static async Task SeedAsync(string connectionString, Generator generator, SeedInfo info, CancellationToken ct)
    {
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var admin = await dataSource.OpenConnectionAsync(ct);
        var tableList = string.Join(", ", Tables.Select(t => $"'\"{t}\"'::regclass"));
        var indexes = await Sql.RowsAsync(admin,
            $"""
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid IN ({tableList}) AND NOT i.indisprimary
            """, ct);
        var foreignKeys = await Sql.RowsAsync(admin,
            $"""
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
            FROM pg_constraint WHERE contype = 'f' AND conrelid IN ({tableList})
            """, ct);
        foreach (var fk in foreignKeys)
        {
            await Sql.ExecAsync(admin, $"ALTER TABLE {fk[0]} DROP CONSTRAINT \"{fk[1]}\"", ct);
        }

        foreach (var index in indexes)
        {
            await Sql.ExecAsync(admin, $"DROP INDEX {index[0]}", ct);
        }

        Console.WriteLine($"  dropped {indexes.Count} indexes and {foreignKeys.Count} foreign keys for the load");

        await using var c1 = await dataSource.OpenConnectionAsync(ct);
        await using var c2 = await dataSource.OpenConnectionAsync(ct);
        await using var c3 = await dataSource.OpenConnectionAsync(ct);
        var communications = await c1.BeginBinaryImportAsync(Copy("Communications",
            "Id", "ReferenceNumber", "ProcessId", "Fuel", "Subject", "Status", "CurrentLevel", "LevelStartedAt", "CreatedAt", "LastMessageAt",
            "LastMessageSide", "ArchivedAt", "DeletedAt", "AttachmentNames", "Version", "BespokeData"), ct);
        var parties = await c2.BeginBinaryImportAsync(Copy("CommunicationParties",
            "Id", "CommunicationId", "Side", "OrganisationId", "CounterpartyOrganisationId", "Mpid", "Role", "OwnerUserId", "OwnerName", "Tags",
            "HasUnread", "LastViewedAt", "ProcessId", "ReferenceNumber", "Status", "CreatedAt", "LastMessageAt", "ArchivedAt", "CurrentLevel",
            "LastMessageSentByThisSide", "SearchText"), ct);
        var messages = await c3.BeginBinaryImportAsync(Copy("CommunicationMessages",
            "Id", "CommunicationId", "AuthorUserId", "AuthorName", "OrganisationId", "Side", "Text", "SentAt"), ct);

        var load = await Seeding.PumpAsync(generator, info, batch =>
        {
            foreach (var c in batch)
            {
                communications.StartRow();
                communications.Write(c.Id, NpgsqlDbType.Uuid);
                communications.Write(c.ReferenceNumber, NpgsqlDbType.Bigint);
                communications.Write(c.Process.Id, NpgsqlDbType.Uuid);
                communications.Write(c.Process.Fuel, NpgsqlDbType.Varchar);
                communications.Write(c.Subject, NpgsqlDbType.Varchar);
                communications.Write(c.Status, NpgsqlDbType.Varchar);
                communications.Write(c.CurrentLevel, NpgsqlDbType.Integer);
                Time(communications, c.LevelStartedAt);
                Time(communications, c.CreatedAt);
                Time(communications, c.LastMessageAt);
                communications.Write(c.LastMessageSide, NpgsqlDbType.Varchar);
                Time(communications, c.ArchivedAt);
                Time(communications, c.DeletedAt);
                communications.Write(c.AttachmentNames, NpgsqlDbType.Varchar);
                communications.Write(c.Version, NpgsqlDbType.Integer);
                communications.Write(c.BespokeData, NpgsqlDbType.Varchar);
                foreach (var p in new[] { c.Sender, c.Recipient })
                {
                    parties.StartRow();
                    parties.Write(p.Id, NpgsqlDbType.Bigint);
                    parties.Write(c.Id, NpgsqlDbType.Uuid);
                    parties.Write(p.Side, NpgsqlDbType.Varchar);
                    parties.Write(p.Organisation.Id, NpgsqlDbType.Uuid);
                    parties.Write(p.Counterparty.Id, NpgsqlDbType.Uuid);
                    parties.Write(p.Mpid, NpgsqlDbType.Varchar);
                    parties.Write(p.Role, NpgsqlDbType.Varchar);
                    if (p.OwnerUserId is { } owner)
                    {
                        parties.Write(owner, NpgsqlDbType.Uuid);
                    }
                    else
                    {
                        parties.WriteNull();
                    }

                    if (p.OwnerName is null)
                    {
                        parties.WriteNull();
                    }
                    else
                    {
                        parties.Write(p.OwnerName, NpgsqlDbType.Varchar);
                    }

                    parties.Write(p.Tags, NpgsqlDbType.Varchar);
                    parties.Write(p.HasUnread, NpgsqlDbType.Boolean);
                    Time(parties, p.LastViewedAt);
                    parties.Write(c.Process.Id, NpgsqlDbType.Uuid);
                    parties.Write(c.ReferenceNumber, NpgsqlDbType.Bigint);
                    parties.Write(c.Status, NpgsqlDbType.Varchar);
                    Time(parties, c.CreatedAt);
                    Time(parties, c.LastMessageAt);
                    Time(parties, c.ArchivedAt);
                    parties.Write(c.CurrentLevel, NpgsqlDbType.Integer);
                    parties.Write(p.LastMessageSentByThisSide, NpgsqlDbType.Boolean);
                    parties.Write(p.SearchText, NpgsqlDbType.Text);
                }

                foreach (var m in c.Messages)
                {
                    messages.StartRow();
                    messages.Write(m.Id, NpgsqlDbType.Uuid);
                    messages.Write(c.Id, NpgsqlDbType.Uuid);
                    messages.Write(m.AuthorUserId, NpgsqlDbType.Uuid);
                    messages.Write(m.AuthorName, NpgsqlDbType.Varchar);
                    messages.Write(m.OrganisationId, NpgsqlDbType.Uuid);
                    messages.Write(m.Side, NpgsqlDbType.Varchar);
                    messages.Write(m.Text, NpgsqlDbType.Varchar);
                    Time(messages, m.SentAt);
                }
            }
        }, ct);
        await communications.CompleteAsync(ct);
        await parties.CompleteAsync(ct);
        await messages.CompleteAsync(ct);
        await communications.DisposeAsync();
        await parties.DisposeAsync();
        await messages.DisposeAsync();
        info["seed_load_seconds"] = load.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);
        Console.WriteLine($"  rows copied in {load.TotalSeconds:N0} s");

        var started = Stopwatch.GetTimestamp();
        await Sql.ExecAsync(admin, "SET maintenance_work_mem = '1GB'", ct);
        await Sql.ExecAsync(admin, "SET max_parallel_maintenance_workers = 2", ct);
        foreach (var index in indexes)
        {
            await Sql.ExecAsync(admin, index[1], ct);
        }

        foreach (var fk in foreignKeys)
        {
            await Sql.ExecAsync(admin, $"ALTER TABLE {fk[0]} ADD CONSTRAINT \"{fk[1]}\" {fk[2]}", ct);
        }

        await Sql.ExecAsync(admin,
            "SELECT setval(pg_get_serial_sequence('\"CommunicationParties\"', 'Id'), (SELECT max(\"Id\") FROM \"CommunicationParties\"))", ct);
        var indexTime = Stopwatch.GetElapsedTime(started);
        info["seed_index_seconds"] = indexTime.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);
        Console.WriteLine($"  indexes and foreign keys recreated in {indexTime.TotalSeconds:N0} s");

        started = Stopwatch.GetTimestamp();
        foreach (var table in Tables)
        {
            await Sql.ExecAsync(admin, $"VACUUM (ANALYZE) \"{table}\"", ct);
        }

        var vacuum = Stopwatch.GetElapsedTime(started);
        info["seed_vacuum_seconds"] = vacuum.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);
        Console.WriteLine($"  VACUUM ANALYZE in {vacuum.TotalSeconds:N0} s");
    }

    private static string Copy(string table, params string[] columns) =>
        $"COPY \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) FROM STDIN (FORMAT BINARY)";

    private static void Time(NpgsqlBinaryImporter importer, long? ticks)
    {
        if (ticks is { } t)
        {
            importer.Write(new DateTime(t, DateTimeKind.Utc), NpgsqlDbType.TimestampTz);
        }
        else
        {
            importer.WriteNull();
        }
    }
}
