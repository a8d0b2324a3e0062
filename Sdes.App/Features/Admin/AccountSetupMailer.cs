using System.Globalization;
using Sdes.App.Features.Shared;
using Sdes.Domain.Organisations;
using Sdes.Infrastructure.Email;
using Sdes.Infrastructure.Identity;
using Sdes.Infrastructure.Persistence;

namespace Sdes.App.Features.Admin;

/// <summary>The welcome email with the one-time password, written to the outbox in the caller's transaction.</summary>
public sealed class AccountSetupMailer(IConfiguration configuration, IWebHostEnvironment environment, TimeProvider time)
{
    private readonly EmailTemplates _templates = new(Path.Combine(environment.WebRootPath, "email-templates"));

    public void Enqueue(SdesDbContext db, SdesUser user, Organisation organisation, string secret, DateTimeOffset expiresAt)
    {
        var signInUrl = (configuration["App:PublicBaseUrl"] ?? "http://127.0.0.1:5077").TrimEnd('/') + "/account/sign-in";
        var expires = UkTime.ToUk(expiresAt).ToString("dddd d MMMM yyyy 'at' HH:mm", CultureInfo.GetCultureInfo("en-GB")) + " UK time";
        var content = _templates.Render("account-setup", new Dictionary<string, string>
        {
            ["DisplayName"] = user.DisplayName,
            ["OrganisationName"] = organisation.Name,
            ["SecretCode"] = secret,
            ["ExpiresAtText"] = expires,
            ["SignInUrl"] = signInUrl,
        });
        db.OutboxMessages.Add(OutboxMessage.Create("account-setup", user.Email!, user.DisplayName, content.Subject, content.Text, content.Html,
            time.GetUtcNow()));
    }
}
