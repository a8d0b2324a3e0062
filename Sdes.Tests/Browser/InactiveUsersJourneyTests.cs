using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Sdes.Tests.Integration;
using static Microsoft.Playwright.Assertions;

namespace Sdes.Tests.Browser;

/// <summary>Spec 2.7-2.8 from the MAU's side: a colleague has not signed in for 85 days and is the last user at a level; the
/// MAU finds them under Administration, learns why "keep" cannot simply keep the account, and emails them a reminder.</summary>
public sealed class InactiveUsersJourneyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Mau_SeesAColleagueApproachingDeletion_AndEmailsThemAReminder()
    {
        var (orgId, mau) = await fixture.CreateOrganisationWithMauAsync("Quiet Energy", "QUIE", "mau@quiet.example");
        var colleague = await fixture.CreateUserAsync(mau, orgId, "ivor@quiet.example");
        await fixture.AssignAsync(mau, colleague, "erroneous-transfers", 2);
        var lastSignIn = DateTimeOffset.UtcNow.AddDays(-85).AddHours(-1);
        await fixture.App.WithDbAsync(db => db.Users.Where(u => u.Id == colleague.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LastSignInAt, lastSignIn)));

        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "mau@quiet.example", AppFixture.StrongPassword);
        await BrowserFixture.GoAsync(page, "/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Inactive users" }).ClickAsync();
        await BrowserFixture.WaitInteractiveAsync(page, "inactive users");

        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "User ivor" });
        await Expect(row).ToContainTextAsync("85");
        await Expect(row).ToContainTextAsync("last user");
        await BrowserFixture.ScreenshotAsync(page, "40-mau-inactive-users");

        await row.GetByRole(AriaRole.Button, new() { Name = "Keep User ivor" }).ClickAsync();
        await Expect(page.GetByText("Only User ivor signing in keeps this account")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Email a reminder now" }).ClickAsync();
        await Expect(page.GetByText("User ivor has been emailed a reminder to sign in.")).ToBeVisibleAsync();

        var reminder = await fixture.App.Mailbox.WaitForAsync("ivor@quiet.example", m => !m.Text.Contains("one-time", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("sign in", reminder.Text, StringComparison.OrdinalIgnoreCase);
        Assert.True(await fixture.App.WithDbAsync(db => db.AuditEvents.AnyAsync(e => e.Action == Sdes.Domain.Audit.AuditAction.InactivityReminderRequested)));
    }
}
