using System.Net;
using Microsoft.EntityFrameworkCore;
using Sdes.App.Features.Communications;
using Sdes.Domain.Audit;
using Sdes.Domain.Organisations;

namespace Sdes.Tests.Integration;

/// <summary>Every SDEP route over HTTP, as a signed-in user of a third organisation guessing a reference: the pages say
/// "not found" without any of the content, the download is a 404, and each attempt is audited.</summary>
public sealed class CommunicationRouteAccessTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private SdesAppFactory App => fixture.App;

    [Fact]
    public async Task ThirdOrganisation_GuessingTheReference_GetsNotFoundOnEveryRoute_AndIsAudited()
    {
        var (_, supplier) = await fixture.CreateOrganisationWithMauAsync("Route Supply", "RTSP", "mau@rtsp.example");
        var (dnoId, dno) = await fixture.CreateOrganisationWithMauAsync("Route Grid", "RTGD", "mau@rtgd.example", MarketRole.Dno, "17");
        var (_, outsider) = await fixture.CreateOrganisationWithMauAsync("Route Outsider", "RTOU", "mau@rtou.example");
        await fixture.AssignAsync(supplier, supplier, "general-query", 1);
        await fixture.AssignAsync(dno, dno, "general-query", 1);
        await fixture.AssignAsync(outsider, outsider, "general-query", 1);
        var reference = await App.Service<CommunicationService>().SendAsync(SdesAppFactory.PrincipalFor(supplier), new SendForm
        {
            FromRole = CommunicationQueries.RoleKey("RTSP", MarketRole.ElectricitySupplier),
            ProcessCode = "general-query",
            Recipient = $"{dnoId}|{CommunicationQueries.RoleKey("RTGD", MarketRole.Dno)}",
            Subject = "Confidential customer matter 4417",
            Message = "Customer Jane Example at 4 Secret Lane.",
        });

        using var session = App.NewSession();
        await session.SignInAsync("mau@rtou.example", AppFixture.StrongPassword);

        var detail = await session.GetAsync($"/communications/{reference}");
        var html = await detail.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, detail.StatusCode);
        Assert.Contains("was not found, or you do not have access to it", html, StringComparison.Ordinal);
        Assert.DoesNotContain("4417", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Secret Lane", html, StringComparison.Ordinal);

        var list = await (await session.GetAsync("/communications?q=4417")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("Confidential customer matter", list, StringComparison.Ordinal);

        var transcript = await session.GetAsync($"/communications/{reference}/transcript.csv");
        Assert.Equal(HttpStatusCode.NotFound, transcript.StatusCode);
        var malformed = await session.GetAsync("/communications/SDE00%27%3B--/transcript.csv");
        Assert.Equal(HttpStatusCode.NotFound, malformed.StatusCode);

        var denials = await App.WithDbAsync(db => db.AuditEvents.Where(e => e.Action == AuditAction.AccessDenied && e.ActorUserId == outsider.Id)
            .Select(e => e.SubjectId).ToListAsync());
        Assert.Equal(2, denials.Count(d => d == reference));
        Assert.Single(denials, d => d != reference);

        // The parties themselves can read it over the same routes.
        using var own = App.NewSession();
        await own.SignInAsync("mau@rtgd.example", AppFixture.StrongPassword);
        Assert.Contains("Confidential customer matter 4417", await (await own.GetAsync($"/communications/{reference}")).Content.ReadAsStringAsync(),
            StringComparison.Ordinal);
        var csv = await own.GetAsync($"/communications/{reference}/transcript.csv");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task SignedOut_TranscriptAndPages_RedirectToSignIn()
    {
        using var anonymous = App.NewSession();
        foreach (var path in new[] { "/communications", "/communications/new", "/communications/SDE0000001", "/communications/SDE0000001/transcript.csv" })
        {
            var response = await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith("/account/sign-in", SessionClient.RedirectPath(response), StringComparison.Ordinal);
        }
    }
}
