using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Sdes.Infrastructure.Email;

public static class EmailServiceCollectionExtensions
{
    /// <summary>The HTTP client's default timeout: a lease shorter than this could let a second attempt overlap a slow first.</summary>
    private static readonly TimeSpan ProviderTimeout = TimeSpan.FromSeconds(100);

    public static IServiceCollection AddSdesEmail(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var options = configuration.GetSection(EmailOptions.Section).Get<EmailOptions>() ?? new EmailOptions();
        var testing = environment.IsDevelopment() || environment.IsEnvironment("Testing");
        if (options.FaultInjection.Enabled && !testing)
        {
            throw new InvalidOperationException(
                $"Email:FaultInjection is a test seam and cannot be enabled in the {environment.EnvironmentName} environment; remove it from the configuration.");
        }

        if (options.AttemptLease <= ProviderTimeout && !testing)
        {
            throw new InvalidOperationException($"Email:AttemptLease must be longer than {ProviderTimeout.TotalSeconds:0} s (the provider call's timeout).");
        }

        services.AddSingleton(options);
        if (options.Sender == EmailSenderKind.SendGrid)
        {
            if (string.IsNullOrWhiteSpace(options.SendGrid.ApiKey))
            {
                throw new InvalidOperationException("Email:SendGrid:ApiKey is required when Email:Sender is SendGrid.");
            }

            services.AddSingleton<IEmailSender>(_ => new SendGridEmailSender(options));
        }
        else
        {
            var contentRoot = environment.ContentRootPath;
            var folder = Path.IsPathRooted(options.PickupFolder) ? options.PickupFolder : Path.Combine(contentRoot, options.PickupFolder);
            services.AddSingleton<IEmailSender>(sp => new PickupFolderEmailSender(folder, options, sp.GetRequiredService<TimeProvider>()));
        }

        services.AddSingleton(new OutboxFaultInjection(options.FaultInjection));
        services.AddSingleton<OutboxProcessor>(sp => ActivatorUtilities.CreateInstance<OutboxProcessor>(sp));
        services.AddSingleton<OutboxAdmin>();
        return services;
    }
}
