using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.Playwright;
using Sdes.Domain.Organisations;
using Sdes.Tests.Domain.Attachments;
using Sdes.Tests.Integration;
using Sdes.Tests.Scanning;
using Sdes.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Sdes.Tests.Browser;

/// <summary>The browser app with its own clamd, which the journey stops and starts.</summary>
public sealed class AttachmentBrowserFixture : BrowserFixture
{
    public ClamdServer Clamd { get; private set; } = default!;

    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = base.Settings;
            foreach (var (k, v) in TestServers.ClamdSettings(Clamd.Port))
            {
                settings[k] = v;
            }

            return settings;
        }
    }

    protected override async Task BeforeAppStartsAsync() => Clamd = await ClamdServer.StartAsync();

    protected override async Task AfterDisposeAsync() => await Clamd.DisposeAsync();
}

/// <summary>Issue 4's journey: a supplier sends a message with two files while the virus scanner is down (each file shows
/// its progress bar, then "pending virus scan"); the DNO sees the files pending and not downloadable; when clamd is back
/// the files turn clean on the DNO's open page without a reload, and one file and the zip download byte-identical.</summary>
public sealed class AttachmentJourneyTests(AttachmentBrowserFixture fixture) : IClassFixture<AttachmentBrowserFixture>
{
    [Fact]
    public async Task SupplierSendsTwoFiles_DnoSeesPendingThenClean_DownloadsOneAndTheZip()
    {
        var (_, supplierMau) = await fixture.CreateOrganisationWithMauAsync("Ampere Supply", "AMPS", "ava@ampere.example");
        var (_, dnoMau) = await fixture.CreateOrganisationWithMauAsync("Pylon Networks", "PYLN", "pat@pylon.example", MarketRole.Dno, "17");
        await fixture.AssignAsync(supplierMau, supplierMau, "electricity-disconnections", 1);
        await fixture.AssignAsync(dnoMau, dnoMau, "electricity-disconnections", 1);
        var folder = Directory.CreateTempSubdirectory("sdes-journey-files-");
        var survey = Path.Combine(folder.FullName, "site-survey.pdf");
        var pdf = BigPdf(6_000_000);
        await File.WriteAllBytesAsync(survey, pdf);
        var photo = Path.Combine(folder.FullName, "meter photo.png");
        await File.WriteAllBytesAsync(photo, SampleFiles.Png);

        var dno = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(dno, "pat@pylon.example", AppFixture.StrongPassword);
        await BrowserFixture.GoAsync(dno, "/communications");

        var supplier = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(supplier, "ava@ampere.example", AppFixture.StrongPassword);
        await BrowserFixture.GoAsync(supplier, "/communications/new");
        await supplier.GetByLabel("Business process").ClickAsync();
        await supplier.GetByRole(AriaRole.Option, new() { Name = "Electricity Disconnections" }).ClickAsync();
        await supplier.GetByLabel("Subject").FillAsync("Disconnection: survey and meter photo");
        await supplier.GetByLabel("MPAN").FillAsync(ValidMpan("170000000001"));
        await supplier.GetByLabel("Message").FillAsync("Survey and photo attached.");
        await Expect(supplier.GetByText("Up to 10 MB in total")).ToBeVisibleAsync();

        // The scanner is down: files still upload (encrypted), and wait for their scan.
        await fixture.Clamd.StopAsync();
        var chooser = await supplier.RunAndWaitForFileChooserAsync(() =>
            supplier.GetByRole(AriaRole.Button, new() { Name = "Attach files" }).ClickAsync());
        await chooser.SetFilesAsync([survey, photo]);
        await Expect(supplier.GetByRole(AriaRole.Progressbar, new() { Name = "Uploading site-survey.pdf" })).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(supplier, "20-upload-progress");
        var files = supplier.GetByRole(AriaRole.List, new() { Name = "Files for this message" });
        await Expect(files.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "site-survey.pdf" })).ToContainTextAsync("Pending virus scan",
            new() { Timeout = 60_000 });
        await Expect(files.GetByRole(AriaRole.Listitem).Filter(new() { HasText = "meter photo.png" })).ToContainTextAsync("Pending virus scan");
        await BrowserFixture.ScreenshotAsync(supplier, "21-files-pending");
        await supplier.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Expect(supplier.GetByText("Sent. The reference is SDE0000001")).ToBeVisibleAsync();

        // DNO: the files are listed as pending, with no link to download them.
        await Expect(dno.GetByText("New communication SDE0000001 (Electricity Disconnections)")).ToBeVisibleAsync();
        await BrowserFixture.GoAsync(dno, "/communications/SDE0000001");
        var thread = dno.GetByRole(AriaRole.List, new() { Name = "Files on the message from Mau AMPS" });
        await Expect(thread.GetByRole(AriaRole.Listitem)).ToHaveCountAsync(2);
        await Expect(thread.GetByText("Pending virus scan")).ToHaveCountAsync(2);
        await Expect(thread.GetByRole(AriaRole.Link)).ToHaveCountAsync(0);
        await Expect(dno.GetByRole(AriaRole.Link, new() { Name = "Download all files (.zip)" })).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(dno, "22-dno-files-pending");

        // clamd is back: the rescan job clears both files and the DNO's open page shows them without a reload.
        await fixture.Clamd.StartAsync();
        await Expect(thread.GetByRole(AriaRole.Link, new() { Name = "site-survey.pdf" })).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(thread.GetByRole(AriaRole.Link, new() { Name = "meter photo.png" })).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(thread.GetByText("Pending virus scan")).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(dno, "23-dno-files-clean");

        var one = await dno.RunAndWaitForDownloadAsync(() => thread.GetByRole(AriaRole.Link, new() { Name = "site-survey.pdf" }).ClickAsync());
        Assert.Equal("site-survey.pdf", one.SuggestedFilename);
        Assert.Equal(pdf, await File.ReadAllBytesAsync((await one.PathAsync())!));

        var zip = await dno.RunAndWaitForDownloadAsync(() => dno.GetByRole(AriaRole.Link, new() { Name = "Download all files (.zip)" }).ClickAsync());
        Assert.Equal("SDE0000001-attachments.zip", zip.SuggestedFilename);
        using var archive = ZipFile.OpenRead((await zip.PathAsync())!);
        Assert.Equal(["site-survey.pdf", "meter photo.png"], archive.Entries.Select(e => e.FullName));
        await using var entry = archive.GetEntry("meter photo.png")!.Open();
        using var copy = new MemoryStream();
        await entry.CopyToAsync(copy);
        Assert.Equal(SampleFiles.Png, copy.ToArray());
        folder.Delete(recursive: true);
    }

    /// <summary>A real PDF header followed by incompressible bytes: large enough that the progress bar is on screen.</summary>
    private static byte[] BigPdf(int size)
    {
        var bytes = RandomNumberGenerator.GetBytes(size);
        SampleFiles.Pdf.AsSpan(0, Math.Min(64, SampleFiles.Pdf.Length)).CopyTo(bytes);
        return bytes;
    }

    private static string ValidMpan(string first12) =>
        first12 + Sdes.Domain.Metering.Mpan.CheckDigit(first12).ToString(CultureInfo.InvariantCulture);
}
