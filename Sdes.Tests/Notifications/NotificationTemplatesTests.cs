using Sdes.Infrastructure.Email;
using Sdes.Infrastructure.Notifications;

namespace Sdes.Tests.Notifications;

/// <summary>The notification templates render through <see cref="EmailTemplates"/>, fill every placeholder, repeat digest
/// rows and encode what they are given in the HTML part.</summary>
public sealed class NotificationTemplatesTests
{
    private static readonly EmailTemplates Templates = new(Path.Combine(AppContext.BaseDirectory, "wwwroot-assets", "email-templates"));

    private static Dictionary<string, string> Single(string process) => new()
    {
        ["Headline"] = "New message on SDE0000042", ["Reference"] = "SDE0000042", ["ProcessName"] = process, ["LevelText"] = "2",
        ["DeadlineText"] = "respond by Wed 25 Nov 2026 09:20 UK time", ["ReasonText"] = "You chose to be emailed immediately about new messages.",
        ["CommunicationUrl"] = "https://sdes.example.org/communications/SDE0000042", ["SignInUrl"] = "https://sdes.example.org/account/sign-in",
        ["SettingsUrl"] = "https://sdes.example.org/account/notifications",
    };

    private static Dictionary<string, string> Row(string reference, string process) => new()
    {
        ["Reference"] = reference, ["ProcessName"] = process, ["LevelText"] = "1", ["ActivityText"] = "2 new messages",
        ["DeadlineText"] = "no response window", ["CommunicationUrl"] = "https://sdes.example.org/communications/" + reference,
    };

    [Fact]
    public void Render_Notification_FillsBothParts()
    {
        var content = Templates.Render("notification", Single("Electricity Disconnections"));

        Assert.Equal("SDES: New message on SDE0000042", content.Subject);
        Assert.Contains("Escalation level:  2", content.Text, StringComparison.Ordinal);
        Assert.Contains("href=\"https://sdes.example.org/communications/SDE0000042\"", content.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", content.Text + content.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Digest_RepeatsOneRowPerCommunication_AndEncodesTheHtml()
    {
        var values = new Dictionary<string, string>
        {
            ["PeriodName"] = "daily", ["CountText"] = "2 communications", ["SinceText"] = "since Mon 23 Nov 2026 07:00 UK time",
            ["SignInUrl"] = "https://sdes.example.org/account/sign-in", ["SettingsUrl"] = "https://sdes.example.org/account/notifications",
        };
        var rows = new Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string>>>
        {
            ["Items"] = [Row("SDE0000001", "General Query"), Row("SDE0000002", "<b>Odd</b> & process")],
        };

        var content = Templates.Render("notification-digest", values, rows);

        Assert.Equal("SDES daily summary: new activity on 2 communications", content.Subject);
        Assert.Contains("- SDE0000001  General Query, level 1: 2 new messages; no response window", content.Text, StringComparison.Ordinal);
        Assert.Contains("- SDE0000002  <b>Odd</b> & process", content.Text, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;Odd&lt;/b&gt; &amp; process", content.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>Odd</b>", content.Html, StringComparison.Ordinal);
        Assert.Equal(2, content.Html!.Split("/communications/SDE000000").Length - 1);
        Assert.DoesNotContain("{{", content.Text + content.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_EmailConfirmation_CarriesTheLink()
    {
        var content = Templates.Render("email-confirmation", new Dictionary<string, string>
        {
            ["ConfirmUrl"] = "https://sdes.example.org/account/confirm-email?token=abc_DEF-123",
            ["ExpiresAtText"] = "Tue 24 Nov 2026 10:00 UK time", ["SettingsUrl"] = "https://sdes.example.org/account/notifications",
        });

        Assert.Equal("Confirm your email address for SDES notifications", content.Subject);
        Assert.Contains("https://sdes.example.org/account/confirm-email?token=abc_DEF-123", content.Text, StringComparison.Ordinal);
        Assert.Contains("href=\"https://sdes.example.org/account/confirm-email?token=abc_DEF-123\"", content.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-11-24T06:59:59Z", "2026-11-23T07:00:00Z")]
    [InlineData("2026-11-24T07:00:00Z", "2026-11-24T07:00:00Z")]
    [InlineData("2026-09-15T05:59:59Z", "2026-09-14T06:00:00Z")]
    [InlineData("2026-09-15T06:00:00Z", "2026-09-15T06:00:00Z")]
    [InlineData("2026-03-29T06:30:00Z", "2026-03-29T06:00:00Z")] // the Sunday clocks go forward: 07:30 BST
    [InlineData("2026-10-25T06:30:00Z", "2026-10-24T06:00:00Z")] // the Sunday clocks go back: 06:30 GMT, before 07:00
    public void DailyPeriodEnd_IsTheLatestSevenOClockUkTime(string now, string expected)
    {
        Assert.Equal(Communications.CommunicationTestApp.At(expected), NotificationMailer.DailyPeriodEnd(Communications.CommunicationTestApp.At(now)));
    }
}
