using Sdes.Domain.Common;
using Sdes.Domain.Organisations;
using Sdes.Domain.Processes;

namespace Sdes.Tests.Domain;

public sealed class OrganisationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);
    private static readonly IReadOnlyList<BusinessProcess> Catalogue = ProcessCatalogue.Default();
    private static BusinessProcess Process(string code) => Catalogue.Single(p => p.Code == code);

    private static MarketParticipantRole Role(string mpid, MarketRole role, string? distributor = null) =>
        MarketParticipantRole.Create(Mpid.Create(mpid), role, distributor is null ? null : DistributorId.Create(distributor));

    private static Organisation Supplier() => Organisation.Create("Test Energy", [Role("TEST", MarketRole.ElectricitySupplier)], Now);

    [Fact]
    public void Unassign_TheLastUserAtALevel_IsNotPossible()
    {
        var org = Supplier();
        var alice = UserId.New();
        var process = Process("erroneous-transfers");
        org.Assign(alice, process, 2, Now);

        var ex = Assert.Throws<DomainException>(() => org.Unassign(alice, process, 2));

        Assert.Contains("last user at Erroneous Transfers level 2", ex.Message, StringComparison.Ordinal);
        Assert.True(org.IsAssigned(alice, process.Id, 2));
    }

    [Fact]
    public void Unassign_WhenAnotherUserCoversTheLevel_Succeeds()
    {
        var org = Supplier();
        var (alice, bob) = (UserId.New(), UserId.New());
        var process = Process("erroneous-transfers");
        org.Assign(alice, process, 1, Now);
        org.Assign(bob, process, 1, Now);

        org.Unassign(alice, process, 1);

        Assert.Equal([bob], org.UsersAt(process.Id, 1));
    }

    [Fact]
    public void ReleaseUser_WhoIsLastSomewhere_IsRefusedNamingTheLevels()
    {
        var org = Supplier();
        var (alice, bob) = (UserId.New(), UserId.New());
        var transfers = Process("erroneous-transfers");
        var query = Process("general-query");
        org.Assign(alice, transfers, 1, Now);
        org.Assign(bob, transfers, 1, Now);
        org.Assign(alice, query, 1, Now);

        var ex = Assert.Throws<DomainException>(() => org.ReleaseUser(alice, id => Catalogue.Single(p => p.Id == id).Name));

        Assert.Contains("General Query level 1", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Erroneous Transfers", ex.Message, StringComparison.Ordinal);
        Assert.Equal(2, org.Assignments.Count(a => a.UserId == alice));
    }

    [Fact]
    public void Assign_ToAProcessTheOrganisationDoesNotTakePartIn_IsNotPossible()
    {
        var dno = Organisation.Create("Test Networks", [Role("TNET", MarketRole.Dno, "16")], Now);

        var ex = Assert.Throws<DomainException>(() => dno.Assign(UserId.New(), Process("crossed-meters-gas"), 1, Now));

        Assert.Contains("takes part in Crossed Meters (gas)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Assign_AboveTheTopLevel_IsNotPossible() =>
        Assert.Throws<DomainException>(() => Supplier().Assign(UserId.New(), Process("general-query"), 2, Now));

    [Fact]
    public void Assign_Twice_IsIdempotent()
    {
        var org = Supplier();
        var alice = UserId.New();
        org.Assign(alice, Process("general-query"), 1, Now);
        org.Assign(alice, Process("general-query"), 1, Now);

        Assert.Single(org.Assignments);
    }

    [Fact]
    public void UncoveredLevels_ListsEveryLevelOfEveryProcessTakenPartIn()
    {
        var org = Supplier();
        var expected = Catalogue.Where(org.TakesPartIn).Sum(p => p.TopLevel);
        org.Assign(UserId.New(), Process("general-query"), 1, Now);

        Assert.Equal(expected - 1, org.UncoveredLevels(Catalogue).Count());
        Assert.DoesNotContain(org.UncoveredLevels(Catalogue), g => g.Process.Code is "crossed-meters-gas");
    }

    [Fact]
    public void ServiceProvider_TakesPartInNothing() =>
        Assert.Throws<DomainException>(() => Organisation.CreateServiceProvider("SDES Provider", Now).Assign(UserId.New(), Process("general-query"), 1, Now));

    [Theory]
    [InlineData(MarketRole.Dno, null, "distributor id")]
    [InlineData(MarketRole.Dno, "29", "IDNO id")]
    [InlineData(MarketRole.Idno, "14", "DNO area")]
    [InlineData(MarketRole.ElectricitySupplier, "14", "Only DNO and IDNO")]
    public void MarketParticipantRole_WithAWrongDistributorId_IsRefused(MarketRole role, string? distributor, string expected)
    {
        var ex = Assert.Throws<DomainException>(() => Role("ABCD", role, distributor));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_WithoutRoles_IsNotPossible() =>
        Assert.Throws<DomainException>(() => Organisation.Create("Empty Ltd", [], Now));

    [Fact]
    public void RemoveRole_WhileUsersWorkAProcessOnlyItCovers_IsNotPossible()
    {
        var org = Organisation.Create("Dual Energy", [Role("DUAE", MarketRole.ElectricitySupplier), Role("DUAG", MarketRole.GasSupplier)], Now);
        org.Assign(UserId.New(), Process("crossed-meters-gas"), 1, Now);

        var ex = Assert.Throws<DomainException>(() => org.RemoveRole(Mpid.Create("DUAG"), MarketRole.GasSupplier, Catalogue));
        org.RemoveRole(Mpid.Create("DUAE"), MarketRole.ElectricitySupplier, Catalogue);

        Assert.Contains("Crossed Meters (gas)", ex.Message, StringComparison.Ordinal);
        Assert.Equal(MarketRole.GasSupplier, Assert.Single(org.Roles).Role);
    }

    [Fact]
    public void AddRole_Twice_IsNotPossible()
    {
        var org = Supplier();
        Assert.Throws<DomainException>(() => org.AddRole(Role("TEST", MarketRole.ElectricitySupplier)));
    }
}

public sealed class BusinessProcessTests
{
    private static readonly IReadOnlyList<BusinessProcess> Catalogue = ProcessCatalogue.Default();
    private static BusinessProcess Process(string code) => Catalogue.Single(p => p.Code == code);

    [Fact]
    public void Catalogue_HasTheFifteenProcessesOfDomainMd()
    {
        Assert.Equal(15, Catalogue.Count);
        Assert.Equal(15, Catalogue.Select(p => p.Code).Distinct().Count());
        Assert.Equal(["smart-ppm-cos-exceptions"], Catalogue.Where(p => p.QuickResponse).Select(p => p.Code));
    }

    [Theory]
    [InlineData("general-query")]
    [InlineData("utrn-contact")]
    [InlineData("retrospective-amendment-request")]
    public void CanEscalate_ForTheSpecsSingleLevelProcesses_IsFalse(string code) => Assert.False(Process(code).CanEscalate); // spec 10.1(e)

    [Fact]
    public void SmartPrepaymentExceptions_HaveThreeOperationalHourWindows()
    {
        var p = Process("smart-ppm-cos-exceptions");
        Assert.Equal(3, p.TopLevel);
        Assert.All(p.Levels, l => Assert.Equal(ResponseWindow.OperationalHours(3), l));
    }

    [Theory]
    [InlineData("contract-manager-queries", MarketRole.ElectricitySupplier, MarketRole.Dno, true)]
    [InlineData("contract-manager-queries", MarketRole.Idno, MarketRole.GasSupplier, true)]
    [InlineData("electricity-disconnections", MarketRole.ElectricitySupplier, MarketRole.Idno, true)]
    [InlineData("electricity-disconnections", MarketRole.GasSupplier, MarketRole.Dno, false)]
    [InlineData("electricity-disconnections", MarketRole.ElectricitySupplier, MarketRole.ElectricitySupplier, false)]
    [InlineData("crossed-meters-gas", MarketRole.GasSupplier, MarketRole.GasSupplier, true)]
    [InlineData("crossed-meters-gas", MarketRole.ElectricitySupplier, MarketRole.GasSupplier, false)]
    [InlineData("general-query", MarketRole.CodeManager, MarketRole.Dno, true)]
    [InlineData("general-query", MarketRole.Mem, MarketRole.Dno, false)]
    public void AllowsRoute_FollowsTheCatalogue(string code, MarketRole from, MarketRole to, bool expected) =>
        Assert.Equal(expected, Process(code).AllowsRoute(from, to));

    [Fact]
    public void ChangeLevels_MultiLevelWithoutAWindow_IsNotPossible() =>
        Assert.Throws<DomainException>(() => Process("erroneous-transfers").ChangeLevels([ResponseWindow.WorkingDays(5), null]));

    [Fact]
    public void DefineBespokeFields_WithDuplicateKeys_IsNotPossible() =>
        Assert.Throws<DomainException>(() => Process("general-query").DefineBespokeFields(
        [
            BespokeFieldDefinition.Create("mpan", "MPAN", BespokeFieldType.Mpan, true),
            BespokeFieldDefinition.Create("mpan", "Other", BespokeFieldType.Text, false),
        ]));

    [Fact]
    public void ChoiceField_WithOneOption_IsNotPossible() =>
        Assert.Throws<DomainException>(() => BespokeFieldDefinition.Create("kind", "Kind", BespokeFieldType.Choice, true, ["Only"]));
}
