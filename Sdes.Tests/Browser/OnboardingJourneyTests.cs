using Microsoft.Playwright;
using Sdes.Tests.Integration;
using static Microsoft.Playwright.Assertions;

namespace Sdes.Tests.Browser;

/// <summary>Operator creates an organisation and its MAU; the MAU signs in with the emailed one-time password, chooses a
/// password, creates an AR and assigns them; the AR signs up and sees their assignment.</summary>
public sealed class OnboardingJourneyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task OperatorToMauToAr_EndToEnd()
    {
        // Operator: new organisation, then its Master Admin User.
        var op = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(op, SdesAppFactory.OperatorEmail, AppFixture.StrongPassword);
        await BrowserFixture.GoAsync(op, "/operator/organisations");
        await op.GetByRole(AriaRole.Button, new() { Name = "New organisation" }).ClickAsync();
        await op.GetByLabel("Organisation name").FillAsync("Harbour Lights Energy");
        await op.GetByLabel("MPID").FillAsync("hlen");
        await op.GetByRole(AriaRole.Button, new() { Name = "Create organisation" }).ClickAsync();
        await Expect(op.GetByText("Organisation created. Now create its Master Admin User.")).ToBeVisibleAsync();
        await op.GetByRole(AriaRole.Link, new() { Name = "Harbour Lights Energy" }).ClickAsync();
        await op.GetByRole(AriaRole.Button, new() { Name = "Create Master Admin User" }).ClickAsync();
        await op.GetByLabel("Full name").FillAsync("Hazel Quinn");
        await op.GetByLabel("Work email address").FillAsync("hazel.quinn@harbourlights.example");
        await op.GetByRole(AriaRole.Button, new() { Name = "Create MAU" }).ClickAsync();
        await Expect(op.GetByText("Account created. hazel.quinn@harbourlights.example has been emailed a one-time password.")).ToBeVisibleAsync();
        await Expect(op.GetByText("HLEN (Electricity Supplier)")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(op, "01-operator-organisation");

        // MAU: one-time password from the email, forced to choose a password.
        var secret = Mailbox.OneTimePassword(await fixture.App.Mailbox.WaitForAsync("hazel.quinn@harbourlights.example"));
        var mau = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(mau, "hazel.quinn@harbourlights.example", secret);
        await Expect(mau.GetByRole(AriaRole.Heading, new() { Name = "Choose your password" })).ToBeVisibleAsync();
        await mau.GetByLabel("New password", new() { Exact = true }).FillAsync("hazel");
        await mau.GetByLabel("Confirm new password").FillAsync("hazel");
        await mau.GetByRole(AriaRole.Button, new() { Name = "Save password and continue" }).ClickAsync();
        await Expect(mau.GetByText("Use 12 to 128 characters.").First).ToBeVisibleAsync();
        await mau.GetByLabel("New password", new() { Exact = true }).FillAsync("Pebble-Orchard-Kite-77");
        await mau.GetByLabel("Confirm new password").FillAsync("Pebble-Orchard-Kite-77");
        await mau.GetByRole(AriaRole.Button, new() { Name = "Save password and continue" }).ClickAsync();
        await BrowserFixture.WaitInteractiveAsync(mau, "home after first password");
        await Expect(mau.GetByRole(AriaRole.Heading, new() { Name = "Welcome, Hazel Quinn" })).ToBeVisibleAsync();

        // MAU: add an AR and assign them.
        await BrowserFixture.GoAsync(mau, "/admin/users");
        await mau.GetByRole(AriaRole.Button, new() { Name = "Add user" }).ClickAsync();
        await mau.GetByLabel("Full name").FillAsync("Ada Tester");
        await mau.GetByLabel("Work email address").FillAsync("not-an-email");
        await mau.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(mau.GetByText("Enter an email address like name@example.com.")).ToBeVisibleAsync();
        await mau.GetByLabel("Work email address").FillAsync("ada.tester@harbourlights.example");
        await mau.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(mau.GetByText("Account created. ada.tester@harbourlights.example has been emailed a one-time password.")).ToBeVisibleAsync();
        await Expect(mau.GetByRole(AriaRole.Cell, new() { Name = "ada.tester@harbourlights.example" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(mau, "02-mau-users");

        await BrowserFixture.GoAsync(mau, "/admin/assignments");
        await mau.GetByRole(AriaRole.Checkbox, new() { Name = "Ada Tester: General Query level 1" }).CheckAsync();
        await Expect(mau.GetByText("Ada Tester assigned to General Query level 1.")).ToBeVisibleAsync();
        await mau.GetByRole(AriaRole.Checkbox, new() { Name = "Ada Tester: Erroneous Transfers level 2" }).CheckAsync();
        await Expect(mau.GetByText("Ada Tester assigned to Erroneous Transfers level 2.")).ToBeVisibleAsync();
        await mau.GetByRole(AriaRole.Checkbox, new() { Name = "Ada Tester: General Query level 1" }).UncheckAsync();
        await Expect(mau.GetByText("This is the last user at General Query level 1")).ToBeVisibleAsync();
        await Expect(mau.GetByRole(AriaRole.Checkbox, new() { Name = "Ada Tester: General Query level 1" })).ToBeCheckedAsync();
        await BrowserFixture.ScreenshotAsync(mau, "03-mau-assignments");

        // AR: signs up and sees their assignments.
        var arSecret = Mailbox.OneTimePassword(await fixture.App.Mailbox.WaitForAsync("ada.tester@harbourlights.example"));
        var ar = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(ar, "ada.tester@harbourlights.example", arSecret);
        await ar.GetByLabel("New password", new() { Exact = true }).FillAsync("Granite-Sparrow-Ledger-12");
        await ar.GetByLabel("Confirm new password").FillAsync("Granite-Sparrow-Ledger-12");
        await ar.GetByRole(AriaRole.Button, new() { Name = "Save password and continue" }).ClickAsync();
        await Expect(ar.GetByRole(AriaRole.Heading, new() { Name = "Welcome, Ada Tester" })).ToBeVisibleAsync();
        var assignments = ar.GetByRole(AriaRole.Table, new() { Name = "Your process assignments" });
        await Expect(assignments.GetByRole(AriaRole.Row, new() { Name = "General Query Level 1 of 1 no response window" })).ToBeVisibleAsync();
        await Expect(assignments.GetByRole(AriaRole.Row, new() { Name = "Erroneous Transfers Level 2 of 3 5 working days" })).ToBeVisibleAsync();
        await Expect(ar.GetByRole(AriaRole.Link, new() { Name = "Users" })).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(ar, "04-ar-home");

        await ar.GetByRole(AriaRole.Button, new() { Name = "Account menu" }).ClickAsync();
        await ar.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }).ClickAsync();
        await Expect(ar.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await BrowserFixture.GoAsync(op, "/operator/audit");
        await Expect(op.GetByRole(AriaRole.Cell, new() { Name = "Signed out" }).First).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(op, "05-operator-audit");
    }

    [Fact]
    public async Task DisabledUser_OpenPage_IsSignedOutWithoutReloading()
    {
        var (org, mau) = await fixture.CreateOrganisationWithMauAsync("Open Circuit Energy", "OPCE", "mau@opce.example");
        var user = await fixture.CreateUserAsync(mau, org, "open@opce.example");
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "open@opce.example", AppFixture.StrongPassword);
        await BrowserFixture.WaitInteractiveAsync(page, "home");

        await fixture.App.Service<Sdes.App.Features.Admin.UserAdministration>().DisableAsync(SdesAppFactory.PrincipalFor(mau), user.Id);

        // Any inbound circuit event triggers the check; the page's own interop traffic often gets there before this click, in
        // which case the button is already gone. Either way the page must end on the sign-in page.
        var toggle = page.GetByRole(AriaRole.Button, new() { Name = "Switch to dark theme" })
            .Or(page.GetByRole(AriaRole.Button, new() { Name = "Switch to light theme" })).First;
        try
        {
            await toggle.ClickAsync(new() { Timeout = 3_000 });
        }
        catch (TimeoutException)
        {
            // Already signed out and navigated away.
        }

        // The fixture revalidates only every 60 s, so reaching the sign-in page inside 30 s proves the per-event check did it.
        await page.WaitForURLAsync("**/account/sign-in**", new() { Timeout = 30_000 });
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
    }
}
