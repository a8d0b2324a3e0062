using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Sdes.App.Features.Admin;
using Sdes.App.Features.Attachments;
using Sdes.App.Features.Communications;
using Sdes.App.Features.Notifications;
using Sdes.Domain.Audit;
using Sdes.Domain.Common;
using Sdes.Domain.Communications;
using Sdes.Domain.Organisations;
using Sdes.Domain.Processes;
using Sdes.Infrastructure.Attachments;
using Sdes.Infrastructure.Identity;
using Sdes.Infrastructure.Scanning;
using Sdes.Infrastructure.Jobs;
using Sdes.Infrastructure.Notifications;
using Sdes.Infrastructure.Persistence;
using Sdes.Tests.Audit;
using Sdes.Tests.Persistence;

namespace Sdes.Tests.Communications;

/// <summary>The real SDEP use cases, queries and retention job over a reset <see cref="TestDatabase"/> (SQLite or PostgreSQL),
/// with a <see cref="FakeTimeProvider"/>. Seeds the process catalogue and three organisations: suppliers A (Alpha) and C
/// (Charlie) and DNO B (Bravo), with ARs assigned as below. Everything else is done by the tests through the use cases.
/// <list type="bullet">
/// <item>Ada (A): Contract Manager Queries levels 1 and 2, Electricity Disconnections 1, General Query 1, Erroneous Transfers 1.</item>
/// <item>Alan (A): Contract Manager Queries level 2 only. Amy (A): Erroneous Transfers level 1 only.</item>
/// <item>Ben (B): Contract Manager Queries 1, Electricity Disconnections 1, General Query 1. Bea (B): Contract Manager Queries 2,
/// Electricity Disconnections 2.</item>
/// <item>Cal (C): Contract Manager Queries 1, Electricity Disconnections 1, General Query 1, Erroneous Transfers 1, so C's AR is
/// assigned to every process A and B talk about, and only the party rule keeps A–B communications from them.</item>
/// </list></summary>
public sealed class CommunicationTestApp : IAsyncDisposable
{
    /// <summary>Valid MPAN core: weighted sum mod 11 mod 10 = 7 (the domain tests work it by hand).</summary>
    public const string ValidMpan = "1223015956917";

    /// <summary>The same core with the wrong check digit.</summary>
    public const string BadCheckDigitMpan = "1223015956918";

    /// <summary>The seed is done at this instant; tests move the clock forward from it (a FakeTimeProvider cannot go back).</summary>
    public static readonly DateTimeOffset SeededAt = new(2026, 9, 1, 8, 0, 0, TimeSpan.Zero);

    private ServiceProvider _services = default!;
    private Dictionary<OrganisationId, Organisation> _organisations = [];

    private CommunicationTestApp() { }

    public FakeTimeProvider Clock { get; } = new(SeededAt);
    public DatabaseProvider Provider { get; private set; }

    public CommunicationService Service => _services.GetRequiredService<CommunicationService>();
    public CommunicationQueries Queries => _services.GetRequiredService<CommunicationQueries>();
    public CommunicationRetention Retention => _services.GetRequiredService<CommunicationRetention>();

    public Organisation A { get; private set; } = default!;
    public Organisation B { get; private set; } = default!;
    public Organisation C { get; private set; } = default!;

    public BusinessProcess ContractManager { get; private set; } = default!;
    public BusinessProcess Disconnections { get; private set; } = default!;
    public BusinessProcess GeneralQuery { get; private set; } = default!;
    public BusinessProcess ErroneousTransfers { get; private set; } = default!;

    public SdesUser Ada { get; private set; } = default!;
    public SdesUser Alan { get; private set; } = default!;
    public SdesUser Amy { get; private set; } = default!;
    public SdesUser Ben { get; private set; } = default!;
    public SdesUser Bea { get; private set; } = default!;
    public SdesUser Cal { get; private set; } = default!;

    /// <summary>Resets the database and seeds it. The caller disposes the app.</summary>
    public static async Task<CommunicationTestApp> StartAsync(TestDatabase database, IDictionary<string, string?>? settings = null)
    {
        await database.ResetAsync();
        var app = new CommunicationTestApp { Provider = database.Provider };
        await app.InitialiseAsync(database, settings ?? new Dictionary<string, string?>());
        return app;
    }

    /// <summary>A temp folder for this app's attachment store and key file, removed on dispose.</summary>
    public DirectoryInfo Folder { get; } = Directory.CreateTempSubdirectory("sdes-comm-");

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public static string Ref(long number) => Reference.Create(ReferenceKind.Communication, number).Value;

    public static ClaimsPrincipal As(SdesUser user) => AuditTestApp.PrincipalFor(user);

    public Organisation OrganisationOf(SdesUser user) => _organisations[user.OrganisationId];

    /// <summary>Moves the clock forward to an instant given as ISO 8601 UTC.</summary>
    public void SetTime(string iso) => Clock.SetUtcNow(At(iso));

    public static DateTimeOffset At(string iso) =>
        DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    /// <summary>The bespoke values each process needs, valid by default.</summary>
    public static Dictionary<string, string?> BespokeFor(BusinessProcess process) => process.Code switch
    {
        "electricity-disconnections" => new() { ["mpan"] = ValidMpan },
        "erroneous-transfers" => new() { ["transfer-date"] = "2026-08-31", ["customer-name"] = "J Smith" },
        _ => [],
    };

    public SendForm Form(SdesUser from, Organisation to, BusinessProcess process, string subject, string message, string? tag = null,
        Dictionary<string, string?>? bespoke = null)
    {
        var fromRole = OrganisationOf(from).Roles.Single();
        var toRole = to.Roles.Single();
        return new SendForm
        {
            FromRole = CommunicationQueries.RoleKey(fromRole.Mpid.Value, fromRole.Role),
            ProcessCode = process.Code,
            Recipient = $"{to.Id.Value}|{CommunicationQueries.RoleKey(toRole.Mpid.Value, toRole.Role)}",
            Subject = subject,
            Message = message,
            Tag = tag,
            Bespoke = bespoke ?? BespokeFor(process),
        };
    }

    /// <summary>Sends through the real use case and returns the new reference.</summary>
    public Task<string> SendAsync(SdesUser from, Organisation to, BusinessProcess process, string subject = "A subject",
        string message = "A message.", string? tag = null, Dictionary<string, string?>? bespoke = null) =>
        Service.SendAsync(As(from), Form(from, to, process, subject, message, tag, bespoke));

    public Task ReplyAsync(SdesUser by, string reference, string message, string? tag = null) =>
        Service.ReplyAsync(As(by), reference, new ReplyForm { Message = message, Tag = tag });

    public Task<CommunicationPage> ListAsync(SdesUser viewer, CommunicationFilter filter) => Queries.ListAsync(As(viewer), filter);

    /// <summary>Every reference the viewer's list shows for the filter (one page of up to 100), in list order.</summary>
    public async Task<List<string>> ReferencesAsync(SdesUser viewer, CommunicationFilter? filter = null)
    {
        var page = await ListAsync(viewer, (filter ?? new CommunicationFilter()) with { PageSize = CommunicationQueries.MaxPageSize });
        Assert.Null(page.NextCursor);
        return page.Rows.Select(r => r.Reference).ToList();
    }

    public async Task<T> DbAsync<T>(Func<SdesDbContext, Task<T>> work)
    {
        await using var scope = _services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<SdesDbContext>());
    }

    /// <summary>The communication as stored, with its parties, messages and events (tombstones included).</summary>
    public Task<Communication> LoadAsync(string reference)
    {
        var number = ParseNumber(reference);
        return DbAsync(db => db.Communications.AsNoTracking().Where(c => c.ReferenceNumber == number)
            .Include(c => c.Parties).Include(c => c.Messages).Include(c => c.Events).AsSplitQuery().SingleAsync());
    }

    public Task<List<AuditEvent>> AuditAsync(AuditAction? action = null) =>
        DbAsync(db => db.AuditEvents.AsNoTracking().Where(e => action == null || e.Action == action).OrderBy(e => e.OccurredAt).ThenBy(e => e.Id)
            .ToListAsync());

    public Task<List<AuditEvent>> AuditForAsync(string reference) =>
        DbAsync(db => db.AuditEvents.AsNoTracking().Where(e => e.SubjectReference == reference).OrderBy(e => e.OccurredAt).ThenBy(e => e.Id)
            .ToListAsync());

    public static long ParseNumber(string reference) =>
        Reference.TryParse(reference, ReferenceKind.Communication, out var parsed) ? parsed!.Number
            : throw new ArgumentException($"'{reference}' is not an SDE reference.", nameof(reference));

    private async Task InitialiseAsync(TestDatabase database, IDictionary<string, string?> settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["Database:Provider"] = database.Provider.ToString(),
            ["ConnectionStrings:Sdes"] = database.ConnectionString,
            ["App:PublicBaseUrl"] = "https://sdes.test",
        };
        foreach (var (k, v) in Support.TestServers.LocalStoreSettings(Folder.FullName).Concat(Support.TestServers.ClamdSettings()).Concat(settings))
        {
            values[k] = v;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSdesPersistence(configuration, Path.GetTempPath());
        services.AddSdesIdentity(configuration);
        services.AddSingleton<TimeProvider>(Clock);
        services.AddLogging();
        services.AddSingleton(OperationalCalendar.Default);
        services.AddSingleton<ICommunicationBus, InProcessCommunicationBus>();
        services.AddSingleton<CommunicationRetention>();
        services.AddVirusScanning(configuration);
        services.AddAttachmentStorage(configuration, Folder.FullName);
        services.AddSingleton<AttachmentIngestor>();
        services.AddSingleton<AttachmentMaintenance>();
        services.AddAdminFeature();
        services.AddCommunicationsFeature();
        services.AddAttachmentsFeature();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<NotificationMailer>();
        services.AddNotificationsFeature();
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });

        await using var scope = _services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SdesDbContext>();
        var now = Clock.GetUtcNow();
        var catalogue = ProcessCatalogue.Default();
        ContractManager = catalogue.Single(p => p.Code == "contract-manager-queries");
        Disconnections = catalogue.Single(p => p.Code == "electricity-disconnections");
        GeneralQuery = catalogue.Single(p => p.Code == "general-query");
        ErroneousTransfers = catalogue.Single(p => p.Code == "erroneous-transfers");
        A = Organisation.Create("Alpha Supply", [Role("AAAA", MarketRole.ElectricitySupplier)], now);
        B = Organisation.Create("Bravo Networks", [Role("BBBB", MarketRole.Dno, "12")], now);
        C = Organisation.Create("Charlie Supply", [Role("CCCC", MarketRole.ElectricitySupplier)], now);
        _organisations = new[] { A, B, C }.ToDictionary(o => o.Id);
        db.BusinessProcesses.AddRange(catalogue);
        db.Organisations.AddRange(A, B, C);
        await db.SaveChangesAsync();

        var users = scope.ServiceProvider.GetRequiredService<UserManager<SdesUser>>();
        Ada = await CreateUserAsync(users, A, "Ada Alpha", (ContractManager, 1), (ContractManager, 2), (Disconnections, 1), (GeneralQuery, 1),
            (ErroneousTransfers, 1));
        Alan = await CreateUserAsync(users, A, "Alan Alpha", (ContractManager, 2));
        Amy = await CreateUserAsync(users, A, "Amy Alpha", (ErroneousTransfers, 1));
        Ben = await CreateUserAsync(users, B, "Ben Bravo", (ContractManager, 1), (Disconnections, 1), (GeneralQuery, 1));
        Bea = await CreateUserAsync(users, B, "Bea Bravo", (ContractManager, 2), (Disconnections, 2));
        Cal = await CreateUserAsync(users, C, "Cal Charlie", (ContractManager, 1), (Disconnections, 1), (GeneralQuery, 1), (ErroneousTransfers, 1));
        await db.SaveChangesAsync();
    }

    private async Task<SdesUser> CreateUserAsync(UserManager<SdesUser> users, Organisation organisation, string name,
        params (BusinessProcess Process, int Level)[] assignments)
    {
        var email = name.Replace(' ', '.').ToLowerInvariant() + "@" + organisation.Name.Split(' ')[0].ToLowerInvariant() + ".example";
        var user = new SdesUser
        {
            Id = Guid.CreateVersion7(), UserName = email, Email = email, OrganisationId = organisation.Id, DisplayName = name,
            CreatedAt = Clock.GetUtcNow(),
        };
        var result = await users.CreateAsync(user);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }

        foreach (var (process, level) in assignments)
        {
            organisation.Assign(user.UserId, process, level, Clock.GetUtcNow());
        }

        return user;
    }

    private static MarketParticipantRole Role(string mpid, MarketRole role, string? distributor = null) =>
        MarketParticipantRole.Create(Mpid.Create(mpid), role, distributor is null ? null : DistributorId.Create(distributor));

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Folder.Delete(recursive: true);
    }
}
