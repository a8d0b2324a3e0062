using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Sdes.Infrastructure.Email;

public static class EmailServiceCollectionExtensions
{
    public static IServiceCollection AddSdesEmail(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var options = configuration.GetSection(EmailOptions.Section).Get<EmailOptions>() ?? new EmailOptions();
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
            var folder = Path.IsPathRooted(options.PickupFolder) ? options.PickupFolder : Path.Combine(contentRoot, options.PickupFolder);
            services.AddSingleton<IEmailSender>(sp => new PickupFolderEmailSender(folder, options, sp.GetRequiredService<TimeProvider>()));
        }

        services.AddSingleton<OutboxProcessor>(sp => ActivatorUtilities.CreateInstance<OutboxProcessor>(sp));
        services.AddSingleton<OutboxAdmin>();
        return services;
    }
}
