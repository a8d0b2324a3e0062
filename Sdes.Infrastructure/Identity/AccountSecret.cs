namespace Sdes.Infrastructure.Identity;

/// <summary>A single-use, randomly generated password emailed on account creation (spec 2.3). Only its hash is kept.
/// Using it signs the user in to one thing only: choosing their own password.</summary>
public sealed class AccountSecret
{
    private AccountSecret() { }

    public Guid Id { get; private set; }
    public Guid UserId { get; private set; }
    public string SecretHash { get; private set; } = string.Empty;
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public DateTimeOffset? UsedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    public static AccountSecret Issue(Guid userId, string secretHash, DateTimeOffset now, TimeSpan lifetime) => new()
    {
        Id = Guid.CreateVersion7(now),
        UserId = userId,
        SecretHash = secretHash,
        CreatedAt = now.ToUniversalTime(),
        ExpiresAt = (now + lifetime).ToUniversalTime(),
    };

    public bool IsUsable(DateTimeOffset now) => UsedAt is null && RevokedAt is null && now < ExpiresAt;

    public void MarkUsed(DateTimeOffset now) => UsedAt = now.ToUniversalTime();

    public void Revoke(DateTimeOffset now) => RevokedAt ??= now.ToUniversalTime();
}
