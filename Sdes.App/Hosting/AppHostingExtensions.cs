using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using MudBlazor.Services;
using Sdes.App.Components;
using Sdes.App.Components.Layout;
using Sdes.App.Features.Account;
using Sdes.App.Features.Admin;
using Sdes.App.Features.Attachments;
using Sdes.App.Features.Audit;
using Sdes.App.Features.Communications;
using Sdes.App.Features.Notifications;
using Sdes.Infrastructure;

namespace Sdes.App.Hosting;

public static class AppHostingExtensions
{
    public static WebApplicationBuilder AddSdesInfrastructure(this WebApplicationBuilder builder)
    {
        InfrastructureServiceCollectionExtensions.AddSdesInfrastructure(builder);
        return builder;
    }

    public static WebApplicationBuilder AddSdesApp(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        if (builder.Environment.IsEnvironment("Testing"))
        {
            // Tests run from the build output, like Development: framework and package assets come from the static web assets manifest.
            builder.WebHost.UseStaticWebAssets();
        }

        if (!builder.Environment.IsDevelopment())
        {
            builder.Logging.ClearProviders().AddJsonConsole();
        }

        // A full node refuses new circuits (WebSocket upgrades) instead of running out of memory or file handles (ARCHITECTURE.md).
        var maxCircuits = builder.Configuration.GetValue("Circuits:MaxConnectionsPerNode", 16_000);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxConcurrentUpgradedConnections = maxCircuits);
        services.AddRazorComponents().AddInteractiveServerComponents(o =>
        {
            o.DetailedErrors = builder.Environment.IsDevelopment();
            o.DisconnectedCircuitMaxRetained = builder.Configuration.GetValue("Circuits:DisconnectedMaxRetained", 2_000);
            o.DisconnectedCircuitRetentionPeriod = TimeSpan.FromMinutes(2);
        }).AddHubOptions(o =>
        {
            // A 20,000-character message of non-ASCII text is up to 60 KB of JSON; SignalR's 32 KB default would drop the circuit.
            o.MaximumReceiveMessageSize = 128 * 1024;
        });
        services.AddMudServices(o => o.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomRight);
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, SdesAuthenticationStateProvider>();
        services.AddScoped<CircuitHandler, AccessCheckCircuitHandler>();
        services.AddScoped<ThemeState>();
        services.AddScoped<SignInService>();
        services.AddAdminFeature();
        services.AddCommunicationsFeature();
        services.AddAttachmentsFeature();
        services.AddNotificationsFeature();
        services.AddSingleton<DatabaseInitialiser>();
        return builder;
    }

    public static async Task PrepareDatabaseAsync(this WebApplication app) =>
        await app.Services.GetRequiredService<DatabaseInitialiser>().InitialiseAsync(app.Lifetime.ApplicationStopping);

    public static WebApplication UseSdes(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
            app.UseHsts();
        }

        app.UseStatusCodePagesWithReExecute("/not-found");
        app.Use(SecurityHeaders);
        // wwwroot-assets/ is served explicitly: in Development the static-web-assets manifest replaces the web root provider.
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(app.Environment.WebRootPath),
            OnPrepareResponse = c => c.Context.Response.Headers.CacheControl = "public, max-age=3600",
        });
        // Routing after static files: otherwise an endpoint matched first stops the static file middleware serving them.
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets().AllowAnonymous();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        app.MapAccountEndpoints();
        app.MapAuditEndpoints();
        app.MapCommunicationEndpoints();
        app.MapAttachmentEndpoints();
        app.MapRazorComponents<Components.App>().AddInteractiveServerRenderMode();
        return app;
    }

    private static Task SecurityHeaders(HttpContext context, Func<Task> next)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
        headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; " +
            "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
        return next();
    }
}
