using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Sdes.Infrastructure.Email;
using Sdes.Infrastructure.Jobs;
using Microsoft.Extensions.Hosting;
using Sdes.Infrastructure.Identity;
using Sdes.Infrastructure.Attachments;
using Sdes.Infrastructure.Persistence;
using Sdes.Infrastructure.Scanning;

namespace Sdes.Infrastructure;

public static class InfrastructureServiceCollectionExtensions
{
    public static IHostApplicationBuilder AddSdesInfrastructure(this IHostApplicationBuilder builder)
    {
        var contentRoot = builder.Environment.ContentRootPath;
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSdesPersistence(builder.Configuration, contentRoot);
        var database = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connectionString = PersistenceServiceCollectionExtensions.ResolveConnectionString(database.Provider,
            builder.Configuration.GetConnectionString("Sdes"), contentRoot);
        builder.Services.AddSdesEmail(builder.Configuration, builder.Environment);
        builder.Services.AddSdesJobs(builder.Configuration, database.Provider, connectionString, TimeProvider.System);
        builder.Services.AddSdesIdentity(builder.Configuration);
        builder.Services.AddSingleton(Domain.Common.OperationalCalendar.Default);
        builder.Services.AddSingleton<Notifications.ICommunicationBus, Notifications.InProcessCommunicationBus>();
        builder.Services.AddSingleton<CommunicationRetention>();
        builder.Services.AddSingleton<InactivityMailer>();
        builder.Services.AddSingleton<InactiveAccountDeletion>();
        builder.Services.AddSingleton<Notifications.NotificationMailer>();
        builder.Services.AddVirusScanning(builder.Configuration);
        builder.Services.AddAttachmentStorage(builder.Configuration, contentRoot);
        builder.Services.AddSingleton<Attachments.AttachmentIngestor>();
        builder.Services.AddSingleton<Attachments.AttachmentMaintenance>();
        builder.Services.AddHealthChecks().AddDbContextCheck<SdesDbContext>("database", tags: ["ready"]);
        return builder;
    }
}
