using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Sdes.Infrastructure.Persistence;

public static class PersistenceServiceCollectionExtensions
{
    /// <summary>Registers <see cref="IDbContextFactory{SdesDbContext}"/> (one context per operation, as Blazor Server needs) and a
    /// scoped <see cref="SdesDbContext"/> for ASP.NET Core Identity, on the provider named by <c>Database:Provider</c>.</summary>
    public static IServiceCollection AddSdesPersistence(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var options = configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.AddSingleton(options);
        var connectionString = ResolveConnectionString(options.Provider, configuration.GetConnectionString("Sdes"), contentRoot);

        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                Register<SqliteSdesDbContext>(services, o => o.UseSqlite(connectionString));
                break;
            case DatabaseProvider.Postgres:
                Register<PostgresSdesDbContext>(services, o => o.UseNpgsql(connectionString));
                break;
            case DatabaseProvider.SqlServer:
                Register<SqlServerSdesDbContext>(services, o => o.UseSqlServer(connectionString, s => s.EnableRetryOnFailure()));
                break;
            default:
                throw new InvalidOperationException($"Unknown Database:Provider '{options.Provider}'. Use Sqlite, Postgres or SqlServer.");
        }

        services.AddScoped<SdesDbContext>(sp => sp.GetRequiredService<IDbContextFactory<SdesDbContext>>().CreateDbContext());
        return services;
    }

    public static string ResolveConnectionString(DatabaseProvider provider, string? configured, string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (provider != DatabaseProvider.Sqlite)
            {
                return configured;
            }

            var builder = new SqliteConnectionStringBuilder(configured);
            if (!Path.IsPathRooted(builder.DataSource) && builder.DataSource != ":memory:")
            {
                builder.DataSource = Path.Combine(contentRoot, builder.DataSource);
            }

            Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
            return builder.ToString();
        }

        if (provider != DatabaseProvider.Sqlite)
        {
            throw new InvalidOperationException($"ConnectionStrings:Sdes is required for the {provider} provider.");
        }

        var file = Path.Combine(contentRoot, "data", "sdes.db");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        return new SqliteConnectionStringBuilder { DataSource = file, ForeignKeys = true }.ToString();
    }

    private static void Register<TContext>(IServiceCollection services, Action<DbContextOptionsBuilder> configure)
        where TContext : SdesDbContext
    {
        services.AddDbContextFactory<TContext>(configure);
        services.AddSingleton<IDbContextFactory<SdesDbContext>, DerivedContextFactory<TContext>>();
    }

    private sealed class DerivedContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<SdesDbContext>
        where TContext : SdesDbContext
    {
        public SdesDbContext CreateDbContext() => inner.CreateDbContext();
    }
}
