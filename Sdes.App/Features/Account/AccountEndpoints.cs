using Microsoft.AspNetCore.Antiforgery;

namespace Sdes.App.Features.Account;

public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Forms post here with an antiforgery token; any signed-in session (even a one-time-secret one) may sign out.
        // These endpoints read no form fields, so nothing checks the antiforgery token unless we do it here.
        var group = endpoints.MapGroup("/account").RequireAuthorization(p => p.RequireAuthenticatedUser())
            .AddEndpointFilter(async (context, next) =>
            {
                var antiforgery = context.HttpContext.RequestServices.GetRequiredService<IAntiforgery>();
                return await antiforgery.IsRequestValidAsync(context.HttpContext)
                    ? await next(context)
                    : Results.BadRequest("This form has expired. Reload the page and try again.");
            });
        group.MapPost("/sign-out", async (HttpContext http, SignInService accounts) =>
        {
            await accounts.SignOutAsync(http.User, everywhere: false, http.RequestAborted);
            return TypedResults.LocalRedirect("/account/sign-in");
        });
        group.MapPost("/sign-out-everywhere", async (HttpContext http, SignInService accounts) =>
        {
            await accounts.SignOutAsync(http.User, everywhere: true, http.RequestAborted);
            return TypedResults.LocalRedirect("/account/sign-in");
        });
        return endpoints;
    }
}
