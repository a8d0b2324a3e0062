using Microsoft.EntityFrameworkCore;
using Sdes.Domain.Audit;
using Sdes.Domain.Common;
using Sdes.Domain.Organisations;
using Sdes.Domain.Processes;
using Sdes.Infrastructure.Identity;

namespace Sdes.Tests.Persistence;

/// <summary>Runs once per provider: see the two tiny subclasses at the bottom.</summary>
public abstract class PersistenceTests(TestDatabase database) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static MarketParticipantRole Role(string mpid, MarketRole role, string? distributor = null) =>
        MarketParticipantRole.Create(Mpid.Create(mpid), role, distributor is null ? null : DistributorId.Create(distributor));

    private async Task<List<BusinessProcess>> SeedCatalogueAsync()
    {
        await using var db = database.CreateContext();
        var catalogue = ProcessCatalogue.Default().ToList();
        db.BusinessProcesses.AddRange(catalogue);
        await db.SaveChangesAsync();
        return catalogue;
    }

    [Fact]
    public async Task Organisation_WithRolesAndAssignments_RoundTrips()
    {
        var catalogue = await SeedCatalogueAsync();
        var dno = Organisation.Create("Pennine Distribution", [Role("PNDN", MarketRole.Dno, "16")], Now);
        var alice = UserId.New();
        var disconnections = catalogue.Single(p => p.Code == "electricity-disconnections");
        dno.Assign(alice, disconnections, 2, Now);
        await using (var db = database.CreateContext())
        {
            db.Organisations.Add(dno);
            await db.SaveChangesAsync();
        }

        await using var read = database.CreateContext();
        var loaded = await read.Organisations.SingleAsync(o => o.Id == dno.Id);

        var role = Assert.Single(loaded.Roles);
        Assert.Equal("PNDN", role.Mpid.Value);
        Assert.Equal(MarketRole.Dno, role.Role);
        Assert.Equal("16", role.DistributorId!.Value);
        Assert.True(loaded.IsAssigned(alice, disconnections.Id, 2));
        Assert.Equal(Now, loaded.Assignments.Single().AssignedAt);
    }

    [Fact]
    public async Task SameMpidInTheSameRole_ForASecondOrganisation_IsRefused()
    {
        await using var db = database.CreateContext();
        db.Organisations.Add(Organisation.Create("First", [Role("SAME", MarketRole.ElectricitySupplier)], Now));
        await db.SaveChangesAsync();
        db.Organisations.Add(Organisation.Create("Second", [Role("SAME", MarketRole.ElectricitySupplier)], Now));

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task Catalogue_RoundTripsLevelsWindowsRoutesAndFields()
    {
        var seeded = await SeedCatalogueAsync();

        await using var db = database.CreateContext();
        var loaded = await db.BusinessProcesses.ToListAsync();

        Assert.Equal(15, loaded.Count);
        foreach (var expected in seeded)
        {
            var actual = loaded.Single(p => p.Code == expected.Code);
            Assert.Equal(expected.Name, actual.Name);
            Assert.Equal(expected.Levels, actual.Levels);
            Assert.Equal(expected.Routes, actual.Routes);
            Assert.Equal(expected.BespokeFields.Select(f => (f.Key, f.Type, f.Required, string.Join('|', f.Choices))),
                actual.BespokeFields.Select(f => (f.Key, f.Type, f.Required, string.Join('|', f.Choices))));
        }
    }

    [Fact]
    public async Task ChangedProcessLevels_ArePersisted()
    {
        await SeedCatalogueAsync();
        await using (var db = database.CreateContext())
        {
            var p = await db.BusinessProcesses.SingleAsync(x => x.Code == "customer-requested-objections");
            p.ChangeLevels([ResponseWindow.OperationalHours(4), ResponseWindow.WorkingDays(1), ResponseWindow.WorkingDays(2)]);
            await db.SaveChangesAsync();
        }

        await using var read = database.CreateContext();
        var loaded = await read.BusinessProcesses.SingleAsync(x => x.Code == "customer-requested-objections");
        Assert.Equal([ResponseWindow.OperationalHours(4), ResponseWindow.WorkingDays(1), ResponseWindow.WorkingDays(2)], loaded.Levels);
    }

    [Fact]
    public async Task AuditEvent_RoundTrips_AndCannotBeChangedOrDeleted()
    {
        var catalogue = await SeedCatalogueAsync();
        var org = OrganisationId.New();
        var actor = new UserRef(UserId.New(), "Amelia Hart", org);
        var audit = AuditEvent.Record(AuditAction.AssignmentAdded, Now, actor, org, "User", "42", "Daniel Price",
            catalogue.Single(p => p.Code == "erroneous-transfers"), "level 2");
        await using (var db = database.CreateContext())
        {
            db.AuditEvents.Add(audit);
            await db.SaveChangesAsync();
        }

        await using var read = database.CreateContext();
        var loaded = await read.AuditEvents.SingleAsync();
        Assert.Equal(Now, loaded.OccurredAt);
        Assert.Equal(Fuel.Dual, loaded.Fuel);
        Assert.Equal("level 2", loaded.Detail);
        read.AuditEvents.Remove(loaded);
        Assert.Throws<InvalidOperationException>(() => read.SaveChanges());
    }

    [Fact]
    public async Task ConcurrentUnassigns_CannotBothRemoveTheLevelsUsers()
    {
        var catalogue = await SeedCatalogueAsync();
        var process = catalogue.Single(p => p.Code == "general-query");
        var (alice, bob) = (UserId.New(), UserId.New());
        var org = Organisation.Create("Race Energy", [Role("RACE", MarketRole.ElectricitySupplier)], Now);
        org.Assign(alice, process, 1, Now);
        org.Assign(bob, process, 1, Now);
        await using (var db = database.CreateContext())
        {
            db.Organisations.Add(org);
            await db.SaveChangesAsync();
        }

        await using var first = database.CreateContext();
        await using var second = database.CreateContext();
        var a = await first.Organisations.SingleAsync(o => o.Id == org.Id);
        var b = await second.Organisations.SingleAsync(o => o.Id == org.Id);
        a.Unassign(alice, process, 1);
        b.Unassign(bob, process, 1); // each alone is fine: the other user still covers the level
        await first.SaveChangesAsync();

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());
        await using var read = database.CreateContext();
        Assert.Single((await read.Organisations.SingleAsync(o => o.Id == org.Id)).UsersAt(process.Id, 1));
    }

    [Fact]
    public async Task DateTimeOffsets_CompareAndOrderInQueries()
    {
        await using (var db = database.CreateContext())
        {
            for (var i = 0; i < 5; i++)
            {
                db.AuditEvents.Add(AuditEvent.Record(AuditAction.SignInFailed, Now.AddMinutes(i * 10), null, null));
            }

            await db.SaveChangesAsync();
        }

        await using var read = database.CreateContext();
        var after = await read.AuditEvents.Where(e => e.OccurredAt > Now.AddMinutes(15)).OrderByDescending(e => e.OccurredAt)
            .Select(e => e.OccurredAt).ToListAsync();

        Assert.Equal([Now.AddMinutes(40), Now.AddMinutes(30), Now.AddMinutes(20)], after);
    }

    [Fact]
    public async Task TimesGivenWithAnOffset_AreStoredAsUtc()
    {
        var catalogue = await SeedCatalogueAsync();
        var bst = new DateTimeOffset(2026, 7, 1, 9, 30, 0, TimeSpan.FromHours(1));
        var org = Organisation.Create("Offset Energy", [Role("OFFS", MarketRole.ElectricitySupplier)], bst);
        org.Assign(UserId.New(), catalogue.Single(p => p.Code == "general-query"), 1, bst);
        await using (var db = database.CreateContext())
        {
            db.Organisations.Add(org);
            await db.SaveChangesAsync();
        }

        await using var read = database.CreateContext();
        var loaded = await read.Organisations.SingleAsync(o => o.Id == org.Id);
        Assert.Equal(bst, loaded.CreatedAt);
        Assert.Equal(TimeSpan.Zero, loaded.CreatedAt.Offset);
        Assert.Equal(bst, loaded.Assignments.Single().AssignedAt);
    }

    [Fact]
    public async Task AuditEvent_CannotBeUpdatedThroughTheContext()
    {
        await using (var db = database.CreateContext())
        {
            db.AuditEvents.Add(AuditEvent.Record(AuditAction.SignInFailed, Now, null, null));
            await db.SaveChangesAsync();
        }

        await using var edit = database.CreateContext();
        var stored = await edit.AuditEvents.SingleAsync();
        edit.Entry(stored).Property(e => e.Detail).CurrentValue = "rewritten";

        await Assert.ThrowsAsync<InvalidOperationException>(() => edit.SaveChangesAsync());
    }

    [Fact]
    public async Task SameEmailTwice_IsRefusedByTheDatabase()
    {
        await using var db = database.CreateContext();
        var org = Organisation.Create("Email Energy", [Role("EMLE", MarketRole.ElectricitySupplier)], Now);
        db.Organisations.Add(org);
        await db.SaveChangesAsync();
        SdesUser User() => new()
        {
            Id = Guid.NewGuid(), UserName = "x@example.org", NormalizedUserName = Guid.NewGuid().ToString(), Email = "x@example.org",
            NormalizedEmail = "X@EXAMPLE.ORG", DisplayName = "X", OrganisationId = org.Id, CreatedAt = Now,
        };
        db.Users.Add(User());
        await db.SaveChangesAsync();
        db.Users.Add(User());

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }
}

[Collection(SqliteCollection.Name)]
public sealed class PersistenceTests_Sqlite(SqliteTestDatabase database) : PersistenceTests(database);

[Collection(PostgresCollection.Name)]
public sealed class PersistenceTests_Postgres(PostgresTestDatabase database) : PersistenceTests(database);
