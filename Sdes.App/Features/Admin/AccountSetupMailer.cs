using System.Globalization;
using Sdes.Domain.Organisations;
using Sdes.Infrastructure.Email;
using Sdes.Infrastructure.Identity;
using Sdes.Infrastructure.Persistence;

namespace Sdes.App.Features.Admin;

/// <summary>The welcome email with the one-time password, written to the outbox in the caller's transaction.</summary>
public sealed class AccountSetupMailer(IConfiguration configuration, TimeProvider time)
{
    private static readonly TimeZoneInfo UkTime = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    public void Enqueue(SdesDbContext db, SdesUser user, Organisation organisation, string secret, DateTimeOffset expiresAt)
    {
        var signInUrl = (configuration["App:PublicBaseUrl"] ?? "http://127.0.0.1:5077").TrimEnd('/') + "/account/sign-in";
        var expires = TimeZoneInfo.ConvertTime(expiresAt, UkTime).ToString("dddd d MMMM yyyy 'at' HH:mm", CultureInfo.GetCultureInfo("en-GB")) + " UK time";
        var subject = "Your SDES account";
        var text = $"""
            Hello {user.DisplayName},

            An SDES account has been created for you as an Authorised Representative of {organisation.Name}.

            Your one-time password is: {secret}

            It works once and expires on {expires}. Sign in at {signInUrl} with this email address and the one-time
            password; you will then choose your own password.

            If you did not expect this email, tell your organisation's SDES administrator.

            SDES - Secure Data Exchange Service
            """;
        db.OutboxMessages.Add(OutboxMessage.Create("account-setup", user.Email!, user.DisplayName, subject, text, null, time.GetUtcNow()));
    }
}
