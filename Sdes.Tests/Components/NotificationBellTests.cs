using System.Security.Claims;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Sdes.App.Features.Admin;
using Sdes.App.Features.Communications;
using Sdes.App.Features.Notifications;
using Sdes.Domain.Audit;
using Sdes.Domain.Organisations;
using Sdes.Infrastructure.Identity;
using Sdes.Tests.Audit;

namespace Sdes.Tests.Components;

/// <summary>The bell and notification centre with the real use cases over a real SQLite database.</summary>
public sealed class NotificationBellTests : MudTestContext
{
    [Fact]
    public async Task Bell_ShowsTheUnreadCount_ListsTheLatest_MarksReadAndAllRead_AndRefreshesLive()
    {
        await using var app = await StartAsync();
        await SendAsync(app, "First");
        var cut = RenderBell(app, app.MauB);

        cut.WaitForAssertion(() => Assert.Equal("Notifications, 1 unread", Bell(cut).GetAttribute("aria-label")));

        // A second arrives (a minute later, so the list order is defined) while the page is open: the live relay refreshes the count.
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await SendAsync(app, "Second");
        await cut.InvokeAsync(() => Services.GetRequiredService<CommunicationLive>().RaiseAsync(app.Published[^1]));
        cut.WaitForAssertion(() => Assert.Equal("Notifications, 2 unread", Bell(cut).GetAttribute("aria-label")));

        await cut.InvokeAsync(() => Bell(cut).Click());
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("li.sdes-bell-item").Count));
        var items = cut.FindAll("li.sdes-bell-item");
        Assert.Contains("SDE0000002", items[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("New communication", items[0].TextContent, StringComparison.Ordinal);
        Assert.Contains(app.Process.Name, items[0].TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Second", items[0].TextContent, StringComparison.Ordinal);

        await cut.InvokeAsync(() => cut.Find("button[aria-label='Mark SDE0000001 read']").Click());
        cut.WaitForAssertion(() => Assert.Equal("Notifications, 1 unread", Bell(cut).GetAttribute("aria-label")));
        Assert.Single(cut.FindAll("li.sdes-bell-unread"));

        await cut.InvokeAsync(() => cut.FindAll("button").Single(b => b.TextContent.Trim() == "Mark all read").Click());
        cut.WaitForAssertion(() => Assert.Equal("Notifications", Bell(cut).GetAttribute("aria-label")));
        Assert.Empty(cut.FindAll("li.sdes-bell-unread"));
        Assert.Equal(0, await app.DbAsync(db => db.UserNotifications.CountAsync(n => n.ReadAt == null)));
    }

    [Fact]
    public async Task Bell_ShowsOnlyTheUsersOwnNotifications()
    {
        await using var app = await StartAsync();
        await SendAsync(app, "To B");

        var cut = RenderBell(app, app.MauA);
        await cut.InvokeAsync(() => Bell(cut).Click());

        cut.WaitForAssertion(() => Assert.Contains("Nothing yet", cut.Markup, StringComparison.Ordinal));
        Assert.Equal("Notifications", Bell(cut).GetAttribute("aria-label"));
    }

    private static AngleSharp.Dom.IElement Bell<T>(IRenderedComponent<T> cut) where T : Microsoft.AspNetCore.Components.IComponent =>
        cut.Find("button[aria-haspopup='dialog']");

    private static async Task<AuditTestApp> StartAsync()
    {
        var app = await AuditTestApp.StartAsync();
        await app.AssignAsync(app.MauA, 1);
        await app.AssignAsync(app.MauB, 1);
        return app;
    }

    private static Task<string> SendAsync(AuditTestApp app, string subject) =>
        app.Services.GetRequiredService<CommunicationService>().SendAsync(AuditTestApp.PrincipalFor(app.MauA), new SendForm
        {
            FromRole = CommunicationQueries.RoleKey("AAAA", MarketRole.ElectricitySupplier),
            ProcessCode = app.Process.Code,
            Recipient = $"{app.OrganisationB.Id.Value}|{CommunicationQueries.RoleKey("BBBB", MarketRole.ElectricitySupplier)}",
            Subject = subject,
            Message = "Please look into this.",
            Bespoke = new() { ["transfer-date"] = "2026-11-02", ["customer-name"] = "A. Customer" },
        });

    private IRenderedComponent<Bunit.Rendering.ContainerFragment> RenderBell(AuditTestApp app, SdesUser user)
    {
        Services.AddSingleton(new NotificationCentre(app.Services.GetRequiredService<AdminOperation>(), app.Clock));
        Services.AddScoped<CommunicationLive>();
        Services.AddScoped<NotificationSignal>();
        AddAuthorization().SetAuthorized(user.DisplayName).SetClaims(new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()));
        // The popover's content renders in the provider, so both go in one fragment the test can search.
        return Render(b =>
        {
            b.OpenComponent<MudBlazor.MudPopoverProvider>(0);
            b.CloseComponent();
            b.OpenComponent<NotificationBell>(1);
            b.CloseComponent();
        });
    }
}
