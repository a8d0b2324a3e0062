using System.Net;
using Microsoft.EntityFrameworkCore;
using Sdes.App.Features.Admin;
using Sdes.Domain.Audit;
using Sdes.Domain.Common;
using Sdes.Domain.Organisations;

namespace Sdes.Tests.Integration;

public sealed class AccountLifecycleTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private SdesAppFactory App => fixture.App;

    [Fact]
    public async Task FirstSignIn_WithEmailedSecret_AllowsOnlyChoosingAPassword()
    {
        var (orgId, mau) = await fixture.CreateOrganisationWithMauAsync("First Sign In Energy", "FSIE", "mau@fsie.example");
        await fixture.CreateUserAsync(mau, orgId, "newcomer@fsie.example", signUp: false);
        var secret = Mailbox.OneTimePassword(await App.Mailbox.WaitForAsync("newcomer@fsie.example"));
        using var session = App.NewSession();

        var signIn = await session.SignInAsync("newcomer@fsie.example", secret.ToLowerInvariant().Replace("-", " ", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/account/set-password", SessionClient.RedirectPath(signIn));
        foreach (var path in new[] { "/", "/admin/users", "/account/change-password", "/operator/organisations" })
        {
            var response = await session.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/account/set-password", SessionClient.RedirectPath(response));
        }

        var weak = await session.SetFirstPasswordAsync("password1234");
        Assert.Equal(HttpStatusCode.OK, weak.StatusCode);
        Assert.Contains("too easy to guess", await weak.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await session.GetAsync("/")).StatusCode);

        var strong = await session.SetFirstPasswordAsync(AppFixture.StrongPassword);
        Assert.Equal(HttpStatusCode.Redirect, strong.StatusCode);
        var home = await session.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
    }

    [Fact]
    public async Task SetupSecret_UsedOnce_IsRefusedTheSecondTime()
    {
        var (orgId, mau) = await fixture.CreateOrganisationWithMauAsync("Reuse Power", "RUSE", "mau@reuse.example");
        await fixture.CreateUserAsync(mau, orgId, "once@reuse.example", signUp: false);
        var secret = Mailbox.OneTimePassword(await App.Mailbox.WaitForAsync("once@reuse.example"));
        using var first = App.NewSession();
        using var second = App.NewSession();

        var used = await first.SignInAsync("once@reuse.example", secret);
        var reused = await second.SignInAsync("once@reuse.example", secret);

        Assert.Equal(HttpStatusCode.Redirect, used.StatusCode);
        Assert.Equal(HttpStatusCode.OK, reused.StatusCode);
        Assert.Contains("We could not sign you in", await reused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await second.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task UnknownUser_AndWrongPassword_GetTheSameAnswer()
    {
        using var a = App.NewSession();
        using var b = App.NewSession();

        var unknown = await a.SignInAsync("nobody@nowhere.example", "Whatever-Long-Password-1");
        var wrong = await b.SignInAsync(SdesAppFactory.OperatorEmail, "Whatever-Long-Password-1");

        Assert.Equal(unknown.StatusCode, wrong.StatusCode);
        Assert.Equal(ErrorBox(await unknown.Content.ReadAsStringAsync()), ErrorBox(await wrong.Content.ReadAsStringAsync()));
        Assert.NotEmpty(ErrorBox(await wrong.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task TenFailures_LockTheAccount_AndAreAudited()
    {
        var (orgId, mau) = await fixture.CreateOrganisationWithMauAsync("Lockout Gas", "LOCK", "mau@lock.example");
        var user = await fixture.CreateUserAsync(mau, orgId, "target@lock.example");
        using var session = App.NewSession();

        for (var i = 0; i < 9; i++)
        {
            await session.SignInAsync("target@lock.example", "Wrong-Password-Attempt-" + i);
        }

        Assert.False(await fixture.IsLockedOutAsync("target@lock.example"));
        await session.SignInAsync("target@lock.example", "Wrong-Password-Attempt-10");
        var correctButLocked = await session.SignInAsync("target@lock.example", AppFixture.StrongPassword);

        Assert.True(await fixture.IsLockedOutAsync("target@lock.example"));
        Assert.Equal(HttpStatusCode.OK, correctButLocked.StatusCode);
        var actions = await App.WithDbAsync(db => db.AuditEvents.Where(e => e.ActorUserId == user.Id).Select(e => e.Action).ToListAsync());
        Assert.Equal(1, actions.Count(a => a == AuditAction.AccountLockedOut));
        Assert.Equal(11, actions.Count(a => a == AuditAction.SignInFailed));
    }

    [Fact]
    public async Task DisabledUser_LosesAccessAtOnce()
    {
        var (orgId, mau) = await fixture.CreateOrganisationWithMauAsync("Disable Energy", "DISA", "mau@disa.example");
        var user = await fixture.CreateUserAsync(mau, orgId, "leaver@disa.example");
        using var session = App.NewSession();
        await session.SignInAsync("leaver@disa.example", AppFixture.StrongPassword);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/")).StatusCode);

        await App.Service<UserAdministration>().DisableAsync(SdesAppFactory.PrincipalFor(mau), user.Id);

        var after = await session.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Equal("/account/sign-in", SessionClient.RedirectPath(after));
        Assert.Equal(HttpStatusCode.OK, (await App.NewSession().SignInAsync("leaver@disa.example", AppFixture.StrongPassword)).StatusCode);
    }

    [Fact]
    public async Task UserDisabledOnAnotherNode_LosesAccessWithinTheRevalidationInterval()
    {
        var (orgId, mau) = await fixture.CreateOrganisationWithMauAsync("Other Node Power", "ONOD", "mau@onod.example");
        await fixture.CreateUserAsync(mau, orgId, "remote@onod.example");
        using var session = App.NewSession();
        await session.SignInAsync("remote@onod.example", AppFixture.StrongPassword);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/")).StatusCode);

        // What another node's change looks like here: the database changed, this node's revocation list did not.
        await App.WithDbAsync(async db =>
        {
            var row = await db.Users.SingleAsync(u => u.Email == "remote@onod.example");
            row.IsDisabled = true;
            row.SecurityStamp = Guid.NewGuid().ToString("N");
            return await db.SaveChangesAsync();
        });
        var started = DateTime.UtcNow;
        HttpResponseMessage response;
        do
        {
            await Task.Delay(250);
            response = await session.GetAsync("/");
        }
        while (response.StatusCode == HttpStatusCode.OK && DateTime.UtcNow - started < TimeSpan.FromSeconds(60));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), "The test app revalidates every 2 s; access should end well within 10 s.");
    }

    [Fact]
    public async Task SameEmail_InASecondOrganisation_IsRefused()
    {
        var (orgA, mauA) = await fixture.CreateOrganisationWithMauAsync("Alpha Supply", "ALPH", "mau@alpha.example");
        var (orgB, mauB) = await fixture.CreateOrganisationWithMauAsync("Bravo Supply", "BRAV", "mau@bravo.example");
        await fixture.CreateUserAsync(mauA, orgA, "shared.person@example.org", signUp: false);

        var ex = await Assert.ThrowsAsync<DomainException>(() => App.Service<UserAdministration>().CreateAsync(
            SdesAppFactory.PrincipalFor(mauB), new OrganisationId(orgB), new NewUserForm { DisplayName = "Shared Person", Email = "SHARED.person@example.org" }));

        Assert.Contains("one organisation only", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, await App.WithDbAsync(db => db.Users.CountAsync(u => u.NormalizedEmail == "SHARED.PERSON@EXAMPLE.ORG")));
    }

    [Fact]
    public async Task PasswordChange_EndsTheUsersOtherSessions()
    {
        var (orgId, mau) = await fixture.CreateOrganisationWithMauAsync("Change Power", "CHNG", "mau@chng.example");
        await fixture.CreateUserAsync(mau, orgId, "changer@chng.example");
        using var laptop = App.NewSession();
        using var tablet = App.NewSession();
        await laptop.SignInAsync("changer@chng.example", AppFixture.StrongPassword);
        await tablet.SignInAsync("changer@chng.example", AppFixture.StrongPassword);

        var changed = await laptop.PostFormAsync("/account/change-password", "change-password", new Dictionary<string, string>
        {
            ["Input.CurrentPassword"] = AppFixture.StrongPassword,
            ["Input.NewPassword"] = "Copper-Meadow-Signal-2040",
            ["Input.ConfirmPassword"] = "Copper-Meadow-Signal-2040",
        });

        Assert.Contains("Your password has been changed", await changed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await laptop.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await tablet.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task SignOutEverywhere_EndsEverySession_AndNeedsTheAntiforgeryToken()
    {
        var (orgId, mau) = await fixture.CreateOrganisationWithMauAsync("Everywhere Power", "EVRY", "mau@evry.example");
        await fixture.CreateUserAsync(mau, orgId, "roamer@evry.example");
        using var desk = App.NewSession();
        using var phone = App.NewSession();
        await desk.SignInAsync("roamer@evry.example", AppFixture.StrongPassword);
        await phone.SignInAsync("roamer@evry.example", AppFixture.StrongPassword);
        using var forged = new FormUrlEncodedContent(new Dictionary<string, string>());

        var withoutToken = await new HttpClient(new HttpClientHandler { CookieContainer = desk.Cookies, AllowAutoRedirect = false })
            { BaseAddress = App.BaseAddress }.PostAsync(new Uri("/account/sign-out-everywhere", UriKind.Relative), forged);
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/")).StatusCode);

        var signedOut = await desk.PostFormAsync("/account/change-password", "unused", new Dictionary<string, string>(), "/account/sign-out-everywhere");

        Assert.Equal("/account/sign-in", SessionClient.RedirectPath(signedOut));
        Assert.Equal(HttpStatusCode.Redirect, (await desk.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await phone.GetAsync("/")).StatusCode);
    }

    [Theory]
    [InlineData("not-an-email", "Whatever-Long-Password-1", "Enter an email address like name@example.com.")]
    [InlineData("", "Whatever-Long-Password-1", "Enter your email address.")]
    [InlineData("someone@example.org", "", "Enter your password.")]
    public async Task SignInForm_WithBadInput_SaysWhat_AndAuditsNothing(string email, string password, string message)
    {
        using var session = App.NewSession();
        var before = await App.WithDbAsync(db => db.AuditEvents.CountAsync());

        var response = await session.SignInAsync(email, password);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await App.WithDbAsync(db => db.AuditEvents.CountAsync()));
    }

    [Fact]
    public async Task SignInForm_WithAHugePassword_IsRefusedBeforeAnyHashing()
    {
        using var session = App.NewSession();

        var response = await session.SignInAsync(SdesAppFactory.OperatorEmail, new string('x', 100_000));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("A password is at most 128 characters.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(await fixture.IsLockedOutAsync(SdesAppFactory.OperatorEmail));
    }

    [Fact]
    public async Task SetPassword_WithMismatchedConfirmation_SaysSo_AndKeepsTheSetupSession()
    {
        var (orgId, mau) = await fixture.CreateOrganisationWithMauAsync("Mismatch Energy", "MISM", "mau@mism.example");
        await fixture.CreateUserAsync(mau, orgId, "typo@mism.example", signUp: false);
        using var session = App.NewSession();
        await session.SignInAsync("typo@mism.example", Mailbox.OneTimePassword(await App.Mailbox.WaitForAsync("typo@mism.example")));

        var mismatch = await session.PostFormAsync("/account/set-password", "set-password", new Dictionary<string, string>
        {
            ["Input.NewPassword"] = "Pebble-Orchard-Kite-77", ["Input.ConfirmPassword"] = "Pebble-Orchard-Kite-78",
        });

        Assert.Contains("The two passwords do not match.", await mismatch.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True((await App.FindUserAsync("typo@mism.example")).MustSetPassword);
        Assert.Equal(HttpStatusCode.Redirect, (await session.SetFirstPasswordAsync("Pebble-Orchard-Kite-77")).StatusCode);
    }

    [Fact]
    public async Task HealthEndpoints_AnswerWithoutSignIn()
    {
        using var session = App.NewSession();
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/health/ready")).StatusCode);
    }

    private static string ErrorBox(string html)
    {
        var m = System.Text.RegularExpressions.Regex.Match(html, "<div class=\"sdes-error-box\"[^>]*>(.*?)</div>",
            System.Text.RegularExpressions.RegexOptions.Singleline);
        return m.Success ? m.Groups[1].Value.Trim() : string.Empty;
    }
}

public sealed class ShortSecretLifetimeFixture : AppFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Security:SetupSecretLifetime"] = "00:00:04" };
}

public sealed class SetupSecretExpiryTests(ShortSecretLifetimeFixture fixture) : IClassFixture<ShortSecretLifetimeFixture>
{
    [Fact]
    public async Task SetupSecret_AfterItExpires_IsRefused()
    {
        var (orgId, mau) = await fixture.CreateOrganisationWithMauAsync("Expiry Energy", "EXPR", "mau@expr.example");
        await fixture.CreateUserAsync(mau, orgId, "late@expr.example", signUp: false);
        var secret = Mailbox.OneTimePassword(await fixture.App.Mailbox.WaitForAsync("late@expr.example"));

        await Task.Delay(TimeSpan.FromSeconds(4.5));
        using var session = fixture.App.NewSession();
        var response = await session.SignInAsync("late@expr.example", secret);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("We could not sign you in", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
