using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Sdes.App.Features.Admin;
using Sdes.App.Features.Shared;
using Sdes.Domain.Audit;
using Sdes.Domain.Common;
using Sdes.Infrastructure.Notifications;

namespace Sdes.App.Features.Notifications;

public sealed record NotificationSettings(Guid UserId, string Email, EmailFrequency Frequency, bool EmailConfirmed, bool EmailIsProxy)
{
    /// <summary>Spec 10.1(f): the choice is only available to verified, non-proxy addresses.</summary>
    public bool CanChoose => EmailConfirmed && !EmailIsProxy;
}

/// <summary>The user's own email-notification settings (spec 10.1(f)): confirming the address and choosing the frequency.
/// Everything acts on the signed-in user only; another user's id is "not found", and audited.</summary>
public sealed class NotificationPreferences(AdminOperation operation, NotificationMailer mailer, TimeProvider time)
{
    public static readonly IReadOnlyDictionary<EmailFrequency, string> Labels = new Dictionary<EmailFrequency, string>
    {
        [EmailFrequency.Never] = "Never",
        [EmailFrequency.Immediately] = "Immediately",
        [EmailFrequency.Hourly] = "Every hour",
        [EmailFrequency.Daily] = "Every day (07:00 UK time)",
    };

    public Task<NotificationSettings> GetAsync(ClaimsPrincipal principal, CancellationToken ct = default) =>
        operation.QueryAsync(principal, c => Task.FromResult(Settings(c.Actor.User)), ct);

    /// <summary>Emails a single-use link, valid 24 hours, to the account's address.</summary>
    public Task RequestConfirmationAsync(ClaimsPrincipal principal, CancellationToken ct = default) =>
        operation.RunAsync(principal, c =>
        {
            var user = c.Actor.User;
            DomainException.ThrowIf(user.EmailIsProxy,
                "Your address is marked as a shared or forwarding mailbox, so SDES does not send it notifications. Ask your administrator.");
            DomainException.ThrowIf(user.EmailConfirmedAt is not null, "Your email address is already confirmed.");
            var now = time.GetUtcNow();
            var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
            var confirmation = EmailConfirmation.Issue(user.Id, user.Email!, Hash(token), now);
            c.Db.EmailConfirmations.Add(confirmation);
            mailer.EnqueueConfirmation(c.Db, user, token, confirmation.ExpiresAt);
            c.Db.AuditEvents.Add(AuditEvent.Record(AuditAction.EmailConfirmationSent, now, c.Actor.Ref, c.Actor.Organisation.Id, "User",
                user.Id.ToString(), user.DisplayName));
            return Task.CompletedTask;
        }, ct);

    /// <summary>Uses the link's token once. A forged, used or expired link, or one issued to someone else, changes nothing.</summary>
    public Task ConfirmAsync(ClaimsPrincipal principal, string? token, CancellationToken ct = default) =>
        operation.RunAsync(principal, async c =>
        {
            var now = time.GetUtcNow();
            var hash = Hash(token ?? string.Empty);
            var confirmation = await c.Db.EmailConfirmations.FirstOrDefaultAsync(x => x.TokenHash == hash, c.Ct);
            DomainException.ThrowIf(confirmation is null || confirmation.UserId != c.Actor.User.Id || confirmation.Email != c.Actor.User.Email,
                "This confirmation link is not valid. Send yourself a new one from Notifications.");
            DomainException.ThrowIf(confirmation!.UsedAt is not null, "This confirmation link has already been used.");
            DomainException.ThrowIf(!confirmation.IsUsable(now), "This confirmation link has expired. Send yourself a new one from Notifications.");
            confirmation.Use(now);
            var user = await c.Db.Users.FirstAsync(u => u.Id == c.Actor.User.Id, c.Ct);
            user.EmailConfirmedAt ??= now;
            user.EmailConfirmed = true;
            c.Db.AuditEvents.Add(AuditEvent.Record(AuditAction.EmailConfirmed, now, c.Actor.Ref, c.Actor.Organisation.Id, "User",
                user.Id.ToString(), user.DisplayName));
        }, ct);

    /// <summary>Spec 10.1(f): never, immediately, every hour or every day; anything but never needs a confirmed, non-proxy address.</summary>
    public Task SetFrequencyAsync(ClaimsPrincipal principal, Guid userId, string? frequency, CancellationToken ct = default) =>
        operation.RunAsync(principal, async c =>
        {
            if (userId != c.Actor.User.Id)
            {
                throw c.Deny("User", userId.ToString());
            }

            DomainException.ThrowIf(frequency is null || !Enum.GetNames<EmailFrequency>().Contains(frequency, StringComparer.Ordinal),
                "Choose how often to be emailed: never, immediately, every hour or every day.");
            var chosen = Enum.Parse<EmailFrequency>(frequency!);
            var user = await c.Db.Users.FirstAsync(u => u.Id == userId, c.Ct);
            if (chosen != EmailFrequency.Never)
            {
                DomainException.ThrowIf(user.EmailIsProxy,
                    "Your address is marked as a shared or forwarding mailbox, so SDES cannot email it notifications.");
                DomainException.ThrowIf(user.EmailConfirmedAt is null, "Confirm your email address first; then choose how often to be emailed.");
            }

            if (user.EmailFrequency == chosen)
            {
                return;
            }

            var now = time.GetUtcNow();
            user.EmailFrequency = chosen;
            user.EmailFrequencySetAt = now;
            user.ConcurrencyStamp = Guid.NewGuid().ToString();
            c.Db.AuditEvents.Add(AuditEvent.Record(AuditAction.NotificationFrequencyChanged, now, c.Actor.Ref, c.Actor.Organisation.Id, "User",
                user.Id.ToString(), user.DisplayName, detail: Labels[chosen]));
        }, ct);

    internal static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static NotificationSettings Settings(Infrastructure.Identity.SdesUser user) =>
        new(user.Id, user.Email ?? string.Empty, user.EmailFrequency, user.EmailConfirmedAt is not null, user.EmailIsProxy);
}
