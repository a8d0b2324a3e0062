using System.IO.Compression;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Sdes.App.Features.Admin;
using Sdes.App.Features.Attachments;
using Sdes.App.Features.Communications;
using Sdes.Domain.Attachments;
using Sdes.Domain.Audit;
using Sdes.Domain.Organisations;
using Sdes.Infrastructure.Attachments;
using Sdes.Infrastructure.Identity;
using Sdes.Infrastructure.Scanning;
using Sdes.Tests.Domain.Attachments;
using Sdes.Tests.Integration;
using Sdes.Tests.Support;

namespace Sdes.Tests.Attachments;

/// <summary>The running app (real clamd, encrypted local store) with organisations A, B and C, each MAU an AR on General
/// Query, and one communication from A to B carrying two clean files and one waiting for its scan.</summary>
public sealed class AttachmentAppFixture : AppFixture, IAsyncLifetime
{
    public SdesUser MauA { get; private set; } = default!;
    public SdesUser MauC { get; private set; } = default!;
    public string Reference { get; private set; } = default!;
    public Guid Pdf { get; private set; }
    public Guid Csv { get; private set; }
    public Guid SecondCsv { get; private set; }
    public Guid Pending { get; private set; }

    async Task IAsyncLifetime.InitializeAsync()
    {
        TestServers.RequireClamd();
        await InitializeAsync();
        var (_, mauA) = await CreateOrganisationWithMauAsync("Files A Energy", "FILA", "mau@fila.example");
        var (orgB, mauB) = await CreateOrganisationWithMauAsync("Files B Energy", "FILB", "mau@filb.example");
        var (_, mauC) = await CreateOrganisationWithMauAsync("Files C Energy", "FILC", "mau@filc.example");
        var process = await App.WithDbAsync(db => db.BusinessProcesses.SingleAsync(p => p.Code == "general-query"));
        foreach (var mau in new[] { mauA, mauB, mauC })
        {
            await App.Service<UserAdministration>().SetAssignmentAsync(SdesAppFactory.PrincipalFor(mau), mau.Id, process.Id.Value, 1, assigned: true);
        }

        var uploads = App.Service<AttachmentUploads>();
        var a = SdesAppFactory.PrincipalFor(mauA);
        Pdf = (await uploads.UploadAsync(a, AttachmentModule.Communications, "Survey «résumé».pdf", new MemoryStream(SampleFiles.Pdf), 10_000_000, null)).Id!.Value;
        Csv = (await uploads.UploadAsync(a, AttachmentModule.Communications, "readings.csv", new MemoryStream(SampleFiles.CsvUtf8), 10_000_000, null)).Id!.Value;
        SecondCsv = (await uploads.UploadAsync(a, AttachmentModule.Communications, "readings.csv", new MemoryStream(SampleFiles.CsvWindows1252), 10_000_000, null)).Id!.Value;
        Pending = await UploadWithoutScannerAsync(mauA, "later.png", SampleFiles.Png);
        Reference = await App.Service<CommunicationService>().SendAsync(a, new SendForm
        {
            FromRole = CommunicationQueries.RoleKey("FILA", MarketRole.ElectricitySupplier),
            ProcessCode = process.Code,
            Recipient = $"{orgB}|{CommunicationQueries.RoleKey("FILB", MarketRole.ElectricitySupplier)}",
            Subject = "Survey and readings",
            Message = "Files attached.",
            Attachments = [Pdf, Csv, SecondCsv, Pending],
        });
        (MauA, MauC) = (mauA, mauC);
    }

    /// <summary>An upload made while the scanner is unreachable: the app's own store and keys, a scanner on a dead port. Its
    /// first retry is an hour away, so the app's rescan job leaves it pending for the tests.</summary>
    private async Task<Guid> UploadWithoutScannerAsync(SdesUser user, string name, byte[] content)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(TestServers.ClamdSettings(privatePort: 9)).Build();
        await using var scanning = new ServiceCollection().AddLogging().AddVirusScanning(config).BuildServiceProvider();
        var ingestor = new AttachmentIngestor(App.Service<IAttachmentStore>(), App.Service<AttachmentEncryption>(),
            scanning.GetRequiredService<IVirusScanner>(), NullLogger<AttachmentIngestor>.Instance);
        var attachment = await ingestor.IngestAsync(new MemoryStream(content), AttachmentFileName.Parse(name), AttachmentModule.Communications,
            10_000_000, user.Ref, DateTimeOffset.UtcNow.AddHours(1), null, CancellationToken.None);
        await App.WithDbAsync(async db =>
        {
            db.Attachments.Add(attachment);
            return await db.SaveChangesAsync();
        });
        return attachment.Id.Value;
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync();
}

/// <summary>GET /attachments/{id} and /communications/{reference}/attachments.zip on the real app.</summary>
public sealed class AttachmentEndpointTests(AttachmentAppFixture fixture) : IClassFixture<AttachmentAppFixture>
{
    private SdesAppFactory App => fixture.App;

    private async Task<SessionClient> SignedInAsync(string email)
    {
        var session = App.NewSession();
        Assert.Equal(HttpStatusCode.Redirect, (await session.SignInAsync(email, AppFixture.StrongPassword)).StatusCode);
        return session;
    }

    [Fact]
    public async Task GetFile_AsTheRecipient_IsTheFileAsADownload_NeverCachedOrSniffed_AndAudited()
    {
        using var session = await SignedInAsync("mau@filb.example");

        var response = await session.GetAsync($"/attachments/{fixture.Pdf}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SampleFiles.Pdf, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.Equal("Survey «résumé».pdf", disposition.FileNameStar);
        Assert.All(disposition.FileName!.Trim('"'), c => Assert.True(c < 128, "the plain filename is ASCII"));
        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.True(await App.WithDbAsync(db => db.AuditEvents.AnyAsync(e => e.Action == AuditAction.AttachmentDownloaded
            && e.SubjectId == fixture.Pdf.ToString() && e.ActorName == "Mau FILB")));
    }

    [Fact]
    public async Task GetFile_PendingScan_Is409WithTheReason()
    {
        using var session = await SignedInAsync("mau@filb.example");

        var response = await session.GetAsync($"/attachments/{fixture.Pending}");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("waiting for its virus scan", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetFile_AsAnotherOrganisation_OrAGuessedId_Is404_AndTheAttemptIsAudited()
    {
        using var session = await SignedInAsync("mau@filc.example");

        var guessed = await session.GetAsync($"/attachments/{fixture.Pdf}");
        var random = await session.GetAsync($"/attachments/{Guid.CreateVersion7()}");
        var zip = await session.GetAsync($"/communications/{fixture.Reference}/attachments.zip");

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound), (guessed.StatusCode, random.StatusCode, zip.StatusCode));
        Assert.DoesNotContain("%PDF", await guessed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var denied = await App.WithDbAsync(db => db.AuditEvents.Where(e => e.Action == AuditAction.AccessDenied && e.ActorUserId == fixture.MauC.Id)
            .Select(e => e.SubjectId).ToListAsync());
        Assert.Contains(fixture.Pdf.ToString(), denied);
        Assert.Contains(fixture.Reference, denied);
    }

    [Theory]
    [InlineData("/attachments/{0}")]
    [InlineData("/communications/{1}/attachments.zip")]
    public async Task Get_SignedOut_RedirectsToSignIn_AndSendsNothing(string template)
    {
        using var session = App.NewSession();

        var response = await session.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, fixture.Pdf, fixture.Reference));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/sign-in", SessionClient.RedirectPath(response));
    }

    [Theory]
    [InlineData("/attachments/not-a-guid", HttpStatusCode.NotFound)]
    [InlineData("/attachments/..%2F..%2Fetc%2Fpasswd", HttpStatusCode.NotFound)]
    [InlineData("/communications/SDE9999999/attachments.zip", HttpStatusCode.NotFound)]
    [InlineData("/communications/'%20OR%201=1/attachments.zip", HttpStatusCode.NotFound)]
    public async Task Get_HostilePaths_AreNotFound(string path, HttpStatusCode expected)
    {
        using var session = await SignedInAsync("mau@fila.example");

        Assert.Equal(expected, (await session.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task GetZip_AsTheRecipient_HoldsEveryCleanFileByteIdentical_WithUniqueNames()
    {
        using var session = await SignedInAsync("mau@filb.example");

        var response = await session.GetAsync($"/communications/{fixture.Reference}/attachments.zip");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"{fixture.Reference}-attachments.zip", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), ZipArchiveMode.Read);
        var entries = zip.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var s = e.Open();
            using var m = new MemoryStream();
            s.CopyTo(m);
            return m.ToArray();
        });
        Assert.Equal(["Survey «résumé».pdf", "readings.csv", "readings (2).csv"], entries.Keys);
        Assert.Equal(SampleFiles.Pdf, entries["Survey «résumé».pdf"]);
        Assert.Equal(SampleFiles.CsvUtf8, entries["readings.csv"]);
        Assert.Equal(SampleFiles.CsvWindows1252, entries["readings (2).csv"]);
    }

    [Fact]
    public async Task GetFile_WithAFlippedStoredByte_Is500WithAClearMessage_AndNoFileBytes()
    {
        // A file of its own, so the other tests keep an intact store.
        var uploads = App.Service<AttachmentUploads>();
        var id = (await uploads.UploadAsync(SdesAppFactory.PrincipalFor(fixture.MauA), AttachmentModule.Communications, "tamper.txt",
            new MemoryStream(SampleFiles.Text), 10_000_000, null)).Id!.Value;
        var file = Directory.EnumerateFiles(App.AttachmentFolder, id.ToString("n"), SearchOption.AllDirectories).Single();
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[^5] ^= 0x40;
        await File.WriteAllBytesAsync(file, bytes);
        using var session = await SignedInAsync("mau@fila.example");

        var response = await session.GetAsync($"/attachments/{id}");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("failed its integrity check", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Meter exchanged", body, StringComparison.Ordinal);
    }
}
