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

    /// <summary>How often new-message emails are sent (spec 10.1(f)); only honoured for a confirmed, non-proxy address.</summary>
    public Notifications.EmailFrequency EmailFrequency { get; set; }

    /// <summary>When the frequency was last chosen: emails and digests cover activity from then on, never older backlog.</summary>
    public DateTimeOffset? EmailFrequencySetAt { get; set; }

    /// <summary>When the user proved the address reaches them through the single-use link (spec 10.1(f) "verified").</summary>
    public DateTimeOffset? EmailConfirmedAt { get; set; }

    /// <summary>Marked by an administrator: a shared or forwarding mailbox, which never gets notification emails.</summary>
    public bool EmailIsProxy { get; set; }

    /// <summary>UTC, written at most once a minute: opening SDES or moving to another page in it.</summary>
    public DateTimeOffset? LastVisitAt { get; set; }

    /// <summary>The end of the period the last hourly or daily digest covered.</summary>
    public DateTimeOffset? LastDigestAt { get; set; }

    public UserId UserId => new(Id);

    public UserRef Ref => new(UserId, DisplayName, OrganisationId);
}
