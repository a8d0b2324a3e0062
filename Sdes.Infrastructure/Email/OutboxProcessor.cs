using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Sdes.Domain.Audit;
using Sdes.Infrastructure.Persistence;

namespace Sdes.Infrastructure.Email;

/// <summary>Drains the outbox. Each attempt is committed before the provider is called and the success immediately after, so
/// a crash loses nothing; the only duplicate possible is a crash between the provider accepting and our commit (ADR 0002).
/// The row's version token means two nodes never both claim the same attempt.</summary>
internal sealed class OutboxProcessor(
    IDbContextFactory<SdesDbContext> contexts,
    IEmailSender sender,
    EmailOptions options,
    TimeProvider time,
    ILogger<OutboxProcessor> logger,
    Random? jitter = null,
    OutboxFaultInjection? faults = null)
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromHours(1);
    private readonly Random _jitter = jitter ?? Random.Shared;
    private readonly OutboxFaultInjection _faults = faults ?? OutboxFaultInjection.Off;

    public async Task<int> ProcessDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        List<Guid> due;
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            due = await db.OutboxMessages.AsNoTracking()
                .Where(m => m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now)
                .OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id)
                .Select(m => m.Id).Take(options.BatchSize).ToListAsync(ct);
        }

        var sent = 0;
        foreach (var id in due)
        {
            ct.ThrowIfCancellationRequested();
            if (await ProcessOneAsync(id, ct))
            {
                sent++;
            }
        }

        return sent;
    }

    private async Task<bool> ProcessOneAsync(Guid id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = time.GetUtcNow();
        var message = await db.OutboxMessages.FirstOrDefaultAsync(m => m.Id == id && m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now, ct);
        if (message is null)
        {
            return false;
        }

        message.BeginAttempt(now, options.AttemptLease);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            logger.LogInformation("Outbox message {MessageId} was claimed by another worker", id);
            return false;
        }

        await _faults.PauseAsync(OutboxCrashWindow.BeforeSend, message.Id, ct);
        EmailSendResult result;
        try
        {
            result = await sender.SendAsync(new EmailMessage(message.Id, message.ToAddress, message.ToName, message.Subject,
                message.TextBody ?? string.Empty, message.HtmlBody), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // An adapter bug or an unexpected failure must not stop the batch: count it as a failed attempt.
            logger.LogError(ex, "Outbox message {MessageId}: the sender threw", message.Id);
            result = new EmailSendResult(EmailSendOutcome.Transient, Error: "sender error: " + ex.GetType().Name);
        }

        if (result.Outcome == EmailSendOutcome.Sent)
        {
            await _faults.PauseAsync(OutboxCrashWindow.AfterSend, message.Id, CancellationToken.None);
        }

        now = time.GetUtcNow();
        switch (result.Outcome)
        {
            case EmailSendOutcome.Sent:
                message.MarkSent(now, result.ProviderMessageId);
                break;
            case EmailSendOutcome.Transient when message.Attempts < options.MaxAttempts:
                message.ScheduleRetry(now + Backoff(message.Attempts), result.Error ?? "transient failure");
                break;
            default:
                message.DeadLetter(result.Error ?? "permanent failure");
                db.AuditEvents.Add(AuditEvent.Record(AuditAction.EmailDeadLettered, now, null, null, "Email", message.Id.ToString(), message.Kind,
                    detail: Truncate(result.Error)));
                break;
        }

        // Not cancellable: the provider has answered, and recording that answer is what prevents a resend.
        await db.SaveChangesAsync(CancellationToken.None);
        logger.LogInformation("Outbox message {MessageId} ({Kind}) attempt {Attempt}: {Outcome}", message.Id, message.Kind, message.Attempts,
            message.Status == OutboxStatus.Pending ? "retry scheduled" : message.Status.ToString());
        return message.Status == OutboxStatus.Sent;
    }

    /// <summary>base * 2^(attempt-1) with +/-20% jitter so retries from many rows do not align, never more than an hour.</summary>
    internal TimeSpan Backoff(int attempt)
    {
        var raw = options.BaseRetryDelay.TotalSeconds * Math.Pow(2, Math.Min(30, Math.Max(0, attempt - 1)));
        var jittered = raw * (0.8 + (_jitter.NextDouble() * 0.4));
        return TimeSpan.FromSeconds(Math.Min(jittered, MaxDelay.TotalSeconds));
    }

    private static string? Truncate(string? s) => s is { Length: > 400 } ? s[..400] : s;
}
