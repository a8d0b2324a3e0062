using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Respawn;
using Sdes.Infrastructure.Persistence;

namespace Sdes.Tests.Persistence;

/// <summary>A real, migrated database for one provider, reset between tests with Respawn. PostgreSQL comes from the
/// cluster scripts/test.sh starts (SDES_TEST_POSTGRES); without it the test fails and says how to run it.</summary>
public abstract class TestDatabase : IAsyncLifetime
{
    // The SQLite FTS5 index and its shadow tables: the delete trigger on CommunicationParties empties them.
    private static readonly Respawn.Graph.Table[] SqliteSearchTables =
        [.. new[] { "", "_data", "_idx", "_docsize", "_config" }.Select(s => new Respawn.Graph.Table(CommunicationSearch.SqliteTable + s))];

    private Respawner? _respawner;

    public abstract DatabaseProvider Provider { get; }
    public abstract string ConnectionString { get; }

    public abstract SdesDbContext CreateContext();

    protected abstract DbConnection OpenConnection();

    public async Task InitializeAsync()
    {
        await using (var db = CreateContext())
        {
            await db.Database.MigrateAsync();
        }

        await using var connection = OpenConnection();
        await connection.OpenAsync();
        _respawner = await Respawner.CreateAsync(connection, new RespawnerOptions
        {
            DbAdapter = Provider == DatabaseProvider.Postgres ? DbAdapter.Postgres : DbAdapter.Sqlite,
            // Seeded by the migrations: reset to zero below rather than deleted.
            TablesToIgnore = ["__EFMigrationsHistory", "ReferenceSequences", .. SqliteSearchTables],
            SchemasToInclude = Provider == DatabaseProvider.Postgres ? ["public"] : [],
        });
    }

    public async Task ResetAsync()
    {
        await using var connection = OpenConnection();
        await connection.OpenAsync();
        await _respawner!.ResetAsync(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE \"ReferenceSequences\" SET \"LastNumber\" = 0";
        await command.ExecuteNonQueryAsync();
    }

    public virtual Task DisposeAsync() => Task.CompletedTask;
}

public sealed class SqliteTestDatabase : TestDatabase
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"sdes-test-{Guid.NewGuid():N}.db");

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public override string ConnectionString => new SqliteConnectionStringBuilder { DataSource = _file, ForeignKeys = true, Pooling = false }.ToString();

    public override SdesDbContext CreateContext() =>
        new SqliteSdesDbContext(new DbContextOptionsBuilder<SqliteSdesDbContext>().UseSqlite(ConnectionString).Options);

    protected override DbConnection OpenConnection() => new SqliteConnection(ConnectionString);

    public override Task DisposeAsync()
    {
        File.Delete(_file);
        return Task.CompletedTask;
    }
}

public sealed class PostgresTestDatabase : TestDatabase
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    public override string ConnectionString => Environment.GetEnvironmentVariable("SDES_TEST_POSTGRES")
        ?? throw new InvalidOperationException("SDES_TEST_POSTGRES is not set: run the tests with ./scripts/test.sh, which starts PostgreSQL.");

    public override SdesDbContext CreateContext() =>
        new PostgresSdesDbContext(new DbContextOptionsBuilder<PostgresSdesDbContext>().UseNpgsql(ConnectionString).Options);

    protected override DbConnection OpenConnection() => new NpgsqlConnection(ConnectionString);
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresTestDatabase>
{
    public const string Name = "Postgres";
}

[CollectionDefinition(Name)]
public sealed class SqliteCollection : ICollectionFixture<SqliteTestDatabase>
{
    public const string Name = "Sqlite";
}
