using Microsoft.EntityFrameworkCore;
using NpgsqlTypes;
using Sdes.Domain.Communications;

namespace Sdes.Infrastructure.Persistence;

public sealed class SqliteSdesDbContext(DbContextOptions<SqliteSdesDbContext> options) : SdesDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) =>
        optionsBuilder.AddInterceptors(SqliteWordSearch.FunctionRegistration.Instance);

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasDbFunction(typeof(SqliteWordSearch).GetMethod(nameof(SqliteWordSearch.WordsMatch))!).HasName(SqliteWordSearch.FunctionName);
    }
}

public sealed class PostgresSdesDbContext(DbContextOptions<PostgresSdesDbContext> options) : SdesDbContext(options)
{
    /// <summary>ASCII punctuation becomes spaces before PostgreSQL's parser sees the text. Otherwise it keeps e-mail addresses,
    /// host names, decimals and file names as single tokens and reads "2026-08-31" as '2026', '-08', '-31', so their words
    /// cannot be found, whereas the query's terms (and SQLite's FTS5) split them into words.</summary>
    internal const string SearchVectorSql =
        """to_tsvector('simple', translate("SearchText", '!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~', '                                '))""";

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // Full-text search over each organisation's view of a communication: a stored tsvector kept by PostgreSQL itself
        // and a GIN index ('simple' configuration: no stemming, so MPANs, references and tags match as typed).
        builder.Entity<CommunicationParty>().Property<NpgsqlTsVector>(CommunicationSearch.VectorColumn)
            .HasComputedColumnSql(SearchVectorSql, stored: true);
        builder.Entity<CommunicationParty>().HasIndex(CommunicationSearch.VectorColumn).HasMethod("GIN");
    }
}

public sealed class SqlServerSdesDbContext(DbContextOptions<SqlServerSdesDbContext> options) : SdesDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.SqlServer;
}
