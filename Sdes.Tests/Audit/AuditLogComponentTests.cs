using System.Security.Claims;
using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Sdes.App.Features.Audit;
using Sdes.Domain.Audit;
using Sdes.Infrastructure.Identity;
using Sdes.Tests.Components;

namespace Sdes.Tests.Audit;

/// <summary>AuditLog.razor with the real AuditQueries over a real SQLite database; only the signed-in user is a test double.</summary>
public sealed class AuditLogComponentTests : MudTestContext
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 14, 3, 12, TimeSpan.Zero);

    [Fact]
    public async Task Render_AsMau_ShowsFiftyOfTheirRowsInUkTime_AndPagesOlderAndNewer()
    {
        await using var app = await AuditTestApp.StartAsync();
        await app.AddEventsAsync(Enumerable.Range(0, 60).Select(i => app.Event(app.OrganisationA, T0.AddMinutes(-i), $"a-{i}")));
        await app.AddEventsAsync([app.Event(app.OrganisationB, T0, "b-hidden")]);
        var cut = RenderAuditLog(app, app.MauA, "/admin/audit");

        cut.WaitForAssertion(() => Assert.Equal(AuditLog.PageSize, Rows(cut).Count));
        Assert.Equal("20 Nov 2026 14:03:12", Rows(cut)[0].Children[0].TextContent);
        Assert.Contains("a-0", Rows(cut)[0].TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("b-hidden", cut.Markup, StringComparison.Ordinal);
        Assert.True(Button(cut, "Newer").HasAttribute("disabled"));

        Button(cut, "Older").Click();
        cut.WaitForAssertion(() => Assert.Equal(10, Rows(cut).Count));
        Assert.Contains("a-50", Rows(cut)[0].TextContent, StringComparison.Ordinal);
        Assert.True(Button(cut, "Older").HasAttribute("disabled"));

        Button(cut, "Newer").Click();
        cut.WaitForAssertion(() => Assert.Equal(AuditLog.PageSize, Rows(cut).Count));
        Assert.Contains("a-0", Rows(cut)[0].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_WithToBeforeFrom_ShowsWhy_AndDoesNotQuery()
    {
        await using var app = await AuditTestApp.StartAsync();

        // A plain AR is refused, and each refusal is audited; so no AccessDenied event proves the query never ran.
        var cut = RenderAuditLog(app, app.ArA, "/admin/audit?from=2026-11-25&to=2026-11-01");

        cut.WaitForAssertion(() => Assert.Contains("The 'to' date is before the 'from' date.", cut.Find("[role=alert]").TextContent, StringComparison.Ordinal));
        Assert.Empty(Rows(cut));
        Assert.Empty(await app.EventsAsync(AuditAction.AccessDenied));
    }

    [Fact]
    public async Task DownloadLink_CarriesTheFilters()
    {
        await using var app = await AuditTestApp.StartAsync();

        var cut = RenderAuditLog(app, app.MauA, "/admin/audit?user=Ada%20Alpha&action=UserCreated&from=2026-11-01&to=2026-11-30&page=3");

        cut.WaitForAssertion(() => Assert.Contains("No audit events match these filters.", cut.Markup, StringComparison.Ordinal));
        var link = cut.Find("a#audit-download");
        Assert.Equal("/admin/audit/export.csv?user=Ada%20Alpha&action=UserCreated&from=2026-11-01&to=2026-11-30", link.GetAttribute("href"));
        Assert.True(link.HasAttribute("download"));
        Assert.Contains("Download CSV", link.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TypingAUser_PutsTheFilterInTheUrl_AndNarrowsTheRows()
    {
        await using var app = await AuditTestApp.StartAsync();
        await app.AddEventsAsync([
            app.Event(app.OrganisationA, T0, "by-mau"),
            app.Event(app.OrganisationA, T0.AddMinutes(1), "by-admin", actor: app.AdminA.Ref),
        ]);
        var cut = RenderAuditLog(app, app.MauA, "/admin/audit");
        cut.WaitForAssertion(() => Assert.Equal(2, Rows(cut).Count));

        InputByLabel(cut, "User (name or id)").Input("ahmed");

        cut.WaitForAssertion(() => Assert.Single(Rows(cut)), TimeSpan.FromSeconds(5));
        Assert.Contains("by-admin", Rows(cut)[0].TextContent, StringComparison.Ordinal);
        Assert.EndsWith("/admin/audit?user=ahmed", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Render_AsOperator_ShowsEveryOrganisationWithItsName()
    {
        await using var app = await AuditTestApp.StartAsync();
        await app.AddEventsAsync([app.Event(app.OrganisationA, T0, "a-0"), app.Event(app.OrganisationB, T0.AddMinutes(1), "b-0")]);

        var cut = RenderAuditLog(app, app.Operator, "/operator/audit", operatorView: true);

        cut.WaitForAssertion(() => Assert.Equal(2, Rows(cut).Count));
        Assert.Equal("Bravo Power", Rows(cut)[0].Children[1].TextContent);
        Assert.Contains(cut.FindAll("label"), l => l.TextContent.Trim() == "Organisation");
        Assert.Contains(cut.FindAll("th"), h => h.TextContent == "Organisation");
    }

    [Fact]
    public async Task Render_WithNothingToShow_SaysSo()
    {
        await using var app = await AuditTestApp.StartAsync();

        var cut = RenderAuditLog(app, app.MauA, "/admin/audit?action=UserRemoved");

        cut.WaitForAssertion(() => Assert.Contains("No audit events match these filters.", cut.Markup, StringComparison.Ordinal));
        Assert.Contains(cut.FindAll("label"), l => l.TextContent.Trim() == "Action");
        Assert.Contains(cut.FindAll("label"), l => l.TextContent.Trim() == "From (UK date)");
        Assert.Contains(cut.FindAll("label"), l => l.TextContent.Trim() == "To (UK date)");
    }

    private IRenderedComponent<AuditLog> RenderAuditLog(AuditTestApp app, SdesUser user, string uri, bool operatorView = false)
    {
        Services.AddSingleton(app.Audit);
        AddAuthorization().SetAuthorized(user.DisplayName).SetClaims(new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()));
        Services.GetRequiredService<NavigationManager>().NavigateTo(uri);
        return Render<AuditLog>(p => p
            .Add(x => x.BasePath, operatorView ? "/operator/audit" : "/admin/audit")
            .Add(x => x.IsOperatorView, operatorView));
    }

    private static IReadOnlyList<IElement> Rows(IRenderedComponent<AuditLog> cut) => cut.FindAll("tbody tr");

    private static IElement Button(IRenderedComponent<AuditLog> cut, string text) =>
        cut.FindAll("button").Single(b => b.TextContent.Trim() == text);
}
