using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Sdes.App.Features.Admin;
using Sdes.App.Features.Communications;
using Sdes.Domain.Audit;
using Sdes.Domain.Organisations;
using Sdes.Infrastructure.Notifications;
using Sdes.Tests.Integration;
using static Microsoft.Playwright.Assertions;

namespace Sdes.Tests.Browser;

/// <summary>The app with the notification email job running every second.</summary>
public sealed class NotificationBrowserFixture : BrowserFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Notifications:EmailInterval"] = "00:00:01",
    };
}

/// <summary>Spec 10.1(f) in a browser: a DNO AR confirms their address from the emailed link, chooses hourly emails, gets a
/// digest in the pickup folder for a communication sent to them, and opens the notification centre.</summary>
public sealed partial class NotificationJourneyTests(NotificationBrowserFixture fixture) : IClassFixture<NotificationBrowserFixture>
{
    [Fact]
    public async Task Ar_ConfirmsAddress_ChoosesHourly_GetsADigest_AndOpensTheNotificationCentre()
    {
        var (_, supplier) = await fixture.CreateOrganisationWithMauAsync("Lumen Supply", "LUMN", "lena@lumen.example");
        var (dnoId, dno) = await fixture.CreateOrganisationWithMauAsync("Northern Wires", "NWIR", "nia@northernwires.example", MarketRole.Dno, "16");
        await fixture.AssignAsync(supplier, supplier, "electricity-disconnections", 1);
        await fixture.AssignAsync(dno, dno, "electricity-disconnections", 1);

        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, dno.Email!, AppFixture.StrongPassword);
        await BrowserFixture.GoAsync(page, "/");
        await page.GetByRole(AriaRole.Button, new() { Name = "Account menu" }).ClickAsync();
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Notifications" }).ClickAsync();
        await Expect(page.GetByText("Not confirmed")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Radio, new() { Name = "Every hour" })).ToBeDisabledAsync();

        // Confirm the address from the single-use link in the email.
        await page.GetByRole(AriaRole.Button, new() { Name = "Email me a confirmation link" }).ClickAsync();
        await Expect(page.GetByText("A confirmation link has been emailed")).ToBeVisibleAsync();
        var confirmation = await fixture.App.Mailbox.WaitForAsync(dno.Email!, m => m.Subject == "Confirm your email address for SDES notifications");
        var link = ConfirmLink().Match(confirmation.Text).Value;
        Assert.NotEmpty(link);
        await BrowserFixture.GoAsync(page, link);
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm my email address" }).ClickAsync();
        await Expect(page.GetByText("Your email address is confirmed.")).ToBeVisibleAsync();
        await BrowserFixture.GoAsync(page, link);
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm my email address" }).ClickAsync();
        await Expect(page.GetByText("This confirmation link has already been used.")).ToBeVisibleAsync();

        // Choose hourly emails.
        await BrowserFixture.GoAsync(page, "/account/notifications");
        await Expect(page.GetByText("Confirmed", new() { Exact = true })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Radio, new() { Name = "Every hour" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.GetByText("Your notification settings are saved.")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "30-notification-settings");

        // The supplier sends; the DNO's bell counts it live.
        const string subject = "Disconnection: 4 Quarry Lane";
        const string message = "Mr Hollis has moved out; please disconnect.";
        await fixture.App.Service<CommunicationService>().SendAsync(SdesAppFactory.PrincipalFor(supplier), new SendForm
        {
            FromRole = CommunicationQueries.RoleKey("LUMN", MarketRole.ElectricitySupplier),
            ProcessCode = "electricity-disconnections",
            Recipient = $"{dnoId}|{CommunicationQueries.RoleKey("NWIR", MarketRole.Dno)}",
            Subject = subject,
            Message = message,
            Bespoke = new() { ["mpan"] = ValidMpan("160000000000") },
        });
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Notifications, 1 unread" })).ToBeVisibleAsync();

        // With the real clock the digest for this activity would fall due at the next top of the hour; the test moves the
        // activity (and the choice and the last visit before it) into the previous hour, so the running job sends it now.
        var periodEnd = NotificationMailer.HourlyPeriodEnd(DateTimeOffset.UtcNow);
        await fixture.App.WithDbAsync(async db =>
        {
            await db.UserNotifications.Where(n => n.UserId == dno.Id).ExecuteUpdateAsync(s => s.SetProperty(n => n.CreatedAt, periodEnd.AddMinutes(-5)));
            return await db.Users.Where(u => u.Id == dno.Id).ExecuteUpdateAsync(s => s
                .SetProperty(u => u.EmailFrequencySetAt, periodEnd.AddMinutes(-20))
                .SetProperty(u => u.LastVisitAt, periodEnd.AddMinutes(-10)));
        });
        var digest = await fixture.App.Mailbox.WaitForAsync(dno.Email!, m => m.Subject.StartsWith("SDES hourly summary", StringComparison.Ordinal));
        Assert.Equal("SDES hourly summary: new activity on 1 communication", digest.Subject);
        Assert.Contains("SDE0000001  Electricity Disconnections, level 1: new communication; respond by", digest.Text, StringComparison.Ordinal);
        var raw = await File.ReadAllTextAsync(digest.File);
        foreach (var secret in new[] { subject, "Quarry", message, "Hollis", "Lumen Supply" })
        {
            Assert.DoesNotContain(secret, digest.Subject + digest.Text, StringComparison.OrdinalIgnoreCase);
        }

        Assert.DoesNotContain("Quarry", raw, StringComparison.Ordinal);

        // The notification centre lists it; opening it marks it read and goes to the communication.
        await page.GetByRole(AriaRole.Button, new() { Name = "Notifications, 1 unread" }).ClickAsync();
        var centre = page.GetByRole(AriaRole.Dialog, new() { Name = "Notifications" });
        await Expect(centre.GetByRole(AriaRole.Button, new() { Name = "Open SDE0000001: New communication, Electricity Disconnections (unread)" }))
            .ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "31-notification-centre");
        await centre.GetByRole(AriaRole.Button, new() { Name = "Open SDE0000001" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/communications/SDE0000001$"));
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Notifications", Exact = true })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task SetEmailProxyAsync_ByTheMau_MarksAndAudits_AndAnotherOrganisationsMauCannot()
    {
        var (orgId, mau) = await fixture.CreateOrganisationWithMauAsync("Proxy Power", "PRXP", "pat@proxypower.example");
        var (_, other) = await fixture.CreateOrganisationWithMauAsync("Other Power", "OTHP", "oli@otherpower.example");
        var ar = await fixture.CreateUserAsync(mau, orgId, "shared-inbox@proxypower.example", signUp: false);
        var admin = fixture.App.Service<UserAdministration>();

        await admin.SetEmailProxyAsync(SdesAppFactory.PrincipalFor(mau), ar.Id, proxy: true);
        await Assert.ThrowsAsync<Sdes.App.Features.Shared.NotFoundException>(
            () => admin.SetEmailProxyAsync(SdesAppFactory.PrincipalFor(other), mau.Id, proxy: true));

        var rows = await admin.ListAsync(SdesAppFactory.PrincipalFor(mau), new OrganisationId(orgId), null);
        Assert.True(rows.Single(r => r.Id == ar.Id).EmailIsProxy);
        Assert.False(rows.Single(r => r.Id == mau.Id).EmailIsProxy);
        Assert.Equal(1, await fixture.App.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == AuditAction.EmailProxyMarked
            && e.SubjectId == ar.Id.ToString())));
    }

    private static string ValidMpan(string first12) =>
        first12 + Sdes.Domain.Metering.Mpan.CheckDigit(first12).ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"/account/confirm-email\?token=[A-Za-z0-9_\-]+")]
    private static partial Regex ConfirmLink();
}
