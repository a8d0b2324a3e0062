using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Sdes.App.Features.Admin;
using Sdes.App.Features.Communications;
using Sdes.Domain.Audit;
using Sdes.Domain.Organisations;
using Sdes.Infrastructure.Identity;
using Sdes.Tests.Audit;
using Sdes.Tests.Integration;

namespace Sdes.Tests.Communications;

/// <summary>The running app with organisations A, B and C (each MAU an AR assigned to General Query) and one communication
/// from A to B whose messages look like spreadsheet formulas. Set up once for the test class.</summary>
public sealed class TranscriptAppFixture : AppFixture, IAsyncLifetime
{
    public SdesUser MauA { get; private set; } = default!;
    public SdesUser MauB { get; private set; } = default!;
    public SdesUser MauC { get; private set; } = default!;
    public string Reference { get; private set; } = default!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        var (orgA, mauA) = await CreateOrganisationWithMauAsync("Transcript A Energy", "TRNA", "mau@trna.example");
        var (orgB, mauB) = await CreateOrganisationWithMauAsync("Transcript B Energy", "TRNB", "mau@trnb.example");
        var (_, mauC) = await CreateOrganisationWithMauAsync("Transcript C Energy", "TRNC", "mau@trnc.example");
        var process = await App.WithDbAsync(db => db.BusinessProcesses.SingleAsync(p => p.Code == "general-query"));
        foreach (var mau in new[] { mauA, mauB, mauC })
        {
            await App.Service<UserAdministration>().SetAssignmentAsync(SdesAppFactory.PrincipalFor(mau), mau.Id, process.Id.Value, 1, assigned: true);
        }

        var service = App.Service<CommunicationService>();
        Reference = await service.SendAsync(SdesAppFactory.PrincipalFor(mauA), new SendForm
        {
            FromRole = CommunicationQueries.RoleKey("TRNA", MarketRole.ElectricitySupplier),
            ProcessCode = process.Code,
            Recipient = $"{orgB}|{CommunicationQueries.RoleKey("TRNB", MarketRole.ElectricitySupplier)}",
            Subject = "=HYPERLINK(\"http://evil.example\")",
            Message = "=1+1",
        });
        await service.ReplyAsync(SdesAppFactory.PrincipalFor(mauB), Reference, new ReplyForm { Message = "@SUM(A1:A9)" });
        await service.ReplyAsync(SdesAppFactory.PrincipalFor(mauA), Reference, new ReplyForm { Message = "Plain, with \"quotes\"\nand a second line." });
        (MauA, MauB, MauC) = (mauA, mauB, mauC);
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync();
}

/// <summary>GET /communications/{reference}/transcript.csv on the real app: a CSV for the parties, with formula-looking
/// cells neutralised; not found for anyone else; sign-in first for the anonymous.</summary>
public sealed class TranscriptEndpointTests(TranscriptAppFixture fixture) : IClassFixture<TranscriptAppFixture>
{
    private SdesAppFactory App => fixture.App;

    private string Reference => fixture.Reference;

    private async Task<SessionClient> SignedInAsync(string email)
    {
        var session = App.NewSession();
        var signIn = await session.SignInAsync(email, AppFixture.StrongPassword);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return session;
    }

    [Fact]
    public async Task Get_AsAParty_ReturnsTheTranscriptAsCsv_WithFormulaCellsNeutralised()
    {
        using var session = await SignedInAsync("mau@trnb.example");

        var response = await session.GetAsync($"/communications/{Reference}/transcript.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("text/csv", "utf-8"), (response.Content.Headers.ContentType?.MediaType, response.Content.Headers.ContentType?.CharSet));
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"{Reference}-transcript.csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var rows = Csv.Parse(Encoding.UTF8.GetString(bytes[3..]));
        Assert.Equal(["Reference", "Time (UK)", "Entry", "Organisation", "By", "Text"], rows[0]);
        Assert.All(rows.Skip(1), r => Assert.Equal(6, r.Length));
        Assert.All(rows.Skip(1), r => Assert.Equal(Reference, r[0]));
        Assert.All(rows.Skip(1), r => Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$", r[1]));
        var messages = rows.Skip(1).Where(r => r[2] == "Message").Select(r => (r[3], r[4], r[5])).ToList();
        Assert.Equal([
            ("Transcript A Energy", "Mau TRNA", "'=1+1"),
            ("Transcript B Energy", "Mau TRNB", "'@SUM(A1:A9)"),
            ("Transcript A Energy", "Mau TRNA", "Plain, with \"quotes\"\nand a second line."),
        ], messages);
        Assert.Equal(["Sent", "Message", "Message", "Message", "Transcript downloaded"], rows.Skip(1).Select(r => r[2]));
        Assert.Equal("to Transcript B Energy (TRNB) at level 1", rows[1][5]);
        Assert.DoesNotContain(rows.SelectMany(r => r), cell => cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@');
        var downloads = await App.WithDbAsync(db => db.AuditEvents.CountAsync(e =>
            e.Action == AuditAction.CommunicationTranscriptDownloaded && e.ActorUserId == fixture.MauB.Id && e.SubjectReference == Reference));
        Assert.Equal(1, downloads);
    }

    [Fact]
    public async Task Get_AsAnotherOrganisationsAssignedAr_Is404_AndTheAttemptIsAudited()
    {
        using var session = await SignedInAsync("mau@trnc.example");

        var response = await session.GetAsync($"/communications/{Reference}/transcript.csv");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("=1+1", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var denied = await App.WithDbAsync(db => db.AuditEvents.Where(e => e.Action == AuditAction.AccessDenied && e.ActorUserId == fixture.MauC.Id)
            .Select(e => e.SubjectId).ToListAsync());
        Assert.Equal([Reference], denied);
    }

    [Theory]
    [InlineData("SDE9999999", HttpStatusCode.NotFound)]
    [InlineData("not-a-reference", HttpStatusCode.NotFound)]
    [InlineData("SDE0000001%00", HttpStatusCode.BadRequest)] // Kestrel refuses a NUL in the path before the app sees it
    public async Task Get_AsAPartyForAReferenceThatIsNotTheirs_IsRefused(string reference, HttpStatusCode expected)
    {
        using var session = await SignedInAsync("mau@trna.example");

        var response = await session.GetAsync($"/communications/{reference}/transcript.csv");

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Get_Unauthenticated_RedirectsToSignIn_AndRecordsNoDownload()
    {
        using var session = App.NewSession();
        var downloads = () => App.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == AuditAction.CommunicationTranscriptDownloaded));
        var before = await downloads();

        var response = await session.GetAsync($"/communications/{Reference}/transcript.csv");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/sign-in", SessionClient.RedirectPath(response));
        Assert.Equal(before, await downloads());
    }
}
