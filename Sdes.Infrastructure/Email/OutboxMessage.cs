namespace Sdes.Infrastructure.Email;

public enum OutboxStatus
{
    Pending,
    Sent,
    DeadLettered,
}

/// <summary>An email written in the same transaction as the change that causes it, then sent by the outbox job.</summary>
public sealed class OutboxMessage
{
    private OutboxMessage() { }

    public Guid Id { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public string ToAddress { get; private set; } = string.Empty;
    public string? ToName { get; private set; }
    public string Subject { get; private set; } = string.Empty;

    /// <summary>Cleared once sent: bodies may carry a one-time secret that must not rest in the database.</summary>
    public string? TextBody { get; private set; }

    public string? HtmlBody { get; private set; }

    /// <summary>What kind of email, for the operator's view (e.g. "account-setup"); never personal data.</summary>
    public string Kind { get; private set; } = string.Empty;

    public OutboxStatus Status { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset NextAttemptAt { get; private set; }
    public DateTimeOffset? LastAttemptAt { get; private set; }
    public DateTimeOffset? SentAt { get; private set; }
    public string? LastError { get; private set; }
    public string? ProviderMessageId { get; private set; }
    public int Version { get; private set; }

    public static OutboxMessage Create(string kind, string toAddress, string? toName, string subject, string textBody, string? htmlBody,
        DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        CreatedAt = now.ToUniversalTime(),
        Kind = kind,
        ToAddress = toAddress,
        ToName = toName,
        Subject = subject,
        TextBody = textBody,
        HtmlBody = htmlBody,
        Status = OutboxStatus.Pending,
        NextAttemptAt = now.ToUniversalTime(),
    };

    /// <summary>Recorded and committed before the provider is called, so a crash mid-send is visible. The lease keeps every
    /// other worker off the row while the attempt is in flight; after a crash the row falls due again when it ends.</summary>
    public void BeginAttempt(DateTimeOffset now, TimeSpan lease)
    {
        Attempts++;
        LastAttemptAt = now;
        NextAttemptAt = now + lease;
        Version++;
    }

    public void MarkSent(DateTimeOffset now, string? providerMessageId)
    {
        Status = OutboxStatus.Sent;
        SentAt = now;
        ProviderMessageId = providerMessageId;
        TextBody = null;
        HtmlBody = null;
        LastError = null;
        Version++;
    }

    public void ScheduleRetry(DateTimeOffset next, string error)
    {
        NextAttemptAt = next;
        LastError = Truncate(error);
        Version++;
    }

    public void DeadLetter(string error)
    {
        Status = OutboxStatus.DeadLettered;
        LastError = Truncate(error);
        Version++;
    }

    /// <summary>The operator's manual retry of a dead-lettered email.</summary>
    public void Requeue(DateTimeOffset now)
    {
        if (Status != OutboxStatus.DeadLettered)
        {
            throw new InvalidOperationException("Only a dead-lettered email can be retried.");
        }

        Status = OutboxStatus.Pending;
        NextAttemptAt = now;
        Attempts = 0;
        Version++;
    }

    private static string Truncate(string s) => s.Length > 1000 ? s[..1000] : s;
}
