using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;
using Sdes.Domain.Common;
using Sdes.Domain.Communications;
using Sdes.Domain.Processes;
using Sdes.Infrastructure.Email;
using Sdes.Infrastructure.Identity;
using Sdes.Infrastructure.Persistence;

namespace Sdes.Infrastructure.Notifications;

public sealed record NotificationEmailRun(int Emails, int Digests);

/// <summary>Spec 10.1(f) and footnote 5 (ADR 0010): turns notification rows into outbox emails. Each email carries the
/// reference, process, level, counts and response deadline only: no subject, message text or names. Every run is
/// idempotent (a row is emailed once; a digest period is sent once), so running twice or after downtime sends nothing twice.</summary>
public sealed class NotificationMailer(IServiceScopeFactory scopes, TimeProvider time, OperationalCalendar calendar, IConfiguration configuration,
    ILogger<NotificationMailer> logger)
{
    /// <summary>Daily digests go out at 07:00 UK time, before operational hours open at 08:00.</summary>
    public static readonly TimeOnly DailyAt = new(7, 0);

    /// <summary>Single emails older than this are no longer "immediate"; after a longer outage the digest-free user relies on the bell.</summary>
    public static readonly TimeSpan SingleHorizon = TimeSpan.FromHours(24);

    public const int BatchSize = 100;

    private static readonly TimeZoneInfo Uk = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
    private static readonly CultureInfo EnGb = CultureInfo.GetCultureInfo("en-GB");

    private readonly EmailTemplates _templates = new(configuration["Notifications:TemplateFolder"]
        ?? Path.Combine(AppContext.BaseDirectory, "wwwroot-assets", "email-templates"));

    private string BaseUrl => (configuration["App:PublicBaseUrl"] ?? "http://127.0.0.1:5077").TrimEnd('/');

    public async Task<NotificationEmailRun> RunAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var single = await SendSinglesAsync(now, ct);
        var digests = await SendDigestsAsync(EmailFrequency.Hourly, HourlyPeriodEnd(now), now, ct)
            + await SendDigestsAsync(EmailFrequency.Daily, DailyPeriodEnd(now), now, ct);
        if (single + digests > 0)
        {
            logger.LogInformation("Queued {Single} notification emails and {Digests} digests", single, digests);
        }

        return new NotificationEmailRun(single, digests);
    }

    /// <summary>The top of the hour at or before <paramref name="now"/> (UK offsets are whole hours, so UTC's hours are UK's).</summary>
    public static DateTimeOffset HourlyPeriodEnd(DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }

    /// <summary>The latest 07:00 Europe/London at or before <paramref name="now"/>, in UTC: 07:00 UTC in winter, 06:00 UTC in summer.</summary>
    public static DateTimeOffset DailyPeriodEnd(DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, Uk);
        var day = DateOnly.FromDateTime(local.DateTime);
        if (TimeOnly.FromDateTime(local.DateTime) < DailyAt)
        {
            day = day.AddDays(-1);
        }

        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(DailyAt, DateTimeKind.Unspecified), Uk), TimeSpan.Zero);
    }

    /// <summary>The confirmation link email, written to the outbox in the caller's transaction.</summary>
    public void EnqueueConfirmation(SdesDbContext db, SdesUser user, string token, DateTimeOffset expiresAt)
    {
        var content = _templates.Render("email-confirmation", new Dictionary<string, string>
        {
            ["ConfirmUrl"] = $"{BaseUrl}/account/confirm-email?token={Uri.EscapeDataString(token)}",
            ["ExpiresAtText"] = FormatUk(expiresAt) + " UK time",
            ["SettingsUrl"] = BaseUrl + "/account/notifications",
        });
        db.OutboxMessages.Add(OutboxMessage.Create("email-confirmation", user.Email!, null, content.Subject, content.Text, content.Html,
            time.GetUtcNow()));
    }

    private async Task<int> SendSinglesAsync(DateTimeOffset now, CancellationToken ct)
    {
        var total = 0;
        var since = now - SingleHorizon;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SdesDbContext>();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // Immediately: the user's choice, honoured only for a confirmed, non-proxy address. Quick-response processes
            // (footnote 5) override the choice and the confirmation, never the proxy flag. Either way, not if they visited since.
            var due = await (from n in db.UserNotifications
                             join u in db.Users on n.UserId equals u.Id
                             where n.EmailedAt == null && n.CreatedAt > since && n.CreatedAt <= now
                                 && !u.IsDisabled && !u.EmailIsProxy && u.Email != null
                                 && (u.LastVisitAt == null || u.LastVisitAt < n.CreatedAt)
                                 && (n.QuickResponse || (u.EmailFrequency == EmailFrequency.Immediately && u.EmailConfirmedAt != null
                                     && (u.EmailFrequencySetAt == null || u.EmailFrequencySetAt <= n.CreatedAt)))
                             orderby n.CreatedAt, n.Id
                             select new { Notification = n, u.Email, Immediate = u.EmailFrequency == EmailFrequency.Immediately && u.EmailConfirmedAt != null })
                .Take(BatchSize).ToListAsync(ct);
            if (due.Count == 0)
            {
                return total;
            }

            var context = await DeadlineContextAsync(db, due.Select(d => d.Notification.CommunicationId), ct);
            foreach (var item in due)
            {
                var n = item.Notification;
                var reference = Reference.Create(ReferenceKind.Communication, n.ReferenceNumber).Value;
                var content = _templates.Render("notification", new Dictionary<string, string>
                {
                    ["Headline"] = Headline(n.Kind, reference, n.Level),
                    ["Reference"] = reference,
                    ["ProcessName"] = n.ProcessName,
                    ["LevelText"] = n.Level.ToString(CultureInfo.InvariantCulture),
                    ["DeadlineText"] = DeadlineText(context.Deadline(n.CommunicationId)),
                    ["ReasonText"] = n.QuickResponse && !item.Immediate
                        ? $"{n.ProcessName} needs a quick response, so SDES emails the receiving level within 5 minutes whatever their email setting."
                        : "You chose to be emailed immediately about new messages.",
                    ["CommunicationUrl"] = $"{BaseUrl}/communications/{reference}",
                    ["SignInUrl"] = BaseUrl + "/account/sign-in",
                    ["SettingsUrl"] = BaseUrl + "/account/notifications",
                });
                db.OutboxMessages.Add(OutboxMessage.Create(n.QuickResponse && !item.Immediate ? "notification-quick" : "notification",
                    item.Email!, null, content.Subject, content.Text, content.Html, now));
                n.MarkEmailed(now);
            }

            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            total += due.Count;
            if (due.Count < BatchSize)
            {
                return total;
            }
        }
    }

    private async Task<int> SendDigestsAsync(EmailFrequency frequency, DateTimeOffset periodEnd, DateTimeOffset now, CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            List<Guid> users;
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<SdesDbContext>();
                users = await Candidates(db, frequency, periodEnd).Select(n => n.UserId).Distinct().Take(BatchSize).ToListAsync(ct);
            }

            foreach (var user in users)
            {
                total += await SendDigestAsync(user, frequency, periodEnd, now, ct) ? 1 : 0;
            }

            if (users.Count < BatchSize)
            {
                return total;
            }
        }
    }

    /// <summary>Notifications a digest for the period ending at <paramref name="periodEnd"/> would list: after the previous
    /// digest, after the frequency was chosen, and after the user's last visit.</summary>
    private static IQueryable<UserNotification> Candidates(SdesDbContext db, EmailFrequency frequency,
        DateTimeOffset periodEnd, Guid? userId = null) =>
        from n in db.UserNotifications
        join u in db.Users on n.UserId equals u.Id
        where u.EmailFrequency == frequency && u.EmailConfirmedAt != null && !u.EmailIsProxy && !u.IsDisabled && u.Email != null
            && (userId == null || u.Id == userId)
            && (u.LastDigestAt == null || u.LastDigestAt < periodEnd)
            && n.CreatedAt <= periodEnd
            && (u.LastDigestAt == null || n.CreatedAt > u.LastDigestAt)
            && (u.EmailFrequencySetAt == null || n.CreatedAt >= u.EmailFrequencySetAt)
            && (u.LastVisitAt == null || n.CreatedAt > u.LastVisitAt)
        select n;

    private async Task<bool> SendDigestAsync(Guid userId, EmailFrequency frequency, DateTimeOffset periodEnd, DateTimeOffset now, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SdesDbContext>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var rows = await Candidates(db, frequency, periodEnd, userId).ToListAsync(ct);
        var user = await db.Users.FirstAsync(u => u.Id == userId, ct);
        var since = user.LastDigestAt;
        // Marks the period as done even when a concurrent visit left nothing to list: the next run moves on.
        user.LastDigestAt = periodEnd;
        user.ConcurrencyStamp = Guid.NewGuid().ToString();
        if (rows.Count > 0)
        {
            var context = await DeadlineContextAsync(db, rows.Select(r => r.CommunicationId), ct);
            var items = rows.GroupBy(r => r.CommunicationId)
                .Select(g => new
                {
                    Latest = g.MaxBy(r => r.CreatedAt)!,
                    Messages = g.Count(r => r.Kind == NotificationKind.NewMessage),
                    IsNew = g.Any(r => r.Kind == NotificationKind.NewCommunication),
                    Escalated = g.Any(r => r.Kind == NotificationKind.Escalated),
                    Deadline = context.Deadline(g.Key),
                })
                .OrderBy(i => i.Deadline is null).ThenBy(i => i.Deadline).ThenBy(i => i.Latest.ReferenceNumber).ToList();
            var list = items.Select(i =>
            {
                var reference = Reference.Create(ReferenceKind.Communication, i.Latest.ReferenceNumber).Value;
                return (IReadOnlyDictionary<string, string>)new Dictionary<string, string>
                {
                    ["Reference"] = reference,
                    ["ProcessName"] = i.Latest.ProcessName,
                    ["LevelText"] = i.Latest.Level.ToString(CultureInfo.InvariantCulture),
                    ["ActivityText"] = ActivityText(i.IsNew, i.Messages, i.Escalated),
                    ["DeadlineText"] = DeadlineText(i.Deadline),
                    ["CommunicationUrl"] = $"{BaseUrl}/communications/{reference}",
                };
            }).ToList();
            var period = frequency == EmailFrequency.Hourly ? "hourly" : "daily";
            var content = _templates.Render("notification-digest", new Dictionary<string, string>
            {
                ["PeriodName"] = period,
                ["CountText"] = items.Count == 1 ? "1 communication" : $"{items.Count.ToString(CultureInfo.InvariantCulture)} communications",
                ["SinceText"] = since is { } s ? "since " + FormatUk(s) + " UK time" : "since you chose " + period + " emails",
                ["SignInUrl"] = BaseUrl + "/account/sign-in",
                ["SettingsUrl"] = BaseUrl + "/account/notifications",
            }, new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string>>> { ["Items"] = list });
            db.OutboxMessages.Add(OutboxMessage.Create("notification-digest", user.Email!, null, content.Subject, content.Text, content.Html, now));
            foreach (var row in rows)
            {
                row.MarkDigested(now);
            }
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone else (another node, or the user's own change) got there first; this period is theirs to send.
            return false;
        }

        await tx.CommitAsync(ct);
        return rows.Count > 0;
    }

    private async Task<DeadlineContext> DeadlineContextAsync(SdesDbContext db, IEnumerable<CommunicationId> ids, CancellationToken ct)
    {
        var list = ids.Distinct().ToList();
        var communications = await db.Communications.AsNoTracking().Where(c => list.Contains(c.Id))
            .Select(c => new { c.Id, c.ProcessId, c.CurrentLevel, c.LevelStartedAt, c.Status }).ToListAsync(ct);
        var processIds = communications.Select(c => c.ProcessId).Distinct().ToList();
        var processes = await db.BusinessProcesses.AsNoTracking().Where(p => processIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var deadlines = new Dictionary<CommunicationId, DateTimeOffset?>();
        foreach (var c in communications)
        {
            var window = c.Status == CommunicationStatus.Active && processes.TryGetValue(c.ProcessId, out var p) && c.CurrentLevel <= p.TopLevel
                ? p.WindowAt(c.CurrentLevel) : null;
            deadlines[c.Id] = window is null ? null : calendar.Deadline(c.LevelStartedAt, window);
        }

        return new DeadlineContext(deadlines);
    }

    private sealed record DeadlineContext(Dictionary<CommunicationId, DateTimeOffset?> Deadlines)
    {
        public DateTimeOffset? Deadline(CommunicationId id) => Deadlines.GetValueOrDefault(id);
    }

    internal static string Headline(NotificationKind kind, string reference, int level) => kind switch
    {
        NotificationKind.NewCommunication => $"New communication {reference}",
        NotificationKind.Escalated => $"{reference} escalated to level {level.ToString(CultureInfo.InvariantCulture)}",
        _ => $"New message on {reference}",
    };

    private static string ActivityText(bool isNew, int messages, bool escalated)
    {
        var parts = new List<string>();
        if (isNew)
        {
            parts.Add("new communication");
        }

        if (messages > 0)
        {
            parts.Add(messages == 1 ? "1 new message" : $"{messages.ToString(CultureInfo.InvariantCulture)} new messages");
        }

        if (escalated)
        {
            parts.Add("escalated");
        }

        return string.Join(", ", parts);
    }

    private static string DeadlineText(DateTimeOffset? deadline) =>
        deadline is { } d ? "respond by " + FormatUk(d) + " UK time" : "no response window";

    private static string FormatUk(DateTimeOffset utc) => TimeZoneInfo.ConvertTime(utc, Uk).ToString("ddd d MMM yyyy HH:mm", EnGb);
}

/// <summary>Every 30 seconds: immediate emails go out within a minute, quick-response ones well within 5, and digests
/// within 30 seconds of their hour or 07:00.</summary>
[DisallowConcurrentExecution]
internal sealed class NotificationEmailJob(NotificationMailer mailer) : IJob
{
    public static readonly JobKey Key = new("notification-emails", "notifications");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await mailer.RunAsync(cancellationToken);
}
