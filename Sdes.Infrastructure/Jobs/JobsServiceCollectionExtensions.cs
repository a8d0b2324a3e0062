using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Sdes.Infrastructure.Email;
using Sdes.Infrastructure.Persistence;

namespace Sdes.Infrastructure.Jobs;

public static class JobsServiceCollectionExtensions
{
    /// <summary>Quartz in the app, with its persistent store in the app's own database (tables created if missing),
    /// clustered on server databases, time from the injected TimeProvider.</summary>
    public static IServiceCollection AddSdesJobs(this IServiceCollection services, IConfiguration configuration, DatabaseProvider provider,
        string connectionString, TimeProvider time)
    {
        if (!configuration.GetValue("Jobs:Enabled", true))
        {
            return services;
        }

        var email = configuration.GetSection(EmailOptions.Section).Get<EmailOptions>() ?? new EmailOptions();
        services.AddQuartz(q =>
        {
            q.UseTimeProvider(time);
            q.UsePersistentStore(store =>
            {
                _ = provider switch
                {
                    DatabaseProvider.Sqlite => store.UseSqlite(connectionString),
                    DatabaseProvider.Postgres => store.UsePostgres(connectionString).UseClustering(_ => { }),
                    DatabaseProvider.SqlServer => store.UseSqlServer(connectionString).UseClustering(_ => { }),
                    _ => throw new InvalidOperationException($"No Quartz store for {provider}."),
                };
                store.ProvisionSchema();
            });
            q.ScheduleJob<ProcessOutboxJob>(
                trigger => trigger.WithIdentity("process-outbox-trigger", "email").StartNow()
                    .WithSimpleSchedule(s => s.WithInterval(email.PollInterval).RepeatForever()),
                job => job.WithIdentity(ProcessOutboxJob.Key));
            // Hourly: each run is idempotent and catches up after downtime, and nothing is archived more than an hour late.
            q.ScheduleJob<CommunicationRetentionJob>(
                trigger => trigger.WithIdentity("communication-retention-trigger", "communications").StartNow()
                    .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromHours(1)).RepeatForever()),
                job => job.WithIdentity(CommunicationRetentionJob.Key));
            // Fail closed: files the scanner could not take stay pending; this retries them (each file backs off up to an hour).
            q.ScheduleJob<Attachments.AttachmentRescanJob>(
                trigger => trigger.WithIdentity("attachment-rescan-trigger", "attachments").StartNow()
                    .WithSimpleSchedule(s => s.WithInterval(configuration.GetValue("Attachments:RescanInterval", TimeSpan.FromSeconds(15))).RepeatForever()),
                job => job.WithIdentity(Attachments.AttachmentRescanJob.Key));
            // Spec 10.1(f): immediate emails within a minute, quick-response ones within 5, digests just after their hour or 07:00 UK.
            q.ScheduleJob<Notifications.NotificationEmailJob>(
                trigger => trigger.WithIdentity("notification-emails-trigger", "notifications").StartNow()
                    .WithSimpleSchedule(s => s.WithInterval(configuration.GetValue("Notifications:EmailInterval", TimeSpan.FromSeconds(30))).RepeatForever()),
                job => job.WithIdentity(Notifications.NotificationEmailJob.Key));
            q.ScheduleJob<Attachments.AttachmentSweepJob>(
                trigger => trigger.WithIdentity("attachment-sweep-trigger", "attachments").StartNow()
                    .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromHours(1)).RepeatForever()),
                job => job.WithIdentity(Attachments.AttachmentSweepJob.Key));
            // Daily at 06:00 UK time (spec 2.7, 2.8); a missed run fires once when the scheduler is back and catches up (ADR 0011).
            q.ScheduleJob<InactiveAccountDeletionJob>(
                trigger => trigger.WithIdentity("inactive-account-deletion-trigger", "identity")
                    .WithCronSchedule("0 0 6 * * ?", c => c.InTimeZone(TimeZoneInfo.FindSystemTimeZoneById("Europe/London"))),
                job => job.WithIdentity(InactiveAccountDeletionJob.Key));
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }
}
