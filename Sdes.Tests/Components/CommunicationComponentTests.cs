using System.Security.Claims;
using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Sdes.App.Features.Communications;
using Sdes.Domain.Organisations;
using Sdes.Infrastructure.Identity;
using Sdes.Infrastructure.Notifications;
using Sdes.Tests.Audit;

namespace Sdes.Tests.Components;

/// <summary>The SDEP list and detail pages with the real queries and use cases over a real SQLite database.</summary>
public sealed class CommunicationComponentTests : MudTestContext
{
    [Fact]
    public async Task List_ShowsTheOrganisationsRows_UnreadInBold_AndRefreshesLiveWhenOneArrives()
    {
        await using var app = await StartAsync();
        await SendAsync(app, app.MauA, "Transfer objection for plot 4");
        var cut = RenderList(app, app.MauB);

        cut.WaitForAssertion(() => Assert.Single(Rows(cut)));
        var row = Rows(cut)[0];
        Assert.Contains("SDE0000001", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Transfer objection for plot 4", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("From Alpha Energy", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("sdes-unread", row.ClassName, StringComparison.Ordinal);
        Assert.Contains("Unassigned", row.TextContent, StringComparison.Ordinal);

        // A second one sent while the page is open appears without a reload (the page listens to the circuit's live relay).
        await SendAsync(app, app.MauA, "Second transfer query");
        var activity = Assert.Single(Published(app), a => a.ReferenceNumber == 2);
        await cut.InvokeAsync(() => Services.GetRequiredService<CommunicationLive>().RaiseAsync(activity));
        cut.WaitForAssertion(() => Assert.Equal(2, Rows(cut).Count));
        Assert.Contains("SDE0000002", Rows(cut)[0].TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_ForAnUnassignedUserOfTheSameOrganisation_ShowsNothing()
    {
        await using var app = await StartAsync();
        await SendAsync(app, app.MauA, "Only for assigned users");

        var cut = RenderList(app, app.ArA);

        cut.WaitForAssertion(() => Assert.Contains("No active communications", cut.Markup, StringComparison.Ordinal));
        Assert.Empty(Rows(cut));
    }

    [Fact]
    public async Task List_WithASearchInTheUrl_ShowsOnlyMatches()
    {
        await using var app = await StartAsync();
        await SendAsync(app, app.MauA, "Meter exchange dispute");
        await SendAsync(app, app.MauA, "Unrelated matter");

        var cut = RenderList(app, app.MauB, search: "exchang");

        cut.WaitForAssertion(() => Assert.Single(Rows(cut)));
        Assert.Contains("Meter exchange dispute", Rows(cut)[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Clear filters", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Detail_ForTheSender_ExplainsWhenEscalationIsAllowed_AndShowsTheThread()
    {
        await using var app = await StartAsync();
        await SendAsync(app, app.MauA, "Erroneous transfer of plot 9");

        var cut = RenderDetail(app, app.MauA, "SDE0000001");

        cut.WaitForAssertion(() => Assert.Contains("Erroneous transfer of plot 9", cut.Find("h1").TextContent, StringComparison.Ordinal));
        var escalate = cut.FindAll("button").Single(b => b.TextContent.Contains("Escalate to level 2", StringComparison.Ordinal));
        Assert.True(escalate.HasAttribute("disabled"));
        // Sent Wednesday 25 Nov 2026 12:00 UTC; 5 working days later is Wednesday 2 Dec 12:00 (GMT).
        Assert.Contains("Escalation available from 2 Dec 2026 12:00", cut.Find("#escalation-status").TextContent, StringComparison.Ordinal);
        Assert.Contains("Please look into this.", cut.Find("ol.sdes-thread").TextContent, StringComparison.Ordinal);
        Assert.Contains("DEMO-1", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Detail_ForTheRecipient_HidesTheSendersTags_AndNeverOffersEscalation()
    {
        await using var app = await StartAsync();
        await SendAsync(app, app.MauA, "Tagged by the sender");

        var cut = RenderDetail(app, app.MauB, "SDE0000001");

        cut.WaitForAssertion(() => Assert.Contains("Tagged by the sender", cut.Find("h1").TextContent, StringComparison.Ordinal));
        Assert.DoesNotContain("DEMO-1", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("Only the sending organisation, which is awaiting a response, can escalate.", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Detail_ForSomeoneWithoutAccess_SaysNotFound()
    {
        await using var app = await StartAsync();
        await SendAsync(app, app.MauA, "Private to the two parties");

        var cut = RenderDetail(app, app.ArA, "SDE0000001");

        cut.WaitForAssertion(() => Assert.Contains("was not found, or you do not have access to it", cut.Markup, StringComparison.Ordinal));
        Assert.DoesNotContain("Private to the two parties", cut.Markup, StringComparison.Ordinal);
    }

    private static async Task<AuditTestApp> StartAsync()
    {
        var app = await AuditTestApp.StartAsync();
        await app.AssignAsync(app.MauA, 1);
        await app.AssignAsync(app.MauB, 1);
        return app;
    }

    private static List<CommunicationActivity> Published(AuditTestApp app) => app.Published;

    private static Task<string> SendAsync(AuditTestApp app, SdesUser from, string subject) =>
        app.Services.GetRequiredService<CommunicationService>().SendAsync(AuditTestApp.PrincipalFor(from), new SendForm
        {
            FromRole = CommunicationQueries.RoleKey("AAAA", MarketRole.ElectricitySupplier),
            ProcessCode = app.Process.Code,
            Recipient = $"{app.OrganisationB.Id.Value}|{CommunicationQueries.RoleKey("BBBB", MarketRole.ElectricitySupplier)}",
            Subject = subject,
            Message = "Please look into this.",
            Tag = "DEMO-1",
            Bespoke = new() { ["transfer-date"] = "2026-11-02", ["customer-name"] = "A. Customer" },
        });

    private void UseServices(AuditTestApp app, SdesUser user)
    {
        Services.AddSingleton(app.Services.GetRequiredService<CommunicationQueries>());
        Services.AddSingleton(app.Services.GetRequiredService<CommunicationService>());
        Services.AddSingleton(app.Services.GetRequiredService<Sdes.App.Features.Attachments.AttachmentUploads>());
        Services.AddSingleton<TimeProvider>(app.Clock);
        Services.AddScoped<CommunicationLive>();
        Services.AddScoped<Sdes.App.Features.Notifications.NotificationSignal>();
        AddAuthorization().SetAuthorized(user.DisplayName).SetClaims(new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()));
    }

    private IRenderedComponent<CommunicationList> RenderList(AuditTestApp app, SdesUser user, string? search = null)
    {
        UseServices(app, user);
        Services.GetRequiredService<NavigationManager>().NavigateTo(search is null ? "/communications" : $"/communications?q={Uri.EscapeDataString(search)}");
        return Render<CommunicationList>();
    }

    private IRenderedComponent<CommunicationDetailPage> RenderDetail(AuditTestApp app, SdesUser user, string reference)
    {
        UseServices(app, user);
        return Render<CommunicationDetailPage>(p => p.Add(x => x.Reference, reference));
    }

    private static IReadOnlyList<IElement> Rows(IRenderedComponent<CommunicationList> cut) => cut.FindAll("tbody tr");
}
