using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Sdes.App.Features.Admin;
using Sdes.Domain.Organisations;
using Sdes.Domain.Processes;
using Sdes.Infrastructure.Identity;
using Sdes.Infrastructure.Persistence;

namespace Sdes.App.Hosting;

/// <summary>Start-up: applies migrations (embedded default), ensures roles and the process catalogue, creates the first
/// operator if configured, and in Development only seeds demo organisations and users.</summary>
internal sealed class DatabaseInitialiser(
    IServiceScopeFactory scopes,
    DatabaseOptions database,
    IConfiguration configuration,
    IHostEnvironment environment,
    TimeProvider time,
    ILogger<DatabaseInitialiser> logger)
{
    public const string DemoPassword = "Demo-Lantern-Quartz-2026";

    public async Task InitialiseAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SdesDbContext>();
        if (database.MigrateOnStartup)
        {
            await db.Database.MigrateAsync(ct);
        }

        await EnsureRolesAsync(scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole<Guid>>>());
        await EnsureCatalogueAsync(db, ct);

        var bootstrapEmail = configuration["Bootstrap:OperatorEmail"];
        if (!string.IsNullOrWhiteSpace(bootstrapEmail))
        {
            await scope.ServiceProvider.GetRequiredService<OrganisationAdministration>()
                .BootstrapOperatorAsync(bootstrapEmail, configuration["Bootstrap:OperatorName"] ?? "Service operator", ct);
        }

        if (environment.IsDevelopment() && configuration.GetValue("Demo:Seed", false) && !await db.Organisations.AnyAsync(ct))
        {
            await SeedDemoAsync(scope.ServiceProvider, db, ct);
        }
    }

    private static async Task EnsureRolesAsync(RoleManager<IdentityRole<Guid>> roles)
    {
        foreach (var name in new[] { SdesRoles.Operator, SdesRoles.OrganisationAdmin })
        {
            if (!await roles.RoleExistsAsync(name))
            {
                await roles.CreateAsync(new IdentityRole<Guid>(name) { Id = Guid.CreateVersion7() });
            }
        }
    }

    private static async Task EnsureCatalogueAsync(SdesDbContext db, CancellationToken ct)
    {
        var existing = await db.BusinessProcesses.Select(p => p.Code).ToListAsync(ct);
        var missing = ProcessCatalogue.Default().Where(p => !existing.Contains(p.Code)).ToList();
        if (missing.Count > 0)
        {
            db.BusinessProcesses.AddRange(missing);
            await db.SaveChangesAsync(ct);
        }
    }

    private async Task SeedDemoAsync(IServiceProvider services, SdesDbContext db, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var users = services.GetRequiredService<UserManager<SdesUser>>();
        var catalogue = await db.BusinessProcesses.ToListAsync(ct);
        var passwordHash = users.PasswordHasher.HashPassword(new SdesUser(), DemoPassword);

        var provider = Organisation.CreateServiceProvider("SDES Service Desk", now);
        db.Organisations.Add(provider);
        await db.SaveChangesAsync(ct);
        var operatorUser = await AddUserAsync(users, provider, "Olivia Okafor", "operator@sdes.example", passwordHash, now);
        await users.AddToRoleAsync(operatorUser, SdesRoles.Operator);

        var staff = new Dictionary<string, SdesUser[]>(StringComparer.Ordinal);
        foreach (var demo in DemoOrganisations)
        {
            var org = Organisation.Create(demo.Name, demo.Roles, now);
            db.Organisations.Add(org);
            await db.SaveChangesAsync(ct);
            var people = new List<SdesUser>();
            foreach (var (name, index) in demo.People.Select((n, i) => (n, i)))
            {
                var email = $"{name.Split(' ')[0].ToLowerInvariant()}.{name.Split(' ')[^1].ToLowerInvariant()}@{demo.Domain}";
                people.Add(await AddUserAsync(users, org, name, email, passwordHash, now));
            }

            org.NameMasterAdmin(people[0].UserId);
            await users.AddToRoleAsync(people[0], SdesRoles.OrganisationAdmin);
            foreach (var process in catalogue.Where(org.TakesPartIn))
            {
                org.Assign(people[0].UserId, process, 1, now);
                org.Assign(people[1].UserId, process, 1, now);
                for (var level = 2; level <= process.TopLevel; level++)
                {
                    org.Assign(people[^1].UserId, process, level, now);
                }
            }

            await db.SaveChangesAsync(ct);
            staff[org.Name] = [.. people];
        }

        db.ChangeTracker.Clear();
        await DemoCommunications.SeedAsync(db, staff, now, services.GetRequiredService<Infrastructure.Attachments.AttachmentIngestor>(), ct);
        logger.LogWarning("Development demo data seeded. Every demo account's password is {DemoPassword}; the operator is operator@sdes.example. See README.md.",
            DemoPassword);
    }

    private static async Task<SdesUser> AddUserAsync(UserManager<SdesUser> users, Organisation org, string name, string email, string passwordHash,
        DateTimeOffset now)
    {
        var user = new SdesUser
        {
            Id = Guid.CreateVersion7(),
            UserName = email,
            Email = email,
            EmailConfirmed = true,
            DisplayName = name,
            OrganisationId = org.Id,
            CreatedAt = now,
            PasswordHash = passwordHash,
        };
        var result = await users.CreateAsync(user);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Demo user could not be created: " + string.Join("; ", result.Errors.Select(e => e.Description)));
        }

        return user;
    }

    private sealed record DemoOrganisation(string Name, string Domain, MarketParticipantRole[] Roles, string[] People);

    private static MarketParticipantRole Role(string mpid, MarketRole role, string? distributor = null) =>
        MarketParticipantRole.Create(Mpid.Create(mpid), role, distributor is null ? null : DistributorId.Create(distributor));

    private static readonly DemoOrganisation[] DemoOrganisations =
    [
        new("Brightwater Energy", "brightwater.example",
            [Role("BRWE", MarketRole.ElectricitySupplier), Role("BRWG", MarketRole.GasSupplier)],
            ["Amelia Hart", "Daniel Price", "Priya Shah"]),
        new("Northlight Power", "northlight.example", [Role("NLPW", MarketRole.ElectricitySupplier)],
            ["Marcus Bell", "Chloe Evans", "Tom Gallagher"]),
        new("Kestrel Gas & Power", "kestrel.example",
            [Role("KSTE", MarketRole.ElectricitySupplier), Role("KSTG", MarketRole.GasSupplier)],
            ["Hannah Moore", "Joseph Reid"]),
        new("Pennine Distribution", "pennine.example", [Role("PNDN", MarketRole.Dno, "16")],
            ["Graham Walsh", "Sophie Turner", "Ravi Patel"]),
        new("Severn Valley Networks", "severnvalley.example", [Role("SVVN", MarketRole.Dno, "21")],
            ["Eleanor Hughes", "Owen Davies"]),
        new("Meridian Utility Networks", "meridian.example", [Role("MRDN", MarketRole.Idno, "29")],
            ["Fiona Campbell", "Liam Murphy"]),
        new("Metrix Field Services", "metrix.example", [Role("MTXF", MarketRole.Mem)],
            ["Jack Robinson", "Aisha Khan"]),
        new("Energy Code Management", "codemanager.example", [Role("ECMG", MarketRole.CodeManager)],
            ["Catherine Lloyd", "Peter Shaw"]),
    ];
}
