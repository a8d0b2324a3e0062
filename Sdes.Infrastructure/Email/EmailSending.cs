namespace Sdes.Infrastructure.Email;

/// <summary>A seam to a real external service: SendGrid in production, a pickup folder in the embedded default.</summary>
public interface IEmailSender
{
    Task<EmailSendResult> SendAsync(EmailMessage message, CancellationToken ct);
}

/// <param name="Id">Our outbox id; also the Message-ID and the idempotency key sent to the provider.</param>
public sealed record EmailMessage(Guid Id, string ToAddress, string? ToName, string Subject, string TextBody, string? HtmlBody);

public enum EmailSendOutcome
{
    Sent,

    /// <summary>Try again later: 429, 5xx, timeouts, network failures.</summary>
    Transient,

    /// <summary>Will never succeed as it is: other 4xx. Dead-lettered for the operator.</summary>
    Permanent,
}

public sealed record EmailSendResult(EmailSendOutcome Outcome, string? ProviderMessageId = null, string? Error = null)
{
    public static EmailSendResult Sent(string? id) => new(EmailSendOutcome.Sent, id);
}

public sealed record EmailContent(string Subject, string Text, string? Html);

public sealed class EmailOptions
{
    public const string Section = "Email";

    public EmailSenderKind Sender { get; set; } = EmailSenderKind.PickupFolder;
    public string PickupFolder { get; set; } = "data/mail-pickup";
    public string FromAddress { get; set; } = "no-reply@sdes.example";
    public string FromName { get; set; } = "SDES";
    public SendGridSettings SendGrid { get; set; } = new();
    public int MaxAttempts { get; set; } = 8;
    public TimeSpan BaseRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
    public int BatchSize { get; set; } = 50;
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a begun attempt keeps other workers off its row, and so how long an email waits after a crash
    /// mid-send. Must outlast the provider call (the HTTP client gives up after 100 s), or a slow attempt could be overlapped.</summary>
    public TimeSpan AttemptLease { get; set; } = TimeSpan.FromMinutes(3);

    public OutboxFaultInjectionSettings FaultInjection { get; set; } = new();

    public sealed class SendGridSettings
    {
        public string ApiKey { get; set; } = string.Empty;
        public string? Host { get; set; }
    }
}

public enum EmailSenderKind
{
    PickupFolder,
    SendGrid,
}
