using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Sdes.Infrastructure.Identity;

internal sealed class SdesClaimsPrincipalFactory(UserManager<SdesUser> userManager, RoleManager<IdentityRole<Guid>> roleManager,
    IOptions<IdentityOptions> options) : UserClaimsPrincipalFactory<SdesUser, IdentityRole<Guid>>(userManager, roleManager, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(SdesUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(SdesClaims.OrganisationId, user.OrganisationId.Value.ToString()));
        identity.AddClaim(new Claim(SdesClaims.DisplayName, user.DisplayName));
        return identity;
    }
}
