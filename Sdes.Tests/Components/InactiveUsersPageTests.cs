using System.Security.Claims;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Sdes.App.Features.Admin;
using Sdes.Infrastructure.Identity;
using Sdes.Tests.Identity;
using Sdes.Tests.Persistence;

namespace Sdes.Tests.Components;

/// <summary>InactiveUsersPage.razor over the real use cases and a real SQLite database; only the signed-in user is a test double.</summary>
[Collection(SqliteCollection.Name)]
public sealed class InactiveUsersPageTests(SqliteTestDatabase database) : MudTestContext
{
    [Fact]
    public async Task Render_AsMau_ListsUsersWithLastUserFlags_AndKeepExplainsAndEmailsAReminder()
    {
        await using var app = await InactivityTestApp.StartAsync(database);
        app.SetEarlyDay(85);
        await app.SignInAsync(app.Mia);
        await app.SignInAsync(app.Amber);
        Services.AddSingleton(app.Dashboard);
        AddAuthorization().SetAuthorized(app.Mia.DisplayName).SetClaims(new Claim(ClaimTypes.NameIdentifier, app.Mia.Id.ToString()));
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<InactiveUsersPage>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("tbody tr").Count));
        var arlo = cut.FindAll("tbody tr")[0];
        Assert.Contains("Arlo Rep", arlo.TextContent, StringComparison.Ordinal);
        Assert.Contains("20 Nov 2026 08:00", arlo.TextContent, StringComparison.Ordinal);
        Assert.Contains("Contract Manager Queries level 1 · last user", arlo.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("General Query level 1 · last user", arlo.TextContent, StringComparison.Ordinal);

        cut.Find("button[aria-label='Keep Arlo Rep']").Click();
        dialogs.WaitForAssertion(() => Assert.Contains(
            "Only Arlo Rep signing in keeps this account: SDES deletes accounts unused for 90 days (spec 2.7).", dialogs.Markup, StringComparison.Ordinal));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Email a reminder now").Click();

        cut.WaitForAssertion(() => Assert.Single(app.EmailsAsync().GetAwaiter().GetResult(), e => e.Kind == InactivityMailer.UserKind));
    }
}
