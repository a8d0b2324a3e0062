using System.Globalization;
using Sdes.App.Features.Shared;
using Sdes.Domain.Audit;
using Sdes.Domain.Common;
using Sdes.Infrastructure.Identity;

namespace Sdes.App.Features.Audit;

public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/admin/audit/export.csv", ExportAsync)
            .RequireAuthorization(p => p.RequireAuthenticatedUser()
                .RequireAssertion(c => !c.User.HasClaim(x => x.Type == SdesClaims.MustSetPassword))
                .RequireRole(SdesRoles.Operator, SdesRoles.OrganisationAdmin));
        return endpoints;
    }

    private static async Task<IResult> ExportAsync(HttpContext http, AuditQueries audit, TimeProvider time, string? user, string? action, string? from,
        string? to, string? org)
    {
        if (!TryParseFilter(user, action, from, to, org, out var filter, out var problem))
        {
            return Results.Text(problem, "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }

        // Checked before the response starts, so a refusal is a clean status code rather than a truncated file.
        try
        {
            await audit.SearchAsync(http.User, filter, null, 1, http.RequestAborted);
        }
        catch (NotFoundException)
        {
            return Results.NotFound();
        }

        var name = $"sdes-audit-{UkTime.ToUk(time.GetUtcNow()):yyyyMMdd}.csv";
        DownloadResponse.Start(http, name, "text/csv; charset=utf-8");
        await audit.ExportAsync(http.User, filter, http.Response.Body, http.RequestAborted);
        return Results.Empty;
    }

    public static bool TryParseFilter(string? user, string? action, string? from, string? to, string? org, out AuditFilter filter, out string problem)
    {
        filter = new AuditFilter();
        problem = string.Empty;
        AuditAction? parsedAction = null;
        if (!string.IsNullOrEmpty(action))
        {
            // Names only: Enum.TryParse would also take "3" or "1,2".
            if (!Enum.GetNames<AuditAction>().Contains(action, StringComparer.Ordinal))
            {
                problem = "Unknown action.";
                return false;
            }

            parsedAction = Enum.Parse<AuditAction>(action);
        }

        if (!TryDate(from, out var fromDate) || !TryDate(to, out var toDate))
        {
            problem = "Dates are written yyyy-MM-dd.";
            return false;
        }

        Guid? organisation = null;
        if (!string.IsNullOrEmpty(org))
        {
            if (!Guid.TryParse(org, out var o))
            {
                problem = "Unknown organisation.";
                return false;
            }

            organisation = o;
        }

        if (user is { Length: > 120 })
        {
            problem = "The user filter is at most 120 characters.";
            return false;
        }

        filter = new AuditFilter(user, parsedAction, fromDate, toDate, organisation);
        if (filter.Problem is { } p)
        {
            problem = p;
            return false;
        }

        return true;
    }

    private static bool TryDate(string? value, out DateOnly? date)
    {
        date = null;
        if (string.IsNullOrEmpty(value))
        {
            return true;
        }

        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            date = d;
            return true;
        }

        return false;
    }
}
