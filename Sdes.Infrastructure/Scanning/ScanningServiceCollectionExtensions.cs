using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Sdes.Infrastructure.Scanning;

public static class ScanningServiceCollectionExtensions
{
    public static IServiceCollection AddVirusScanning(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(ClamdOptions.Section).Get<ClamdOptions>() ?? new ClamdOptions();
        options.Validate();
        services.AddSingleton(options);
        services.AddSingleton<IVirusScanner, ClamdScanner>();
        return services;
    }
}
