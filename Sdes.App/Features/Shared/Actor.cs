using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Sdes.Domain.Common;
using Sdes.Domain.Organisations;
using Sdes.Infrastructure.Identity;
using Sdes.Infrastructure.Persistence;

namespace Sdes.App.Features.Shared;

/// <summary>The signed-in user as the database says now (not as the cookie said at sign-in): use cases authorise on this.</summary>
public sealed record Actor(SdesUser User, Organisation Organisation, bool IsOperator, bool IsOrganisationAdmin)
{
    public UserRef Ref => User.Ref;
    public bool IsMasterAdmin => Organisation.IsMasterAdmin(User.UserId);

    /// <summary>Operators administer every organisation; an organisation's MAU and admins administer their own.</summary>
    public bool CanAdminister(OrganisationId organisation) =>
        IsOperator || (Organisation.Id == organisation && (IsOrganisationAdmin || IsMasterAdmin));

    public static async Task<Actor> LoadAsync(ClaimsPrincipal principal, SdesDbContext db, CancellationToken ct)
    {
        if (!Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id))
        {
            throw new NotFoundException();
        }

        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null || user.IsDisabled || user.MustSetPassword)
        {
            throw new NotFoundException();
        }

        var organisation = await db.Organisations.AsNoTracking().FirstAsync(o => o.Id == user.OrganisationId, ct);
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ur.UserId == id
                           select r.Name).ToListAsync(ct);
        return new Actor(user, organisation, roles.Contains(SdesRoles.Operator), roles.Contains(SdesRoles.OrganisationAdmin));
    }
}

/// <summary>Missing and not-yours are the same answer, so ids cannot be probed.</summary>
public sealed class NotFoundException : Exception
{
    public NotFoundException() : base("That item was not found, or you do not have access to it.") { }

    public NotFoundException(string message) : base(message) { }

    public NotFoundException(string message, Exception inner) : base(message, inner) { }
}
