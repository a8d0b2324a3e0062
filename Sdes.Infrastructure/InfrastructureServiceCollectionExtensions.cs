using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Sdes.Infrastructure.Identity;
using Sdes.Infrastructure.Persistence;

namespace Sdes.Infrastructure;

public static class InfrastructureServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddSdesInfrastructure(this IHostApplicationBuilder builder)
    {
        var contentRoot = builder.Environment.ContentRootPath;
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSdesPersistence(builder.Configuration, contentRoot);
        builder.Services.AddSdesIdentity(builder.Configuration);
        builder.Services.AddHealthChecks().AddDbContextCheck<SdesDbContext>("database", tags: ["ready"]);
        return builder;
    }
}
