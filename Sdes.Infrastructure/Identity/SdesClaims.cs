namespace Sdes.Infrastructure.Identity;

public static class SdesClaims
{
    public const string OrganisationId = "sdes:org";
    public const string DisplayName = "sdes:name";

    /// <summary>Present while the session may do one thing only: choose a password (after a one-time secret sign-in).</summary>
    public const string MustSetPassword = "sdes:must_set_password";

    /// <summary>When this session signed in (UTC ticks); compared against revocations on this node.</summary>
    public const string SignedInAt = "sdes:signed_in_at";
}

public static class SdesRoles
{
    public const string Operator = "Operator";

    /// <summary>Granted by the MAU to other ARs of the organisation (spec 2.6). The MAU holds it too.</summary>
    public const string OrganisationAdmin = "OrganisationAdmin";
}

public static class SdesPolicies
{
    /// <summary>A signed-in user with a full session (not a one-time-secret session).</summary>
    public const string FullAccount = "FullAccount";

    /// <summary>The one-time-secret session: may only choose a password.</summary>
    public const string PasswordSetup = "PasswordSetup";

    public const string Operator = "Operator";
    public const string OrganisationAdmin = "OrganisationAdmin";
}
