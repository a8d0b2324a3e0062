using Microsoft.EntityFrameworkCore;

namespace Sdes.Infrastructure.Persistence;

public sealed class SqliteSdesDbContext(DbContextOptions<SqliteSdesDbContext> options) : SdesDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
    }
}

public sealed class PostgresSdesDbContext(DbContextOptions<PostgresSdesDbContext> options) : SdesDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}

public sealed class SqlServerSdesDbContext(DbContextOptions<SqlServerSdesDbContext> options) : SdesDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.SqlServer;
}
