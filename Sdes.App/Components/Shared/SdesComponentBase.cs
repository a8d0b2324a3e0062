using System.Security.Claims;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using Sdes.App.Features.Shared;
using Sdes.Domain.Common;

namespace Sdes.App.Components.Shared;

/// <summary>Interactive pages: the signed-in principal, and a use-case runner that turns a broken rule into a message
/// the user can act on (the form keeps what they typed).</summary>
public abstract class SdesComponentBase : ComponentBase
{
    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Inject]
    protected ISnackbar Snackbar { get; set; } = default!;

    protected async Task<ClaimsPrincipal> PrincipalAsync() =>
        AuthenticationState is null ? new ClaimsPrincipal() : (await AuthenticationState).User;

    /// <summary>Runs a use case; returns false (and shows why) if a rule refused it.</summary>
    protected async Task<bool> TryAsync(Func<ClaimsPrincipal, Task> useCase, string? success = null)
    {
        try
        {
            await useCase(await PrincipalAsync());
            if (success is not null)
            {
                Snackbar.Add(success, Severity.Success);
            }

            return true;
        }
        catch (DomainException ex)
        {
            Snackbar.Add(ex.Message, Severity.Warning);
            return false;
        }
        catch (NotFoundException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
            return false;
        }
    }
}
