using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Sdes.Infrastructure.Identity;

namespace Sdes.App.Features.Account;

/// <summary>Re-checks every open circuit's user at most every <see cref="SecurityOptions.RevalidationInterval"/>:
/// a disabled, removed or password-changed user is signed out of the circuit.</summary>
internal sealed class SdesAuthenticationStateProvider(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopeFactory,
    IOptions<IdentityOptions> identityOptions,
    SecurityOptions security,
    UserAccessRevocations revocations) : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => security.RevalidationInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        if (IsRevokedHere(authenticationState.User))
        {
            return false;
        }

        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<SdesUser>>();
        var user = await users.GetUserAsync(authenticationState.User);
        if (user is null || user.IsDisabled)
        {
            return false;
        }

        var stamp = authenticationState.User.FindFirstValue(identityOptions.Value.ClaimsIdentity.SecurityStampClaimType);
        return stamp == await users.GetSecurityStampAsync(user);
    }

    /// <summary>Checked on every inbound circuit event: cheap, in memory, this node only.</summary>
    public async Task<bool> EnsureStillAllowedAsync()
    {
        var state = await GetAuthenticationStateAsync();
        if (state.User.Identity?.IsAuthenticated != true || !IsRevokedHere(state.User))
        {
            return true;
        }

        SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity()))));
        return false;
    }

    private bool IsRevokedHere(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id)
        && long.TryParse(user.FindFirstValue(SdesClaims.SignedInAt), NumberStyles.Integer, CultureInfo.InvariantCulture, out var at)
        && revocations.IsRevoked(id, at);
}

/// <summary>Drops UI events from a circuit whose user has just lost access, and signs the circuit out.</summary>
internal sealed class AccessCheckCircuitHandler(AuthenticationStateProvider authentication) : CircuitHandler
{
    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        async context =>
        {
            if (authentication is SdesAuthenticationStateProvider sdes && !await sdes.EnsureStillAllowedAsync())
            {
                return;
            }

            await next(context);
        };
}
