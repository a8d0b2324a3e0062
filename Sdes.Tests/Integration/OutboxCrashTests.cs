using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Sdes.Infrastructure.Email;
using Sdes.Infrastructure.Persistence;

namespace Sdes.Tests.Integration;

/// <summary>ADR 0002's guarantee against the real app process: SIGKILL it inside each crash window (held open by
/// Email:FaultInjection), restart it on the same database without the pause, and count what reached the provider.
/// The bootstrap operator's one-time password is the email under test: it is queued in the same transaction as the account.</summary>
public sealed class OutboxCrashTests : IAsyncLifetime
{
    private const string Recipient = SdesAppFactory.OperatorEmail;

    /// <summary>Generous: a cold app start with migrations on a loaded CI machine.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("sdes-crash-");
    private readonly List<AppProcess> _apps = [];
    private RecordingSendGrid _sendGrid = default!;

    private string Marker => Path.Combine(_dir.FullName, "outbox-paused");
    private string PickupFolder => Path.Combine(_dir.FullName, "mail");
    private string ConnectionString => new SqliteConnectionStringBuilder { DataSource = Path.Combine(_dir.FullName, "sdes.db"), Pooling = false }.ToString();

    public async Task InitializeAsync() => _sendGrid = await RecordingSendGrid.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            app.Dispose();
        }

        await _sendGrid.DisposeAsync();
        try
        {
            _dir.Delete(recursive: true);
        }
        catch (IOException)
        {
            // Left to the OS's temp cleaner.
        }
    }

    [Fact]
    public async Task KilledAfterCommitBeforeSend_AfterRestart_IsSentExactlyOnce()
    {
        var first = Start(EmailSenderKind.SendGrid, pause: "PauseBeforeSend");
        var id = await WaitForPauseAsync(first, "BeforeSend");
        first.Kill();

        Assert.Empty(_sendGrid.Requests);
        var crashed = await LoadAsync(id);
        Assert.Equal((OutboxStatus.Pending, 1), (crashed.Status, crashed.Attempts));

        var second = Start(EmailSenderKind.SendGrid, pause: null);
        var sent = await WaitForSentAsync(second, id);

        var request = Assert.Single(_sendGrid.Requests);
        Assert.Equal((Recipient, id.ToString("N")), (request.To, request.SdesMessageId));
        Assert.Equal(2, sent.Attempts);
        Assert.Null(sent.TextBody);
    }

    [Fact]
    public async Task KilledAfterSendGridAcceptedBeforeCommit_AfterRestart_IsSentOnceMore_TheDocumentedDuplicate()
    {
        var first = Start(EmailSenderKind.SendGrid, pause: "PauseAfterSend");
        var id = await WaitForPauseAsync(first, "AfterSend");
        first.Kill();

        Assert.Single(_sendGrid.Requests);
        Assert.Equal(OutboxStatus.Pending, (await LoadAsync(id)).Status);

        var second = Start(EmailSenderKind.SendGrid, pause: null);
        var sent = await WaitForSentAsync(second, id);

        Assert.Equal(2, _sendGrid.Requests.Count);
        Assert.All(_sendGrid.Requests, r => Assert.Equal((Recipient, id.ToString("N")), (r.To, r.SdesMessageId)));
        Assert.Equal(2, sent.Attempts);
    }

    [Fact]
    public async Task KilledAfterPickupFileWrittenBeforeCommit_AfterRestart_LeavesExactlyOneFile()
    {
        var first = Start(EmailSenderKind.PickupFolder, pause: "PauseAfterSend");
        var id = await WaitForPauseAsync(first, "AfterSend");
        first.Kill();

        Assert.Equal([$"{id:N}.eml"], MailFiles());
        Assert.Equal(OutboxStatus.Pending, (await LoadAsync(id)).Status);

        var second = Start(EmailSenderKind.PickupFolder, pause: null);
        var sent = await WaitForSentAsync(second, id);

        Assert.Equal(2, sent.Attempts); // it really was written a second time...
        Assert.Equal([$"{id:N}.eml"], MailFiles()); // ...over the first
        var mail = Assert.Single(new Mailbox(PickupFolder).ForAddress(Recipient));
        Assert.NotEmpty(Mailbox.OneTimePassword(mail));
        Assert.Empty(_sendGrid.Requests);
    }

    [Fact]
    public async Task FaultInjectionSet_InProduction_TheAppRefusesToStart()
    {
        var settings = Settings(EmailSenderKind.PickupFolder, "PauseBeforeSend");
        var app = Track(AppProcess.Start(_dir.FullName, "Production", settings));

        Assert.True(await app.WaitForExitAsync(Deadline), "The app kept running with fault injection in Production.\n" + app.Output);
        Assert.NotEqual(0, app.ExitCode);
        Assert.Contains("Email:FaultInjection is a test seam", app.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir.FullName, "sdes.db")), "The app touched its database before refusing.");
    }

    private AppProcess Start(EmailSenderKind sender, string? pause)
    {
        File.Delete(Marker);
        return Track(AppProcess.Start(_dir.FullName, "Testing", Settings(sender, pause)));
    }

    private AppProcess Track(AppProcess app)
    {
        _apps.Add(app);
        return app;
    }

    private Dictionary<string, string?> Settings(EmailSenderKind sender, string? pause)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:Sdes"] = ConnectionString,
            ["Email:Sender"] = sender.ToString(),
            ["Email:PickupFolder"] = PickupFolder,
            ["Email:SendGrid:ApiKey"] = "SG.test-key",
            ["Email:SendGrid:Host"] = _sendGrid.Address,
            ["Email:PollInterval"] = "00:00:00.200",
            // Short, so the restarted app picks up the row the killed one had leased without a 3-minute wait.
            ["Email:AttemptLease"] = "00:00:02",
            ["Bootstrap:OperatorEmail"] = Recipient,
            ["Bootstrap:OperatorName"] = "Olu Operator",
            ["App:PublicBaseUrl"] = "http://127.0.0.1",
            ["Demo:Seed"] = "false",
            ["Scanning:Clamd:Enabled"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Sdes"] = "Information",
        };
        foreach (var (k, v) in Support.TestServers.LocalStoreSettings(_dir.FullName))
        {
            settings[k] = v;
        }

        if (pause is not null)
        {
            settings["Email:FaultInjection:" + pause] = "true";
            settings["Email:FaultInjection:MarkerFile"] = Marker;
        }

        return settings;
    }

    /// <summary>Waits for the marker the paused processor writes; returns the outbox id it names.</summary>
    private async Task<Guid> WaitForPauseAsync(AppProcess app, string window)
    {
        var until = DateTime.UtcNow + Deadline;
        while (!File.Exists(Marker))
        {
            Assert.False(app.HasExited, "The app exited before reaching the pause.\n" + app.Output);
            Assert.True(DateTime.UtcNow < until, $"The outbox never paused {window} within {Deadline.TotalSeconds} s.\n" + app.Output);
            await Task.Delay(50);
        }

        var parts = (await File.ReadAllTextAsync(Marker)).Split(' ');
        Assert.Equal(window, parts[0]);
        return Guid.ParseExact(parts[1], "N");
    }

    private async Task<OutboxMessage> WaitForSentAsync(AppProcess app, Guid id)
    {
        var until = DateTime.UtcNow + Deadline;
        while (true)
        {
            var row = await LoadAsync(id);
            if (row.Status != OutboxStatus.Pending)
            {
                Assert.Equal(OutboxStatus.Sent, row.Status);
                return row;
            }

            Assert.False(app.HasExited, "The restarted app exited.\n" + app.Output);
            Assert.True(DateTime.UtcNow < until, $"Not sent within {Deadline.TotalSeconds} s of the restart.\n" + app.Output);
            await Task.Delay(100);
        }
    }

    private async Task<OutboxMessage> LoadAsync(Guid id)
    {
        await using var db = new SqliteSdesDbContext(new DbContextOptionsBuilder<SqliteSdesDbContext>().UseSqlite(ConnectionString).Options);
        return await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == id);
    }

    private List<string> MailFiles() =>
        [.. Directory.GetFiles(PickupFolder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];
}
