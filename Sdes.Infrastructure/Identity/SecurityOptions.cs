namespace Sdes.Infrastructure.Identity;

public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>How often open circuits and cookies re-check the security stamp. Spec for this product: access is lost
    /// within 60 seconds of being disabled, removed or changing password, so this may not exceed 60 s.</summary>
    public TimeSpan RevalidationInterval { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan SetupSecretLifetime { get; set; } = TimeSpan.FromHours(72);

    /// <summary>How long a one-time-secret session may take to choose a password.</summary>
    public TimeSpan PasswordSetupSessionLifetime { get; set; } = TimeSpan.FromMinutes(30);

    public int LockoutAfterFailures { get; set; } = 10;
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>PBKDF2-HMAC-SHA512 iterations (OWASP: at least 210,000).</summary>
    public int PasswordHashIterations { get; set; } = 210_000;

    public void Validate()
    {
        if (RevalidationInterval <= TimeSpan.Zero || RevalidationInterval > TimeSpan.FromSeconds(60))
        {
            throw new InvalidOperationException("Security:RevalidationInterval must be between 0 and 60 seconds.");
        }

        if (PasswordHashIterations < 210_000)
        {
            throw new InvalidOperationException("Security:PasswordHashIterations must be at least 210,000.");
        }
    }
}
