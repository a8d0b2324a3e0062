using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Sdes.Infrastructure.Persistence;

namespace Sdes.Tests.Persistence;

public sealed class MigrationsTests
{
    public static TheoryData<string> Providers => new() { "Sqlite", "Postgres", "SqlServer" };

    private static SdesDbContext Offline(string provider) => provider switch
    {
        "Sqlite" => new SqliteSdesDbContext(new DbContextOptionsBuilder<SqliteSdesDbContext>().UseSqlite("Data Source=:memory:").Options),
        "Postgres" => new PostgresSdesDbContext(new DbContextOptionsBuilder<PostgresSdesDbContext>().UseNpgsql("Host=127.0.0.1;Database=none").Options),
        _ => new SqlServerSdesDbContext(new DbContextOptionsBuilder<SqlServerSdesDbContext>().UseSqlServer("Server=none;Database=none").Options),
    };

    [Theory]
    [MemberData(nameof(Providers))]
    public void Model_HasNoChangesMissingFromTheProvidersMigrations(string provider)
    {
        using var db = Offline(provider);

        Assert.False(db.Database.HasPendingModelChanges(),
            $"The model has changes not in the {provider} migrations. Run scripts/add-migration.sh <Name>.");
    }

    [Fact]
    public void SqlServer_IdempotentScript_IsGenerated()
    {
        using var db = Offline("SqlServer");

        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        foreach (var table in new[] { "[Organisations]", "[OrganisationRoles]", "[ProcessAssignments]", "[BusinessProcesses]", "[AuditEvents]",
                     "[OutboxMessages]", "[AccountSecrets]", "[AspNetUsers]", "[ReferenceSequences]" })
        {
            Assert.Contains("CREATE TABLE " + table, script, StringComparison.Ordinal);
        }

        Assert.Contains("IF NOT EXISTS", script, StringComparison.Ordinal);
        Assert.Contains("'SDE'", script, StringComparison.Ordinal); // reference sequences are seeded (inside EXEC, quotes doubled)
        var folder = Environment.GetEnvironmentVariable("SDES_TEST_ARTIFACTS") ?? Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "sqlserver-migration.sql"), script);
    }

    [Fact]
    public async Task Sqlite_AllMigrationsApplyFromScratch()
    {
        var db = new SqliteTestDatabase();
        await db.InitializeAsync();
        await using var context = db.CreateContext();
        Assert.Equal(context.Database.GetMigrations(), await context.Database.GetAppliedMigrationsAsync());
        await db.DisposeAsync();
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresMigrationsTests(PostgresTestDatabase database)
{
    [Fact]
    public async Task Postgres_AllMigrationsApplyFromScratch()
    {
        await using var context = database.CreateContext();
        Assert.Equal(context.Database.GetMigrations(), await context.Database.GetAppliedMigrationsAsync());
    }
}
