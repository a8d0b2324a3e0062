using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Sdes.App.Features.Attachments;
using Sdes.App.Features.Shared;
using Sdes.App.Features.Communications;
using Sdes.Domain.Attachments;
using Sdes.Domain.Audit;
using Sdes.Domain.Common;
using Sdes.Domain.Communications;
using Sdes.Infrastructure.Attachments;
using Sdes.Infrastructure.Identity;
using Sdes.Tests.Communications;
using Sdes.Tests.Domain.Attachments;
using Sdes.Tests.Persistence;
using Sdes.Tests.Scanning;
using Sdes.Tests.Support;
using static Sdes.Tests.Communications.CommunicationTestApp;

namespace Sdes.Tests.Attachments;

/// <summary>The attachment pipeline end to end with the real clamd, the real encrypted store and the real database: what
/// each kind of upload becomes, what is stored, what can be attached and downloaded, and what the jobs do.</summary>
public abstract class AttachmentPipelineTests(TestDatabase database) : IAsyncLifetime
{
    private static readonly DateTimeOffset Monday = At("2026-11-23T10:00:00Z");

    private CommunicationTestApp _app = default!;

    protected virtual IDictionary<string, string?> Settings(string folder) => new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        TestServers.RequireClamd();
        var folder = Directory.CreateTempSubdirectory("sdes-pipe-").FullName;
        _app = await StartAsync(database, Settings(folder));
        _app.Clock.SetUtcNow(Monday);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private AttachmentUploads Uploads => _app.Get<AttachmentUploads>();
    private AttachmentDownloads Downloads => _app.Get<AttachmentDownloads>();
    private IAttachmentStore Store => _app.Get<IAttachmentStore>();

    private Task<UploadResult> UploadAsync(SdesUser user, string name, byte[] content, long? max = null) =>
        Uploads.UploadAsync(As(user), AttachmentModule.Communications, name, new MemoryStream(content), max ?? AttachmentPolicy.Communications.MaxTotalBytesPerMessage, null);

    private async Task<byte[]> DownloadAsync(SdesUser user, Guid id)
    {
        var item = await Downloads.AuthorizeFileAsync(As(user), id);
        await using var plain = await Downloads.OpenAsync(item, CancellationToken.None);
        using var copy = new MemoryStream();
        await plain.CopyToAsync(copy);
        return copy.ToArray();
    }

    private async Task<List<StoredObject>> StoredAsync()
    {
        var list = new List<StoredObject>();
        await foreach (var o in Store.ListAsync(CancellationToken.None))
        {
            list.Add(o);
        }

        return list;
    }

    private Task<Attachment> RowAsync(Guid id) =>
        _app.DbAsync(db => db.Attachments.AsNoTracking().SingleAsync(a => a.Id == new AttachmentId(id)));

    private async Task<string> SendWithAsync(params Guid[] files)
    {
        var form = _app.Form(_app.Ada, _app.B, _app.GeneralQuery, "Files attached", "See the attached files.");
        form.Attachments = [.. files];
        return await _app.Service.SendAsync(As(_app.Ada), form);
    }

    public static TheoryData<string, string> CleanSamples => new()
    {
        { "report.pdf", nameof(SampleFiles.Pdf) },
        { "meter.png", nameof(SampleFiles.Png) },
        { "site.jpg", nameof(SampleFiles.Jpeg) },
        { "letter.docx", nameof(SampleFiles.Docx) },
        { "readings.xlsx", nameof(SampleFiles.Xlsx) },
        { "readings.csv", nameof(SampleFiles.CsvUtf8) },
        { "notes.txt", nameof(SampleFiles.Text) },
        { "bundle.zip", nameof(SampleFiles.Zip) },
        { "legacy.xls", nameof(SampleFiles.Ole2) },
        { "archive.7z", nameof(SampleFiles.SevenZip) },
        { "dump.dat", nameof(SampleFiles.Dat) },
    };

    [Theory]
    [MemberData(nameof(CleanSamples))]
    public async Task Upload_CleanFileOfEachType_IsCleanAndRecipientDownloadsItByteIdentical(string name, string sample)
    {
        var content = SampleFiles.ByName(sample);
        var upload = await UploadAsync(_app.Ada, name, content);
        Assert.Equal(AttachmentStatus.Clean, upload.Status);
        Assert.Null(upload.Problem);
        var reference = await SendWithAsync(upload.Id!.Value);

        Assert.Equal(content, await DownloadAsync(_app.Ben, upload.Id.Value));
        var communication = await _app.LoadAsync(reference);
        Assert.Equal(name, communication.AttachmentNames);
        var row = await RowAsync(upload.Id.Value);
        Assert.Equal(communication.Messages[0].Id, row.OwnerId);
        Assert.Contains(await _app.AuditAsync(AuditAction.AttachmentDownloaded), e => e.SubjectId == upload.Id.Value.ToString() && e.ActorName == "Ben Bravo");
    }

    public static TheoryData<string> InfectedShapes => new() { "alone", "zip", "nested-zip" };

    [Theory]
    [MemberData(nameof(InfectedShapes))]
    public async Task Upload_Eicar_IsInfected_BytesDestroyed_QuarantineKept_NeverAttachable(string shape)
    {
        var (name, content) = shape switch
        {
            "alone" => ("test.txt", Eicar.Bytes()),
            "zip" => ("test.zip", SampleFiles.BuildZip(("eicar.com", Eicar.Bytes()))),
            _ => ("test.zip", SampleFiles.BuildZip(("inner.zip", SampleFiles.BuildZip(("eicar.com", Eicar.Bytes()))))),
        };

        var upload = await UploadAsync(_app.Ada, name, content);

        Assert.Equal(AttachmentStatus.Infected, upload.Status);
        Assert.False(upload.Usable);
        Assert.Contains("virus", upload.Problem, StringComparison.Ordinal);
        Assert.Empty(await StoredAsync());
        var row = await RowAsync(upload.Id!.Value);
        Assert.Contains("FOUND", row.ScanDetail + " FOUND", StringComparison.Ordinal);
        Assert.Contains("EICAR", row.ScanDetail, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(row.ContentDestroyedAt);
        Assert.Equal((name, (long)content.Length, "Ada Alpha"), (row.FileName, row.SizeBytes, row.UploadedByName));
        var audit = Assert.Single(await _app.AuditAsync(AuditAction.AttachmentInfected));
        Assert.DoesNotContain(name, audit.Detail, StringComparison.Ordinal);

        var ex = await Assert.ThrowsAsync<DomainException>(() => SendWithAsync(upload.Id.Value));
        Assert.Contains("virus", ex.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<NotDownloadableException>(() => Downloads.AuthorizeFileAsync(As(_app.Ada), upload.Id.Value));
    }

    [Fact]
    public async Task Upload_ExactlyTheLimit_IsAccepted_OneByteOver_IsRefusedAndNothingStored()
    {
        var limit = AttachmentPolicy.Communications.MaxFileBytes;
        var exact = RandomNumberGenerator.GetBytes((int)limit);
        var ok = await UploadAsync(_app.Ada, "exact.dat", exact);
        Assert.Equal((AttachmentStatus.Clean, limit), (ok.Status!.Value, ok.SizeBytes));
        var storedBefore = (await StoredAsync()).Count;

        var over = await UploadAsync(_app.Ada, "over.dat", RandomNumberGenerator.GetBytes((int)limit + 1));

        Assert.Null(over.Id);
        Assert.Contains("10,000,000 bytes", over.Problem, StringComparison.Ordinal);
        Assert.Equal(storedBefore, (await StoredAsync()).Count);
        Assert.Equal(1, await _app.DbAsync(db => db.Attachments.CountAsync()));
        Assert.Single(await _app.AuditAsync(AuditAction.AttachmentRefused));
    }

    [Fact]
    public async Task Send_FilesTotallingOneByteOverTenMegabytes_IsRefused_AndNothingIsSent()
    {
        var first = await UploadAsync(_app.Ada, "a.dat", RandomNumberGenerator.GetBytes(6_000_000));
        var second = await UploadAsync(_app.Ada, "b.dat", RandomNumberGenerator.GetBytes(4_000_001));

        var ex = await Assert.ThrowsAsync<DomainException>(() => SendWithAsync(first.Id!.Value, second.Id!.Value));

        Assert.Contains("10 MB", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, await _app.DbAsync(db => db.Communications.CountAsync()));
        Assert.Equal(0, await _app.DbAsync(db => db.Attachments.CountAsync(a => a.OwnerId != null)));
    }

    [Theory]
    [InlineData("invoice.pdf")]
    [InlineData("notes.txt")]
    [InlineData("letter.docx")]
    public async Task Upload_RenamedExecutable_IsRefusedWithAClearMessage_NothingStored(string name)
    {
        var upload = await UploadAsync(_app.Ada, name, SampleFiles.Executable);

        Assert.Null(upload.Id);
        Assert.Contains("program", upload.Problem, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await StoredAsync());
        Assert.Equal(0, await _app.DbAsync(db => db.Attachments.CountAsync()));
    }

    [Theory]
    [InlineData("setup.exe")]
    [InlineData("script.js")]
    [InlineData("noextension")]
    public async Task Upload_DisallowedExtension_IsRefusedBeforeAnyByteIsRead(string name)
    {
        var source = new CountingStream(SampleFiles.Pdf);
        var upload = await Uploads.UploadAsync(As(_app.Ada), AttachmentModule.Communications, name, source, 10_000_000, null);

        Assert.Null(upload.Id);
        Assert.Contains(".pdf", upload.Problem, StringComparison.Ordinal);
        Assert.Equal(0, source.BytesRead);
    }

    [Theory]
    [InlineData(@"..\..\windows\system32\report.pdf", "report.pdf")]
    [InlineData("../../etc/report.pdf", "report.pdf")]
    [InlineData("invoice\u202Efdp.pdf", "invoicefdp.pdf")]
    [InlineData("con.pdf", "_con.pdf")]
    public async Task Upload_HostileName_StoredUnderItsIdAndShownSafely(string given, string shown)
    {
        var upload = await UploadAsync(_app.Ada, given, SampleFiles.Pdf);

        Assert.Equal(shown, upload.FileName);
        var stored = Assert.Single(await StoredAsync());
        Assert.Equal(upload.Id!.Value.ToString("n"), stored.Name);
        Assert.Equal(shown, (await RowAsync(upload.Id.Value)).FileName);
    }

    [Fact]
    public async Task Upload_StoredBytes_AreCiphertext_AndAFlippedStoredByteFailsTheDownload()
    {
        var content = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("MPAN 1223015956917 reading 04211\n", 4000)));
        var upload = await UploadAsync(_app.Ada, "readings.txt", content);
        var stored = Assert.Single(await StoredAsync());
        byte[] cipher;
        await using (var s = await Store.OpenReadAsync(stored.Name, CancellationToken.None))
        using (var copy = new MemoryStream())
        {
            await s.CopyToAsync(copy);
            cipher = copy.ToArray();
        }

        Assert.Equal(-1, cipher.AsSpan().IndexOf("1223015956917"u8));
        Assert.True(cipher.Length > content.Length);

        cipher[cipher.Length / 2] ^= 0x01;
        await Store.DeleteAsync(stored.Name, CancellationToken.None);
        await using (var w = await Store.OpenWriteAsync(stored.Name, CancellationToken.None))
        {
            await w.WriteAsync(cipher);
        }

        var item = await Downloads.AuthorizeFileAsync(As(_app.Ada), upload.Id!.Value);
        await Assert.ThrowsAsync<AttachmentIntegrityException>(() => Downloads.VerifyAsync(item, CancellationToken.None));
    }

    [Fact]
    public async Task Download_ByAnotherOrganisationGuessingTheId_IsNotFound_AndAudited()
    {
        var upload = await UploadAsync(_app.Ada, "report.pdf", SampleFiles.Pdf);
        await SendWithAsync(upload.Id!.Value);

        await Assert.ThrowsAsync<NotFoundException>(() => Downloads.AuthorizeFileAsync(As(_app.Cal), upload.Id.Value));
        await Assert.ThrowsAsync<NotFoundException>(() => Downloads.AuthorizeFileAsync(As(_app.Cal), Guid.CreateVersion7()));
        // Bea works at B but not on General Query: the communication's access rule keeps its files from her too.
        await Assert.ThrowsAsync<NotFoundException>(() => Downloads.AuthorizeFileAsync(As(_app.Bea), upload.Id.Value));
        var denials = await _app.AuditAsync(AuditAction.AccessDenied);
        Assert.Contains(denials, d => d.SubjectType == "Attachment" && d.SubjectId == upload.Id.Value.ToString() && d.ActorName == "Cal Charlie");
    }

    [Fact]
    public async Task Upload_NotYetAttached_IsVisibleToItsUploaderOnly()
    {
        var upload = await UploadAsync(_app.Ada, "report.pdf", SampleFiles.Pdf);

        Assert.Equal(SampleFiles.Pdf, await DownloadAsync(_app.Ada, upload.Id!.Value));
        await Assert.ThrowsAsync<NotFoundException>(() => Downloads.AuthorizeFileAsync(As(_app.Alan), upload.Id.Value));
        await Assert.ThrowsAsync<NotFoundException>(() => Downloads.AuthorizeFileAsync(As(_app.Ben), upload.Id.Value));
        var ex = await Assert.ThrowsAsync<DomainException>(async () =>
        {
            var form = _app.Form(_app.Alan, _app.B, _app.ContractManager, "Not mine", "Someone else's file.");
            form.Attachments = [upload.Id.Value];
            await _app.Service.SendAsync(As(_app.Alan), form);
        });
        Assert.Contains("no longer available", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_BeyondTheCapOfUnsentUploads_IsRefusedUntilSomeAreSent()
    {
        for (var i = 0; i < AttachmentUploads.MaxUnsentUploads; i++)
        {
            Assert.NotNull((await UploadAsync(_app.Ada, $"note-{i}.txt", SampleFiles.Text)).Id);
        }

        var refused = await UploadAsync(_app.Ada, "one-more.txt", SampleFiles.Text);

        Assert.Null(refused.Id);
        Assert.Contains("not on a sent message yet", refused.Problem, StringComparison.Ordinal);
        Assert.NotNull((await UploadAsync(_app.Ben, "other-user.txt", SampleFiles.Text)).Id);
    }

    [Fact]
    public async Task Sweep_RemovesUnattachedUploadsAfterADay_AndOrphanObjectsAfterTheGrace()
    {
        var attached = await UploadAsync(_app.Ada, "kept.pdf", SampleFiles.Pdf);
        await SendWithAsync(attached.Id!.Value);
        var abandoned = await UploadAsync(_app.Ada, "abandoned.pdf", SampleFiles.Pdf);
        await using (var orphan = await Store.OpenWriteAsync("0123456789abcdef0123456789abcdef", CancellationToken.None))
        {
            await orphan.WriteAsync(new byte[] { 1, 2, 3 });
        }

        var maintenance = _app.Get<AttachmentMaintenance>();
        _app.Clock.Advance(TimeSpan.FromHours(2));
        var early = await maintenance.SweepAsync(CancellationToken.None);
        Assert.Equal((0, 0), early);

        // Stored objects carry the store's real clock; the fake clock is moved past it.
        _app.Clock.SetUtcNow(DateTimeOffset.UtcNow.AddDays(2));
        var swept = await maintenance.SweepAsync(CancellationToken.None);

        Assert.Equal(1, swept.Uploads);
        Assert.Equal(1, swept.Orphans);
        var names = (await StoredAsync()).Select(o => o.Name).ToList();
        Assert.Equal([attached.Id.Value.ToString("n")], names);
        Assert.Equal(1, await _app.DbAsync(db => db.Attachments.CountAsync()));
        Assert.Equal(SampleFiles.Pdf, await DownloadAsync(_app.Ben, attached.Id.Value));
    }

    [Fact]
    public async Task Retention_DeletingContent_RemovesTheFilesRowsAndObjects()
    {
        var upload = await UploadAsync(_app.Ada, "report.pdf", SampleFiles.Pdf);
        var reference = await SendWithAsync(upload.Id!.Value);

        _app.Clock.Advance(TimeSpan.FromDays(61));
        await _app.Retention.RunAsync(CancellationToken.None);
        _app.Clock.Advance(TimeSpan.FromDays(31));
        await _app.Retention.RunAsync(CancellationToken.None);

        Assert.Equal(CommunicationStatus.Deleted, (await _app.LoadAsync(reference)).Status);
        Assert.Equal(0, await _app.DbAsync(db => db.Attachments.CountAsync()));
        Assert.Empty(await StoredAsync());
    }

    [Fact]
    public async Task Zip_ManyFilesWithTheSameName_HasEveryCleanFileOnce()
    {
        var a = await UploadAsync(_app.Ada, "readings.csv", SampleFiles.CsvUtf8);
        _app.Clock.Advance(TimeSpan.FromSeconds(1)); // ids are time-ordered: the later upload sorts after
        var b = await UploadAsync(_app.Ada, "readings.csv", SampleFiles.CsvWindows1252);
        var reference = await SendWithAsync(a.Id!.Value, b.Id!.Value);

        var (zipReference, files) = await Downloads.AuthorizeZipAsync(As(_app.Ben), reference);

        Assert.Equal(reference, zipReference);
        Assert.Equal([a.Id.Value, b.Id.Value], files.Select(f => f.Id.Value));
        await Assert.ThrowsAsync<NotFoundException>(() => Downloads.AuthorizeZipAsync(As(_app.Cal), reference));
        Assert.Single(await _app.AuditAsync(AuditAction.AttachmentsZipDownloaded));
    }

    private sealed class CountingStream(byte[] content) : MemoryStream(content)
    {
        public long BytesRead { get; private set; }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await base.ReadAsync(buffer, cancellationToken);
            BytesRead += n;
            return n;
        }
    }
}

[Collection(SqliteCollection.Name)]
public sealed class AttachmentPipelineTests_Sqlite(SqliteTestDatabase database) : AttachmentPipelineTests(database);

/// <summary>PostgreSQL with the Azure Blob store on Azurite: the production-like combination.</summary>
[Collection(PostgresCollection.Name)]
public sealed class AttachmentPipelineTests_PostgresAzurite(PostgresTestDatabase database) : AttachmentPipelineTests(database)
{
    protected override IDictionary<string, string?> Settings(string folder) =>
        TestServers.AzuriteStoreSettings(folder, "pipe-" + Guid.NewGuid().ToString("n")[..12]);
}
