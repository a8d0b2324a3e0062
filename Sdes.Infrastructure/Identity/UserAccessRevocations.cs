using System.Collections.Concurrent;

namespace Sdes.Infrastructure.Identity;

/// <summary>Remembers, on this node, when a user's access was cut (disabled, removed, password changed, signed out
/// everywhere), so open circuits and cookies signed in before that moment are refused at once rather than at the next
/// security-stamp revalidation. Other nodes rely on the revalidation interval (at most 30 s).</summary>
public sealed class UserAccessRevocations
{
    private readonly ConcurrentDictionary<Guid, long> _revokedAt = new();

    public void Revoke(Guid userId, DateTimeOffset at) =>
        _revokedAt.AddOrUpdate(userId, at.UtcTicks, (_, existing) => Math.Max(existing, at.UtcTicks));

    /// <summary>True if the user's access was cut at or after the session signed in.</summary>
    public bool IsRevoked(Guid userId, long signedInAtUtcTicks) =>
        _revokedAt.TryGetValue(userId, out var revoked) && revoked >= signedInAtUtcTicks;
}
