using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sdes.App.Features.Attachments;
using Sdes.Domain.Attachments;
using Sdes.Tests.Audit;
using Sdes.Tests.Domain.Attachments;
using Sdes.Tests.Scanning;
using Sdes.Tests.Support;

namespace Sdes.Tests.Components;

/// <summary>The attachment picker over the real upload use case (real clamd, encrypted local store, SQLite): what each
/// picked file becomes on screen, and which ids it hands to the form.</summary>
public sealed class AttachmentPickerTests : MudTestContext
{
    [Fact]
    public async Task Pick_CleanAndInfectedAndOversizedFiles_ShowsEachOutcome_AndHandsOverOnlyTheCleanOne()
    {
        TestServers.RequireClamd();
        await using var app = await AuditTestApp.StartAsync();
        await app.AssignAsync(app.MauA, 1);
        Services.AddSingleton(app.Services.GetRequiredService<AttachmentUploads>());
        Services.AddSingleton<TimeProvider>(app.Clock);
        AddAuthorization().SetAuthorized(app.MauA.DisplayName).SetClaims(new Claim(ClaimTypes.NameIdentifier, app.MauA.Id.ToString()));
        IReadOnlyList<Guid> handed = [];
        var uploading = new List<bool>();
        var cut = Render<AttachmentPicker>(p => p
            .Add(x => x.Changed, ids => handed = ids)
            .Add(x => x.UploadingChanged, u => uploading.Add(u)));
        Assert.Contains("1 MB = 1,000,000 bytes", cut.Markup, StringComparison.Ordinal);

        cut.FindComponent<InputFile>().UploadFiles(
            InputFileContent.CreateFromBinary(SampleFiles.Pdf, "survey.pdf"),
            InputFileContent.CreateFromBinary(Eicar.Bytes(), "eicar.txt"),
            InputFileContent.CreateFromBinary(new byte[10_000_001], "huge.dat"),
            InputFileContent.CreateFromBinary(SampleFiles.Executable, "invoice.pdf"));

        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("li.sdes-upload").Count), TimeSpan.FromSeconds(30));
        cut.WaitForAssertion(() => Assert.Single(handed), TimeSpan.FromSeconds(30));
        var items = cut.FindAll("li.sdes-upload");
        Assert.Contains("Scanned: no virus found", items[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("contains a virus", items[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("at most 10 MB (10,000,000 bytes)", items[2].TextContent, StringComparison.Ordinal);
        Assert.Contains("program", items[3].TextContent, StringComparison.OrdinalIgnoreCase);
        Assert.Equal([true, false], uploading.Distinct());
        var rows = await app.DbAsync(db => db.Attachments.AsNoTracking().OrderBy(a => a.FileName).Select(a => new { a.FileName, a.Status }).ToListAsync());
        Assert.Equal([("eicar.txt", AttachmentStatus.Infected), ("survey.pdf", AttachmentStatus.Clean)], rows.Select(r => (r.FileName, r.Status)));
        var survey = await app.DbAsync(db => db.Attachments.AsNoTracking().SingleAsync(a => a.FileName == "survey.pdf"));
        Assert.Equal(survey.Id.Value, handed[0]);

        // Removing the clean file discards the upload and hands over nothing.
        cut.Find("button[aria-label='Remove survey.pdf']").Click();
        cut.WaitForAssertion(() => Assert.Empty(handed));
        Assert.Equal(0, await app.DbAsync(db => db.Attachments.CountAsync(a => a.Status == AttachmentStatus.Clean)));
    }
}
