namespace Sdes.App.Features.Communications;

public static class CommunicationsFeature
{
    public static IServiceCollection AddCommunicationsFeature(this IServiceCollection services) => services
        .AddSingleton<CommunicationQueries>()
        .AddSingleton<CommunicationService>()
        .AddScoped<CommunicationLive>();
}
