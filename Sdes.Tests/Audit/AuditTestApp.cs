using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Sdes.App.Features.Attachments;
using Sdes.Infrastructure.Attachments;
using Sdes.Infrastructure.Scanning;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Sdes.App.Features.Admin;
using Sdes.App.Features.Audit;
using Sdes.App.Features.Communications;
using Sdes.Infrastructure.Notifications;
using Sdes.Domain.Audit;
using Sdes.Domain.Common;
using Sdes.Domain.Organisations;
using Sdes.Domain.Processes;
using Sdes.Infrastructure.Identity;
using Sdes.Infrastructure.Persistence;

namespace Sdes.Tests.Audit;

/// <summary>The real audit service over a migrated SQLite file of its own: an operator, organisations A and B with their MAUs,
/// an admin and a plain AR in A, one business process. Events are added by the tests with the times they need.</summary>
public sealed class AuditTestApp : IAsyncDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("sdes-audit-");
    private ServiceProvider _services = default!;

    private AuditTestApp() { }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
    public InProcessCommunicationBus Bus { get; } = new();

    /// <summary>Everything published on the bus since the app started.</summary>
    public List<CommunicationActivity> Published { get; } = [];
    public IServiceProvider Services => _services;
    public AuditQueries Audit => _services.GetRequiredService<AuditQueries>();

    public Organisation OrganisationA { get; private set; } = default!;
    public Organisation OrganisationB { get; private set; } = default!;
    public Organisation OperatorOrganisation { get; private set; } = default!;
    public SdesUser Operator { get; private set; } = default!;
    public SdesUser MauA { get; private set; } = default!;
    public SdesUser AdminA { get; private set; } = default!;
    public SdesUser ArA { get; private set; } = default!;
    public SdesUser MauB { get; private set; } = default!;
    public BusinessProcess Process { get; private set; } = default!;

    public static async Task<AuditTestApp> StartAsync()
    {
        var app = new AuditTestApp();
        await app.InitialiseAsync();
        return app;
    }

    public static ClaimsPrincipal PrincipalFor(SdesUser user) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user.Id.ToString())], "test"));

    public async Task AddEventsAsync(IEnumerable<AuditEvent> events)
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SdesDbContext>();
        db.AuditEvents.AddRange(events);
        await db.SaveChangesAsync();
    }

    /// <summary>An event in an organisation's trail, done by that organisation's MAU unless another actor is given.</summary>
    public AuditEvent Event(Organisation organisation, DateTimeOffset at, string reference, AuditAction action = AuditAction.UserUpdated,
        UserRef? actor = null, string? detail = null, bool withProcess = false) =>
        AuditEvent.Record(action, at, actor ?? (organisation == OrganisationA ? MauA.Ref : MauB.Ref), organisation.Id, "User", Guid.NewGuid().ToString(),
            reference, withProcess ? Process : null, detail);

    /// <summary>Assigns a user to levels of <see cref="Process"/> in their organisation.</summary>
    public async Task AssignAsync(SdesUser user, params int[] levels)
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SdesDbContext>();
        var organisation = await db.Organisations.SingleAsync(o => o.Id == user.OrganisationId);
        foreach (var level in levels)
        {
            organisation.Assign(user.UserId, Process, level, Clock.GetUtcNow());
        }

        await db.SaveChangesAsync();
    }

    public async Task<T> DbAsync<T>(Func<SdesDbContext, Task<T>> work)
    {
        await using var scope = _services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<SdesDbContext>());
    }

    public async Task<List<AuditEvent>> EventsAsync(AuditAction action)
    {
        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SdesDbContext>();
        return await db.AuditEvents.AsNoTracking().Where(e => e.Action == action).ToListAsync();
    }

    private async Task InitialiseAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:Sdes"] = $"Data Source={Path.Combine(_dir.FullName, "sdes.db")}",
        };
        foreach (var (k, v) in Support.TestServers.LocalStoreSettings(_dir.FullName).Concat(Support.TestServers.ClamdSettings()))
        {
            settings[k] = v;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSdesPersistence(configuration, _dir.FullName);
        services.AddSdesIdentity(configuration);
        services.AddSingleton<TimeProvider>(Clock);
        services.AddLogging();
        services.AddAdminFeature();
        // The SDEP component tests reuse this small app: same organisations, one process, real services.
        services.AddCommunicationsFeature();
        services.AddSingleton(OperationalCalendar.Default);
        services.AddSingleton<ICommunicationBus>(Bus);
        services.AddVirusScanning(configuration);
        services.AddAttachmentStorage(configuration, _dir.FullName);
        services.AddSingleton<Infrastructure.Attachments.AttachmentIngestor>();
        services.AddAttachmentsFeature();
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        Bus.Subscribe(a =>
        {
            Published.Add(a);
            return Task.CompletedTask;
        });

        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SdesDbContext>();
        await db.Database.MigrateAsync();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole<Guid>>>();
        foreach (var role in new[] { SdesRoles.Operator, SdesRoles.OrganisationAdmin })
        {
            Check(await roles.CreateAsync(new IdentityRole<Guid>(role) { Id = Guid.CreateVersion7() }));
        }

        var now = Clock.GetUtcNow();
        OperatorOrganisation = Organisation.CreateServiceProvider("SDES Service Desk", now);
        OrganisationA = Organisation.Create("Alpha Energy", [MarketParticipantRole.Create(Mpid.Create("AAAA"), MarketRole.ElectricitySupplier)], now);
        OrganisationB = Organisation.Create("Bravo Power", [MarketParticipantRole.Create(Mpid.Create("BBBB"), MarketRole.ElectricitySupplier)], now);
        Process = ProcessCatalogue.Default()[0];
        db.AddRange(OperatorOrganisation, OrganisationA, OrganisationB, Process);
        await db.SaveChangesAsync();

        var users = scope.ServiceProvider.GetRequiredService<UserManager<SdesUser>>();
        Operator = await CreateUserAsync(users, OperatorOrganisation, "Olu Operator", "operator@desk.example", SdesRoles.Operator);
        MauA = await CreateUserAsync(users, OrganisationA, "Ada Alpha", "ada@alpha.example", SdesRoles.OrganisationAdmin);
        AdminA = await CreateUserAsync(users, OrganisationA, "Ahmed Admin", "ahmed@alpha.example", SdesRoles.OrganisationAdmin);
        ArA = await CreateUserAsync(users, OrganisationA, "Arlo Rep", "arlo@alpha.example", role: null);
        MauB = await CreateUserAsync(users, OrganisationB, "Bea Bravo", "bea@bravo.example", SdesRoles.OrganisationAdmin);
        OrganisationA.NameMasterAdmin(MauA.UserId);
        OrganisationB.NameMasterAdmin(MauB.UserId);
        await db.SaveChangesAsync();
    }

    private async Task<SdesUser> CreateUserAsync(UserManager<SdesUser> users, Organisation organisation, string name, string email, string? role)
    {
        var user = new SdesUser
        {
            Id = Guid.CreateVersion7(), UserName = email, Email = email, OrganisationId = organisation.Id, DisplayName = name,
            CreatedAt = Clock.GetUtcNow(),
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

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _dir.Delete(recursive: true);
    }
}
