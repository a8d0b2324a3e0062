using System.Security.Claims;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Sdes.Infrastructure.Identity;
using Sdes.Infrastructure.Persistence;

namespace Sdes.Tests.Integration;

/// <summary>The real app on a real Kestrel port, its own SQLite database and pickup folder in a temp directory, the outbox
/// job running as in production. Bootstraps one service operator whose one-time password arrives by email.</summary>
public sealed class SdesAppFactory : WebApplicationFactory<Program>
{
    public const string OperatorEmail = "operator@test.example";

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("sdes-it-");
    private readonly Dictionary<string, string?> _settings = [];

    public SdesAppFactory(IDictionary<string, string?>? settings = null)
    {
        UseKestrel(0);
        foreach (var (k, v) in settings ?? new Dictionary<string, string?>())
        {
            _settings[k] = v;
        }
    }

    public string PickupFolder => Path.Combine(_dir.FullName, "mail");

    /// <summary>The local attachment store's folder (unless a test chose another store).</summary>
    public string AttachmentFolder => Path.Combine(_dir.FullName, "attachments");

    public Mailbox Mailbox => new(PickupFolder);

    public Uri BaseAddress
    {
        get
        {
            StartServer();
            return ClientOptions.BaseAddress;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        var defaults = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:Sdes"] = $"Data Source={Path.Combine(_dir.FullName, "sdes.db")}",
            ["Email:Sender"] = "PickupFolder",
            ["Email:PickupFolder"] = PickupFolder,
            ["Email:PollInterval"] = "00:00:00.300",
            ["Security:RevalidationInterval"] = "00:00:02",
            ["Bootstrap:OperatorEmail"] = OperatorEmail,
            ["Bootstrap:OperatorName"] = "Olu Operator",
            ["App:PublicBaseUrl"] = "http://127.0.0.1",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
            ["Attachments:RescanInterval"] = "00:00:01",
        };
        foreach (var (k, v) in Support.TestServers.LocalStoreSettings(_dir.FullName).Concat(Support.TestServers.ClamdSettings()))
        {
            defaults[k] = v;
        }

        foreach (var (k, v) in defaults.Concat(_settings))
        {
            builder.UseSetting(k, v);
        }
    }

    public SessionClient NewSession() => new(BaseAddress);

    /// <summary>A principal for calling use-case services directly, as the page would for that signed-in user.</summary>
    public static ClaimsPrincipal PrincipalFor(SdesUser user) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user.Id.ToString())], "test"));

    public async Task<SdesUser> FindUserAsync(string email)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<SdesUser>>();
        return await users.FindByEmailAsync(email) ?? throw new InvalidOperationException($"No user {email}");
    }

    public async Task<T> WithDbAsync<T>(Func<SdesDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<SdesDbContext>());
    }

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            try
            {
                _dir.Delete(recursive: true);
            }
            catch (IOException)
            {
                // The SQLite file can still be open for a moment after shutdown; the temp folder is cleaned by the OS.
            }
        }
    }
}
