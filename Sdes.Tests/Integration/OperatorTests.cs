using Microsoft.EntityFrameworkCore;
using Sdes.App.Features.Admin;
using Sdes.App.Features.Shared;
using Sdes.Domain.Audit;
using Sdes.Domain.Common;
using Sdes.Domain.Organisations;
using Sdes.Domain.Processes;

namespace Sdes.Tests.Integration;

public sealed class OperatorTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private SdesAppFactory App => fixture.App;

    private async Task<ProcessRow> ProcessAsync(string code) =>
        (await App.Service<ProcessCatalogueAdministration>().ListAsync(SdesAppFactory.PrincipalFor(fixture.Operator))).Single(p => p.Code == code);

    [Fact]
    public async Task Operator_ChangesAProcessesLevelsAndFields_AndItIsAudited()
    {
        var catalogue = App.Service<ProcessCatalogueAdministration>();
        var row = await ProcessAsync("debt-assignment-protocol");
        var form = ProcessCatalogueAdministration.ToForm(row);
        form.Levels.Add(new LevelForm { Amount = 4, Unit = WindowUnit.OperationalHours });
        form.Fields.Add(new FieldForm { Key = "account-ref", Label = "Account reference", Type = BespokeFieldType.Text, Required = true });

        await catalogue.UpdateAsync(SdesAppFactory.PrincipalFor(fixture.Operator), row.Id, form);

        var after = await ProcessAsync("debt-assignment-protocol");
        Assert.Equal(3, after.Levels.Count);
        Assert.Equal(ResponseWindow.OperationalHours(4), after.Levels[2]);
        Assert.Contains(after.Fields, f => f.Key == "account-ref" && f.Required);
        Assert.Equal(1, await App.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == AuditAction.ProcessUpdated && e.SubjectReference == "debt-assignment-protocol")));
    }

    [Fact]
    public async Task HostileProcessEdits_AreRefused_AndChangeNothing()
    {
        var catalogue = App.Service<ProcessCatalogueAdministration>();
        var op = SdesAppFactory.PrincipalFor(fixture.Operator);
        var row = await ProcessAsync("prepayment-misdirected-payments");
        var attempts = new Func<ProcessForm, ProcessForm>[]
        {
            f => { f.Name = ""; return f; },
            f => { f.Name = new string('n', 300); return f; },
            f => { f.Levels.Clear(); return f; },
            f => { f.Levels.AddRange(Enumerable.Range(0, 6).Select(_ => new LevelForm())); return f; },
            f => { f.Levels[0].Amount = 0; return f; },
            f => { f.Levels[0].Amount = 100_000; return f; },
            f => { f.Fields.Add(new FieldForm { Key = "Bad Key!", Label = "x" }); return f; },
            f => { f.Fields.Add(new FieldForm { Key = "choice", Label = "Choice", Type = BespokeFieldType.Choice, Choices = "only one" }); return f; },
            f => { f.Fields.Add(new FieldForm { Key = "payment-amount", Label = "Duplicate" }); return f; },
        };

        foreach (var attempt in attempts)
        {
            var ex = await Assert.ThrowsAnyAsync<Exception>(() => catalogue.UpdateAsync(op, row.Id, attempt(ProcessCatalogueAdministration.ToForm(row))));
            Assert.IsType<DomainException>(ex);
        }

        var after = await ProcessAsync("prepayment-misdirected-payments");
        Assert.Equal(row.Name, after.Name);
        Assert.Equal(row.Levels, after.Levels);
        Assert.Equal(row.Fields.Select(f => f.Key), after.Fields.Select(f => f.Key));
    }

    [Fact]
    public async Task RemovingALevelThatUsersAreAssignedTo_IsRefused()
    {
        var (_, mau) = await fixture.CreateOrganisationWithMauAsync("Level Energy", "LEVL", "mau@levl.example");
        var row = await ProcessAsync("erroneous-transfers");
        await App.Service<UserAdministration>().SetAssignmentAsync(SdesAppFactory.PrincipalFor(mau), mau.Id, row.Id, 3, assigned: true);
        var form = ProcessCatalogueAdministration.ToForm(row);
        form.Levels.RemoveAt(2);

        var ex = await Assert.ThrowsAsync<DomainException>(() =>
            App.Service<ProcessCatalogueAdministration>().UpdateAsync(SdesAppFactory.PrincipalFor(fixture.Operator), row.Id, form));

        Assert.Contains("above level 2", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, (await ProcessAsync("erroneous-transfers")).Levels.Count);
    }

    [Fact]
    public async Task NonOperators_CannotEditTheCatalogueOrOrganisations()
    {
        var (orgId, mau) = await fixture.CreateOrganisationWithMauAsync("Sneaky Energy", "SNKY", "mau@snky.example");
        var p = SdesAppFactory.PrincipalFor(mau);
        var row = await ProcessAsync("general-query");
        var form = ProcessCatalogueAdministration.ToForm(row);
        form.Name = "Hijacked";
        var orgs = App.Service<OrganisationAdministration>();

        await Assert.ThrowsAsync<NotFoundException>(() => App.Service<ProcessCatalogueAdministration>().UpdateAsync(p, row.Id, form));
        await Assert.ThrowsAsync<NotFoundException>(() => orgs.AddRoleAsync(p, orgId, new RoleForm { Mpid = "SNKG", Role = MarketRole.GasSupplier }));
        await Assert.ThrowsAsync<NotFoundException>(() => orgs.CreateMasterAdminAsync(p, orgId, new NewUserForm { DisplayName = "Second", Email = "s@snky.example" }));
        Assert.Equal("General Query", (await ProcessAsync("general-query")).Name);
        Assert.Single((await orgs.GetAsync(SdesAppFactory.PrincipalFor(fixture.Operator), orgId)).Roles);
    }

    [Fact]
    public async Task Operator_AddsAndRemovesMarketRoles_ButNotTheLastOne()
    {
        var (orgId, _) = await fixture.CreateOrganisationWithMauAsync("Dual Fuel Energy", "DUAL", "mau@dual.example");
        var orgs = App.Service<OrganisationAdministration>();
        var op = SdesAppFactory.PrincipalFor(fixture.Operator);

        await orgs.AddRoleAsync(op, orgId, new RoleForm { Mpid = "duag", Role = MarketRole.GasSupplier });
        await Assert.ThrowsAsync<DomainException>(() => orgs.AddRoleAsync(op, orgId, new RoleForm { Mpid = "DUAG", Role = MarketRole.GasSupplier }));
        await orgs.RemoveRoleAsync(op, orgId, "DUAL", MarketRole.ElectricitySupplier);
        var ex = await Assert.ThrowsAsync<DomainException>(() => orgs.RemoveRoleAsync(op, orgId, "DUAG", MarketRole.GasSupplier));

        Assert.Contains("at least one", ex.Message, StringComparison.Ordinal);
        var detail = await orgs.GetAsync(op, orgId);
        Assert.Equal("DUAG (Gas Supplier)", Assert.Single(detail.Roles).ToString());
    }

    [Fact]
    public async Task Operator_ReplacesTheMasterAdmin_WhoCanThenBeManagedByTheNewOne()
    {
        var (orgId, oldMau) = await fixture.CreateOrganisationWithMauAsync("Successor Energy", "SUCC", "mau@succ.example");
        var successor = await fixture.CreateUserAsync(oldMau, orgId, "next@succ.example");
        var orgs = App.Service<OrganisationAdministration>();
        var op = SdesAppFactory.PrincipalFor(fixture.Operator);

        await Assert.ThrowsAsync<NotFoundException>(() => orgs.ReplaceMasterAdminAsync(SdesAppFactory.PrincipalFor(oldMau), orgId, successor.Id));
        var outsider = await App.FindUserAsync(SdesAppFactory.OperatorEmail);
        await Assert.ThrowsAsync<DomainException>(() => orgs.ReplaceMasterAdminAsync(op, orgId, outsider.Id));
        await orgs.ReplaceMasterAdminAsync(op, orgId, successor.Id);

        Assert.Equal("User next", (await orgs.GetAsync(op, orgId)).MasterAdminName);
        await App.Service<UserAdministration>().DisableAsync(SdesAppFactory.PrincipalFor(successor), oldMau.Id);
        Assert.True((await App.FindUserAsync("mau@succ.example")).IsDisabled);
        Assert.Equal(1, await App.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == AuditAction.MasterAdminReplaced && e.OrganisationId == orgId)));
    }

    [Fact]
    public async Task Operator_RenamesAnOrganisation_ButNotToAnExistingName()
    {
        var (orgId, _) = await fixture.CreateOrganisationWithMauAsync("Old Name Energy", "OLDN", "mau@oldn.example");
        await fixture.CreateOrganisationWithMauAsync("Taken Name Energy", "TAKN", "mau@takn.example");
        var orgs = App.Service<OrganisationAdministration>();
        var op = SdesAppFactory.PrincipalFor(fixture.Operator);

        await Assert.ThrowsAsync<DomainException>(() => orgs.RenameAsync(op, orgId, "Taken Name Energy"));
        await Assert.ThrowsAsync<DomainException>(() => orgs.RenameAsync(op, orgId, "x"));
        await orgs.RenameAsync(op, orgId, "  New Name Energy ");

        Assert.Equal("New Name Energy", (await orgs.GetAsync(op, orgId)).Name);
    }
}
