using Microsoft.AspNetCore.Identity;
using Sdes.Domain.Common;
using Sdes.Domain.Organisations;

namespace Sdes.Infrastructure.Identity;

/// <summary>An individual account (spec 2.2). Username is the email address; the account belongs to exactly one
/// organisation for its whole life (spec 2.3).</summary>
public sealed class SdesUser : IdentityUser<Guid>
{
    public OrganisationId OrganisationId { get; set; }
    public string DisplayName { get; set; } = string.Empty;
    public bool IsDisabled { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastSignInAt { get; set; }

    /// <summary>Set until the user has chosen their own password after signing in with the emailed one-time secret.</summary>
    public bool MustSetPassword { get; set; }

    public UserId UserId => new(Id);

    public UserRef Ref => new(UserId, DisplayName, OrganisationId);
}
