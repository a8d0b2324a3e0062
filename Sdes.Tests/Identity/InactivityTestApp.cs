using System.Security.Claims;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Time.Testing;
using Sdes.App.Features.Admin;
using Sdes.Domain.Audit;
using Sdes.Domain.Organisations;
using Sdes.Domain.Processes;
using Sdes.Infrastructure.Email;
using Sdes.Infrastructure.Identity;
using Sdes.Infrastructure.Jobs;
using Sdes.Infrastructure.Persistence;
using Sdes.Tests.Audit;
using Sdes.Tests.Persistence;

namespace Sdes.Tests.Identity;

/// <summary>The real inactivity job and dashboard use cases over a reset <see cref="TestDatabase"/> with a fake clock.
/// Seeded at <see cref="SeededAt"/>: Arlo (AR of Alpha) and Dora (disabled, Alpha) and Ben (AR of Bravo) were created ten
/// days earlier and never signed in, so their countdowns run ten days ahead of everyone else's, who signed in at the seed.
/// <list type="bullet">
/// <item>Alpha: MAU Mia; Arlo is the last user at Contract Manager Queries level 1 and shares General Query level 1 with Amber (admin).</item>
/// <item>Bravo: MAU Bea; Ben at Contract Manager Queries level 1 alone.</item>
/// <item>The SDES Provider: operator Olu, who like Arlo never signed in.</item>
/// </list></summary>
public sealed class InactivityTestApp : IAsyncDisposable
{
    public static readonly DateTimeOffset SeededAt = new(2026, 9, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>When Arlo, Dora, Ben and Olu were created (and so when their countdowns start).</summary>
    public static readonly DateTimeOffset EarlyAnchor = SeededAt.AddDays(-10);

    private ServiceProvider _services = default!;

    private InactivityTestApp() { }

    public FakeTimeProvider Clock { get; } = new(SeededAt);
    public InactiveAccountDeletion Job => _services.GetRequiredService<InactiveAccountDeletion>();
    public InactiveUsers Dashboard => _services.GetRequiredService<InactiveUsers>();

    public Organisation Alpha { get; private set; } = default!;
    public Organisation Bravo { get; private set; } = default!;
    public BusinessProcess ContractManager { get; private set; } = default!;
    public BusinessProcess GeneralQuery { get; private set; } = default!;

    public SdesUser Mia { get; private set; } = default!;
    public SdesUser Amber { get; private set; } = default!;
    public SdesUser Arlo { get; private set; } = default!;
    public SdesUser Dora { get; private set; } = default!;
    public SdesUser Bea { get; private set; } = default!;
    public SdesUser Ben { get; private set; } = default!;
    public SdesUser Olu { get; private set; } = default!;

    public static async Task<InactivityTestApp> StartAsync(TestDatabase database)
    {
        await database.ResetAsync();
        var app = new InactivityTestApp();
        await app.InitialiseAsync(database);
        return app;
    }

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public static ClaimsPrincipal As(SdesUser user) => AuditTestApp.PrincipalFor(user);

    /// <summary>Moves the clock to a number of days (and hours) after the early users' anchor.</summary>
    public void SetEarlyDay(int day, double hours = 1) => Clock.SetUtcNow(EarlyAnchor + TimeSpan.FromDays(day) + TimeSpan.FromHours(hours));

    public Task<InactivityRunResult> RunAsync() => Job.RunAsync(CancellationToken.None);

    /// <summary>What <c>SignInService</c> records on a successful sign-in.</summary>
    public async Task SignInAsync(SdesUser user)
    {
        await using var scope = _services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<SdesUser>>();
        var stored = await users.FindByIdAsync(user.Id.ToString()) ?? throw new InvalidOperationException("No such user.");
        stored.LastSignInAt = Clock.GetUtcNow();
        await users.UpdateAsync(stored);
    }

    public async Task<T> DbAsync<T>(Func<SdesDbContext, Task<T>> work)
    {
        await using var scope = _services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<SdesDbContext>());
    }

    public Task<List<OutboxMessage>> EmailsAsync() => DbAsync(db => db.OutboxMessages.AsNoTracking().ToListAsync());

    /// <summary>The reminders to a user (to their address) and the MAU notices about them (their name in the subject).</summary>
    public async Task<(int ToUser, int ToMau)> CountAboutAsync(SdesUser user, SdesUser mau)
    {
        var emails = await EmailsAsync();
        return (emails.Count(e => e.Kind == InactivityMailer.UserKind && e.ToAddress == user.Email),
            emails.Count(e => e.Kind == InactivityMailer.MasterAdminKind && e.ToAddress == mau.Email
                && e.Subject.Contains(user.DisplayName, StringComparison.Ordinal)));
    }

    public Task<bool> ExistsAsync(SdesUser user) => DbAsync(db => db.Users.AnyAsync(u => u.Id == user.Id));

    public Task<Organisation> OrganisationAsync(Organisation organisation) =>
        DbAsync(db => db.Organisations.AsNoTracking().SingleAsync(o => o.Id == organisation.Id));

    public Task<List<AuditEvent>> AuditAsync(AuditAction action) =>
        DbAsync(db => db.AuditEvents.AsNoTracking().Where(e => e.Action == action).ToListAsync());

    private async Task InitialiseAsync(TestDatabase database)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = database.Provider.ToString(),
            ["ConnectionStrings:Sdes"] = database.ConnectionString,
            ["App:PublicBaseUrl"] = "https://sdes.example.org",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSdesPersistence(configuration, Path.GetTempPath());
        services.AddSdesIdentity(configuration);
        services.AddSingleton<TimeProvider>(Clock);
        services.AddLogging();
        services.AddSingleton<IWebHostEnvironment>(new TestWebHostEnvironment());
        services.AddSingleton<InactivityMailer>();
        services.AddSingleton<InactiveAccountDeletion>();
        services.AddAdminFeature();
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });

        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SdesDbContext>();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole<Guid>>>();
        foreach (var role in new[] { SdesRoles.Operator, SdesRoles.OrganisationAdmin })
        {
            Check(await roles.CreateAsync(new IdentityRole<Guid>(role) { Id = Guid.CreateVersion7() }));
        }

        var now = Clock.GetUtcNow();
        var catalogue = ProcessCatalogue.Default();
        ContractManager = catalogue.Single(p => p.Code == "contract-manager-queries");
        GeneralQuery = catalogue.Single(p => p.Code == "general-query");
        var provider = Organisation.CreateServiceProvider("SDES Service Desk", now);
        Alpha = Organisation.Create("Alpha Supply", [MarketParticipantRole.Create(Mpid.Create("AAAA"), MarketRole.ElectricitySupplier)], now);
        Bravo = Organisation.Create("Bravo Supply", [MarketParticipantRole.Create(Mpid.Create("BBBB"), MarketRole.ElectricitySupplier)], now);
        db.BusinessProcesses.AddRange(catalogue);
        db.Organisations.AddRange(provider, Alpha, Bravo);
        await db.SaveChangesAsync();

        var users = scope.ServiceProvider.GetRequiredService<UserManager<SdesUser>>();
        Olu = await CreateAsync(users, provider, "Olu Operator", SdesRoles.Operator, signedIn: false);
        Mia = await CreateAsync(users, Alpha, "Mia Master", SdesRoles.OrganisationAdmin, signedIn: true);
        Amber = await CreateAsync(users, Alpha, "Amber Admin", SdesRoles.OrganisationAdmin, signedIn: true);
        Arlo = await CreateAsync(users, Alpha, "Arlo Rep", null, signedIn: false);
        Dora = await CreateAsync(users, Alpha, "Dora Disabled", null, signedIn: false, disabled: true);
        Bea = await CreateAsync(users, Bravo, "Bea Master", SdesRoles.OrganisationAdmin, signedIn: true);
        Ben = await CreateAsync(users, Bravo, "Ben Rep", null, signedIn: false);
        Alpha.NameMasterAdmin(Mia.UserId);
        Bravo.NameMasterAdmin(Bea.UserId);
        Alpha.Assign(Arlo.UserId, ContractManager, 1, now);
        Alpha.Assign(Arlo.UserId, GeneralQuery, 1, now);
        Alpha.Assign(Amber.UserId, GeneralQuery, 1, now);
        Bravo.Assign(Ben.UserId, ContractManager, 1, now);
        await db.SaveChangesAsync();
        db.AccountSecrets.Add(AccountSecret.Issue(Arlo.Id, "not-a-real-hash", EarlyAnchor, TimeSpan.FromHours(72)));
        await db.SaveChangesAsync();
    }

    private async Task<SdesUser> CreateAsync(UserManager<SdesUser> users, Organisation organisation, string name, string? role, bool signedIn,
        bool disabled = false)
    {
        var email = name.Split(' ')[0].ToLowerInvariant() + "@" + organisation.Name.Split(' ')[0].ToLowerInvariant() + ".example";
        var user = new SdesUser
        {
            Id = Guid.CreateVersion7(), UserName = email, Email = email, OrganisationId = organisation.Id, DisplayName = name,
            CreatedAt = signedIn ? SeededAt.AddDays(-30) : EarlyAnchor,
            LastSignInAt = signedIn ? SeededAt : null,
            IsDisabled = disabled,
        };
        Check(await users.CreateAsync(user));
        if (role is not null)
        {
            Check(await users.AddToRoleAsync(user, role));
        }

        return user;
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    private sealed class TestWebHostEnvironment : IWebHostEnvironment
    {
        public string WebRootPath { get; set; } = Path.Combine(AppContext.BaseDirectory, "wwwroot-assets");
        public IFileProvider WebRootFileProvider { get; set; } = new NullFileProvider();
        public string ApplicationName { get; set; } = "Sdes.Tests";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;
        public string EnvironmentName { get; set; } = "Testing";
    }
}
