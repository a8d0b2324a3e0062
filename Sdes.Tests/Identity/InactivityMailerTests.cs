using Microsoft.Extensions.DependencyInjection;
using Sdes.Domain.Organisations;
using Sdes.Infrastructure.Identity;
using Sdes.Tests.Persistence;

namespace Sdes.Tests.Identity;

/// <summary>The inactivity templates render through EmailTemplates from wwwroot-assets/email-templates, both parts.</summary>
[Collection(SqliteCollection.Name)]
public sealed class InactivityMailerTests(SqliteTestDatabase database) : IAsyncLifetime
{
    private InactivityTestApp _app = default!;

    public async Task InitializeAsync() => _app = await InactivityTestApp.StartAsync(database);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private InactivityMailer Mailer => _app.Get<InactivityMailer>();

    [Fact]
    public void ReminderToUser_RendersBothParts_WithTheDeletionDateInUkTime()
    {
        // Anchor 22 Aug 08:00 UTC: day 90 is 20 Nov 08:00 UTC, which is 08:00 GMT in the UK.
        var email = Mailer.ReminderToUser(_app.Arlo, _app.Alpha, InactivityTestApp.EarlyAnchor, 84, _app.Clock.GetUtcNow());

        Assert.Equal((InactivityMailer.UserKind, "Sign in to keep your SDES account", _app.Arlo.Email), (email.Kind, email.Subject, email.ToAddress));
        Assert.Contains("Hello Arlo Rep,", email.TextBody, StringComparison.Ordinal);
        Assert.Contains("will be deleted in 6 days, on Friday 20 November 2026 at 08:00 UK time", email.TextBody, StringComparison.Ordinal);
        Assert.Contains("https://sdes.example.org/account/sign-in", email.TextBody, StringComparison.Ordinal);
        Assert.Contains("href=\"https://sdes.example.org/account/sign-in\"", email.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("SDES &mdash; Secure Data Exchange Service", email.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", email.TextBody + email.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public void NoticeToMasterAdmin_FlagsLastUserLevels_AndEncodesNamesInTheHtml()
    {
        var user = new SdesUser { Id = Guid.CreateVersion7(), DisplayName = "<b>Eve</b>", Email = "eve@alpha.example", OrganisationId = _app.Alpha.Id };
        HeldLevel[] levels = [new("Contract Manager Queries", 1, LastUser: true), new("General Query", 1, LastUser: false)];

        var email = Mailer.NoticeToMasterAdmin(_app.Mia, user, _app.Alpha, InactivityTestApp.EarlyAnchor, 89, levels, _app.Clock.GetUtcNow());

        Assert.Equal("SDES will delete <b>Eve</b>'s account in 1 day", email.Subject);
        Assert.Contains("- Contract Manager Queries level 1 (LAST USER at this level)\n- General Query level 1", email.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>Eve</b>", email.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;Eve&lt;/b&gt;", email.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("eve@alpha.example", email.TextBody + email.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", email.TextBody + email.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public void ReminderToUser_ForTheMau_DoesNotThreatenADeletion()
    {
        var email = Mailer.ReminderToUser(_app.Mia, _app.Alpha, InactivityTestApp.SeededAt, 85, _app.Clock.GetUtcNow());

        Assert.Contains("As the Master Admin User of Alpha Supply your account is not deleted automatically", email.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("will be deleted", email.TextBody + email.HtmlBody, StringComparison.Ordinal);
    }
}
