using Microsoft.EntityFrameworkCore;
using NpgsqlTypes;
using Sdes.Domain.Communications;

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

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // Full-text search over each organisation's view of a communication: a stored tsvector kept by PostgreSQL itself
        // and a GIN index ('simple' configuration: no stemming, so MPANs, references and tags match as typed).
        builder.Entity<CommunicationParty>().Property<NpgsqlTsVector>(CommunicationSearch.VectorColumn)
            .HasComputedColumnSql("to_tsvector('simple', \"SearchText\")", stored: true);
        builder.Entity<CommunicationParty>().HasIndex(CommunicationSearch.VectorColumn).HasMethod("GIN");
    }
}

public sealed class SqlServerSdesDbContext(DbContextOptions<SqlServerSdesDbContext> options) : SdesDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.SqlServer;
}
