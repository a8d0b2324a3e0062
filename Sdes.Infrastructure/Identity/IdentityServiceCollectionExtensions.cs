using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Sdes.Infrastructure.Persistence;

namespace Sdes.Infrastructure.Identity;

public static class IdentityServiceCollectionExtensions
{
    public static IServiceCollection AddSdesIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        var security = configuration.GetSection(SecurityOptions.Section).Get<SecurityOptions>() ?? new SecurityOptions();
        security.Validate();
        services.AddSingleton(security);
        services.AddSingleton<UserAccessRevocations>();

        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.Name = "sdes.auth";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
            cookie.LoginPath = "/account/sign-in";
            cookie.LogoutPath = "/account/sign-out";
            cookie.AccessDeniedPath = "/account/access-denied";
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
            cookie.SlidingExpiration = true;
            cookie.Events.OnValidatePrincipal = async context =>
            {
                await SecurityStampValidator.ValidatePrincipalAsync(context);
                if (context.Principal is { } principal && IsRevokedHere(context.HttpContext.RequestServices, principal))
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                }
            };
            cookie.Events.OnRedirectToAccessDenied = context =>
            {
                if (context.HttpContext.User.HasClaim(c => c.Type == SdesClaims.MustSetPassword))
                {
                    context.RedirectUri = "/account/set-password";
                }

                return RedirectOrStatus(context, StatusCodes403);
            };
            cookie.Events.OnRedirectToLogin = context => RedirectOrStatus(context, StatusCodes401);
        });
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = security.RevalidationInterval);
        services.Configure<PasswordHasherOptions>(o =>
        {
            o.CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3;
            o.IterationCount = security.PasswordHashIterations;
        });

        services.AddIdentityCore<SdesUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.SignIn.RequireConfirmedAccount = false;
                o.Password.RequiredLength = SdesPasswordValidator.MinimumLength;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 1;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = security.LockoutAfterFailures;
                o.Lockout.DefaultLockoutTimeSpan = security.LockoutDuration;
                o.ClaimsIdentity.UserNameClaimType = ClaimTypes.Email;
            })
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<SdesDbContext>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<SdesClaimsPrincipalFactory>()
            .AddPasswordValidator<SdesPasswordValidator>()
            .AddDefaultTokenProviders();

        services.AddAuthorizationBuilder()
            .AddPolicy(SdesPolicies.FullAccount, p => FullAccount(p))
            .AddPolicy(SdesPolicies.PasswordSetup, p => p.RequireAuthenticatedUser().RequireClaim(SdesClaims.MustSetPassword))
            .AddPolicy(SdesPolicies.Operator, p => FullAccount(p.RequireRole(SdesRoles.Operator)))
            .AddPolicy(SdesPolicies.OrganisationAdmin, p => FullAccount(p.RequireRole(SdesRoles.OrganisationAdmin)))
            .SetDefaultPolicy(FullAccount(new AuthorizationPolicyBuilder()).Build())
            // Every endpoint without its own rule needs a full account: a one-time-secret session can reach nothing else.
            .SetFallbackPolicy(FullAccount(new AuthorizationPolicyBuilder()).Build());
        return services;
    }

    private const int StatusCodes401 = 401;
    private const int StatusCodes403 = 403;

    private static AuthorizationPolicyBuilder FullAccount(AuthorizationPolicyBuilder policy) =>
        policy.RequireAuthenticatedUser().RequireAssertion(c => !c.User.HasClaim(x => x.Type == SdesClaims.MustSetPassword));

    private static bool IsRevokedHere(IServiceProvider services, ClaimsPrincipal principal)
    {
        var revocations = services.GetRequiredService<UserAccessRevocations>();
        return Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id)
            && long.TryParse(principal.FindFirstValue(SdesClaims.SignedInAt), out var at)
            && revocations.IsRevoked(id, at);
    }

    /// <summary>Pages get redirects; API and download endpoints (paths under /api or /files) get status codes.</summary>
    private static Task RedirectOrStatus(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/api") || path.StartsWithSegments("/files") || path.StartsWithSegments("/health"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
