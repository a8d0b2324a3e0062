using System.Net;
using Microsoft.EntityFrameworkCore;
using Sdes.App.Features.Admin;
using Sdes.App.Features.Shared;
using Sdes.Domain.Audit;
using Sdes.Domain.Common;
using Sdes.Domain.Organisations;

namespace Sdes.Tests.Integration;

/// <summary>Organisation B's administrator cannot read or change organisation A's users by guessing ids.</summary>
public sealed class AccessControlTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private SdesAppFactory App => fixture.App;

    [Fact]
    public async Task OtherOrganisationsAdmin_GuessingIds_GetsNotFound_AndTheAttemptIsAudited()
    {
        var (orgA, mauA) = await fixture.CreateOrganisationWithMauAsync("Org A Energy", "ORGA", "mau@orga.example");
        var (_, mauB) = await fixture.CreateOrganisationWithMauAsync("Org B Energy", "ORGB", "mau@orgb.example");
        var userA = await fixture.CreateUserAsync(mauA, orgA, "person@orga.example");
        var admin = App.Service<UserAdministration>();
        var b = SdesAppFactory.PrincipalFor(mauB);

        await Assert.ThrowsAsync<NotFoundException>(() => admin.ListAsync(b, new OrganisationId(orgA), null));
        await Assert.ThrowsAsync<NotFoundException>(() => admin.GetMatrixAsync(b, new OrganisationId(orgA)));
        await Assert.ThrowsAsync<NotFoundException>(() => admin.DisableAsync(b, userA.Id));
        await Assert.ThrowsAsync<NotFoundException>(() => admin.ResetPasswordAsync(b, userA.Id));
        await Assert.ThrowsAsync<NotFoundException>(() => admin.RenameAsync(b, userA.Id, "Hijacked"));
        await Assert.ThrowsAsync<NotFoundException>(() => admin.CreateAsync(b, new OrganisationId(orgA),
            new NewUserForm { DisplayName = "Planted", Email = "planted@orgb.example" }));

        var after = await App.FindUserAsync("person@orga.example");
        Assert.False(after.IsDisabled);
        Assert.Equal(userA.DisplayName, after.DisplayName);
        var denials = await App.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == AuditAction.AccessDenied && e.ActorUserId == mauB.Id));
        Assert.Equal(6, denials);
        Assert.Equal(0, await App.WithDbAsync(db => db.Users.CountAsync(u => u.Email == "planted@orgb.example")));
    }

    [Fact]
    public async Task OtherOrganisationsUsersPage_ByUrl_ShowsNoneOfTheirData()
    {
        var (orgA, mauA) = await fixture.CreateOrganisationWithMauAsync("Org C Energy", "ORGC", "mau@orgc.example");
        await fixture.CreateOrganisationWithMauAsync("Org D Energy", "ORGD", "mau@orgd.example");
        await fixture.CreateUserAsync(mauA, orgA, "secretive@orgc.example", signUp: false);
        using var session = App.NewSession();
        await session.SignInAsync("mau@orgd.example", AppFixture.StrongPassword);

        foreach (var path in new[] { $"/admin/users?org={orgA}", $"/admin/assignments?org={orgA}", $"/operator/organisations/{orgA}" })
        {
            var response = await session.GetAsync(path);
            var html = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain("secretive@orgc.example", html, StringComparison.Ordinal);
            Assert.DoesNotContain("mau@orgc.example", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task PlainAuthorisedRepresentative_CannotUseAdminUseCases()
    {
        var (orgId, mau) = await fixture.CreateOrganisationWithMauAsync("Org E Energy", "ORGE", "mau@orge.example");
        var ar = await fixture.CreateUserAsync(mau, orgId, "plain@orge.example");
        var p = SdesAppFactory.PrincipalFor(ar);

        await Assert.ThrowsAsync<NotFoundException>(() => App.Service<UserAdministration>().ListAsync(p, new OrganisationId(orgId), null));
        await Assert.ThrowsAsync<NotFoundException>(() => App.Service<OrganisationAdministration>().ListAsync(p));
        using var session = App.NewSession();
        await session.SignInAsync("plain@orge.example", AppFixture.StrongPassword);
        var page = await session.GetAsync("/operator/organisations");
        Assert.NotEqual(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task HostileInput_IsRefusedWithAMessage_AndChangesNothing()
    {
        var (orgId, mau) = await fixture.CreateOrganisationWithMauAsync("Org F Energy", "ORGF", "mau@orgf.example");
        var admin = App.Service<UserAdministration>();
        var orgs = App.Service<OrganisationAdministration>();
        var p = SdesAppFactory.PrincipalFor(mau);
        var usersBefore = await App.WithDbAsync(db => db.Users.CountAsync());
        var orgsBefore = await App.WithDbAsync(db => db.Organisations.CountAsync());

        var bad = new[]
        {
            new NewUserForm { DisplayName = "Mallory", Email = "not-an-email" },
            new NewUserForm { DisplayName = "Mallory", Email = "mallory@evil.example\r\nBcc: all@evil.example" },
            new NewUserForm { DisplayName = "<script>alert(1)</script>", Email = "m1@evil.example" },
            new NewUserForm { DisplayName = "Tab\tName", Email = "m2@evil.example" },
            new NewUserForm { DisplayName = new string('x', 500), Email = "m3@evil.example" },
            new NewUserForm { DisplayName = "", Email = "m4@evil.example" },
            new NewUserForm { DisplayName = "Long Mail", Email = new string('a', 250) + "@evil.example" },
        };
        foreach (var form in bad)
        {
            var ex = await Assert.ThrowsAsync<DomainException>(() => admin.CreateAsync(p, new OrganisationId(orgId), form));
            Assert.False(string.IsNullOrWhiteSpace(ex.Message));
        }

        var op = SdesAppFactory.PrincipalFor(fixture.Operator);
        var badOrgs = new[]
        {
            new NewOrganisationForm { Name = "X", Roles = [new RoleForm { Mpid = "ABCD" }] },
            new NewOrganisationForm { Name = "Bad MPID Ltd", Roles = [new RoleForm { Mpid = "AB1" }] },
            new NewOrganisationForm { Name = "Bad DNO Ltd", Roles = [new RoleForm { Mpid = "BDNO", Role = MarketRole.Dno, DistributorId = "29" }] },
            new NewOrganisationForm { Name = "Taken MPID Ltd", Roles = [new RoleForm { Mpid = "ORGF" }] },
            new NewOrganisationForm { Name = "No Roles Ltd", Roles = [] },
            new NewOrganisationForm { Name = "Org F Energy", Roles = [new RoleForm { Mpid = "NEWF" }] },
        };
        foreach (var form in badOrgs)
        {
            await Assert.ThrowsAsync<DomainException>(() => orgs.CreateAsync(op, form));
        }

        Assert.Equal(usersBefore, await App.WithDbAsync(db => db.Users.CountAsync()));
        Assert.Equal(orgsBefore, await App.WithDbAsync(db => db.Organisations.CountAsync()));
    }

    [Fact]
    public async Task SecondMasterAdmin_IsRefused()
    {
        var (orgId, _) = await fixture.CreateOrganisationWithMauAsync("Org G Energy", "ORGG", "mau@orgg.example");

        var ex = await Assert.ThrowsAsync<DomainException>(() => App.Service<OrganisationAdministration>().CreateMasterAdminAsync(
            SdesAppFactory.PrincipalFor(fixture.Operator), orgId, new NewUserForm { DisplayName = "Second Mau", Email = "second@orgg.example" }));

        Assert.Contains("exactly one", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LastUserAtALevel_CannotBeUnassignedOrDisabled()
    {
        var (orgId, mau) = await fixture.CreateOrganisationWithMauAsync("Org H Energy", "ORGH", "mau@orgh.example");
        var ar = await fixture.CreateUserAsync(mau, orgId, "only@orgh.example");
        var admin = App.Service<UserAdministration>();
        var p = SdesAppFactory.PrincipalFor(mau);
        var process = await App.WithDbAsync(db => db.BusinessProcesses.SingleAsync(x => x.Code == "general-query"));
        await admin.SetAssignmentAsync(p, ar.Id, process.Id.Value, 1, assigned: true);

        var unassign = await Assert.ThrowsAsync<DomainException>(() => admin.SetAssignmentAsync(p, ar.Id, process.Id.Value, 1, assigned: false));
        var disable = await Assert.ThrowsAsync<DomainException>(() => admin.DisableAsync(p, ar.Id));

        Assert.Contains("last user", unassign.Message, StringComparison.Ordinal);
        Assert.Contains("General Query level 1", disable.Message, StringComparison.Ordinal);
        Assert.False((await App.FindUserAsync("only@orgh.example")).IsDisabled);
    }
}
