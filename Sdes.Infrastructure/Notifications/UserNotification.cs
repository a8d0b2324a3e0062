using Sdes.Domain.Communications;
using Sdes.Domain.Organisations;
using Sdes.Domain.Processes;

namespace Sdes.Infrastructure.Notifications;

/// <summary>Spec 10.1(f): how often an AR is emailed about new messages. Never is the default.</summary>
public enum EmailFrequency
{
    Never,
    Immediately,
    Hourly,
    Daily,
}

public enum NotificationKind
{
    NewCommunication,
    NewMessage,
    Escalated,
}

/// <summary>A communication reached a user: sent or escalated to a level they work, or a message from the other party at
/// its current level. Written in the same transaction as the change, so the bell, the emails and the digests all read the
/// same durable rows. It holds the reference and process only, never content.</summary>
public sealed class UserNotification
{
    private UserNotification() { }

    public Guid Id { get; private set; }
    public Guid UserId { get; private set; }
    public OrganisationId OrganisationId { get; private set; }
    public CommunicationId CommunicationId { get; private set; }
    public long ReferenceNumber { get; private set; }
    public ProcessId ProcessId { get; private set; }
    public string ProcessName { get; private set; } = string.Empty;
    public NotificationKind Kind { get; private set; }
    public int Level { get; private set; }
    public bool QuickResponse { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? ReadAt { get; private set; }

    /// <summary>When the one-per-notification email (immediate preference or quick-response override) was queued.</summary>
    public DateTimeOffset? EmailedAt { get; private set; }

    /// <summary>When an hourly or daily digest listing it was queued.</summary>
    public DateTimeOffset? DigestedAt { get; private set; }

    public static UserNotification Create(Guid userId, OrganisationId organisation, CommunicationId communication, long referenceNumber,
        BusinessProcess process, NotificationKind kind, int level, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        UserId = userId,
        OrganisationId = organisation,
        CommunicationId = communication,
        ReferenceNumber = referenceNumber,
        ProcessId = process.Id,
        ProcessName = process.Name,
        Kind = kind,
        Level = level,
        QuickResponse = process.QuickResponse,
        CreatedAt = now.ToUniversalTime(),
    };

    public void MarkRead(DateTimeOffset now) => ReadAt ??= now.ToUniversalTime();

    public void MarkEmailed(DateTimeOffset now) => EmailedAt ??= now.ToUniversalTime();

    public void MarkDigested(DateTimeOffset now) => DigestedAt ??= now.ToUniversalTime();
}

/// <summary>A single-use link proving that an address reaches its user. Only the SHA-256 of the random token is kept.</summary>
public sealed class EmailConfirmation
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    private EmailConfirmation() { }

    public Guid Id { get; private set; }
    public Guid UserId { get; private set; }
    public string TokenHash { get; private set; } = string.Empty;

    /// <summary>The address the link was sent to: confirming proves this address, not whatever the account holds later.</summary>
    public string Email { get; private set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public DateTimeOffset? UsedAt { get; private set; }

    public static EmailConfirmation Issue(Guid userId, string email, string tokenHash, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        UserId = userId,
        Email = email,
        TokenHash = tokenHash,
        CreatedAt = now.ToUniversalTime(),
        ExpiresAt = (now + Lifetime).ToUniversalTime(),
    };

    public bool IsUsable(DateTimeOffset now) => UsedAt is null && now < ExpiresAt;

    public void Use(DateTimeOffset now) => UsedAt ??= now.ToUniversalTime();
}
