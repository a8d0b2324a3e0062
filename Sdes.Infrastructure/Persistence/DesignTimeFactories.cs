using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Sdes.Infrastructure.Persistence;

// Used by dotnet-ef (scripts/add-migration.sh) to build each provider's model without a running app or server.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteSdesDbContext>
{
    public SqliteSdesDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteSdesDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresSdesDbContext>
{
    public PostgresSdesDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresSdesDbContext>().UseNpgsql("Host=127.0.0.1;Database=sdes_design").Options);
}

internal sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerSdesDbContext>
{
    public SqlServerSdesDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerSdesDbContext>().UseSqlServer("Server=localhost;Database=sdes_design;Trusted_Connection=True;TrustServerCertificate=True").Options);
}
