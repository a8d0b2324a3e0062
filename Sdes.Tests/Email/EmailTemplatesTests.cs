using Sdes.Infrastructure.Email;

namespace Sdes.Tests.Email;

public sealed class EmailTemplatesTests
{
    private static readonly EmailTemplates Templates = new(Path.Combine(AppContext.BaseDirectory, "wwwroot-assets", "email-templates"));

    private static Dictionary<string, string> Values(string name) => new()
    {
        ["DisplayName"] = name, ["OrganisationName"] = "Brightwater Energy", ["SecretCode"] = "ABCD-EFGH-JKLM-NPQR-STUV",
        ["ExpiresAtText"] = "Saturday 28 November 2026 at 10:00 UK time", ["SignInUrl"] = "https://sdes.example.org/account/sign-in",
    };

    [Fact]
    public void Render_AccountSetup_FillsBothParts()
    {
        var content = Templates.Render("account-setup", Values("Amelia Hart"));

        Assert.Equal("Your SDES account", content.Subject);
        Assert.Contains("Your one-time password is: ABCD-EFGH-JKLM-NPQR-STUV", content.Text, StringComparison.Ordinal);
        Assert.Contains("Brightwater Energy", content.Html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://sdes.example.org/account/sign-in\"", content.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", content.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_EncodesValuesInTheHtmlPart()
    {
        var content = Templates.Render("account-setup", Values("<script>alert(1)</script>"));

        Assert.DoesNotContain("<script>", content.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", content.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WithAMissingValue_Throws()
    {
        var values = Values("Amelia Hart");
        values.Remove("SecretCode");

        Assert.Throws<InvalidOperationException>(() => Templates.Render("account-setup", values));
    }
}
