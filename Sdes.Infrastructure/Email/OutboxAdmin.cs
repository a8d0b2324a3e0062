using Microsoft.EntityFrameworkCore;
using Sdes.Domain.Audit;
using Sdes.Domain.Common;
using Sdes.Infrastructure.Persistence;

namespace Sdes.Infrastructure.Email;

public sealed record FailedEmailRow(Guid Id, string Kind, DateTimeOffset CreatedAt, int Attempts, string? LastError, string Recipient);

public sealed record OutboxSummary(int Pending, int DeadLettered, int SentLastDay);

/// <summary>What the service operator sees of email delivery, and their manual retry. Callers check the operator role.</summary>
public sealed class OutboxAdmin(TimeProvider time)
{
    public async Task<OutboxSummary> SummaryAsync(SdesDbContext db, CancellationToken ct)
    {
        var since = time.GetUtcNow().AddDays(-1);
        return new OutboxSummary(
            await db.OutboxMessages.CountAsync(m => m.Status == OutboxStatus.Pending, ct),
            await db.OutboxMessages.CountAsync(m => m.Status == OutboxStatus.DeadLettered, ct),
            await db.OutboxMessages.CountAsync(m => m.Status == OutboxStatus.Sent && m.SentAt >= since, ct));
    }

    public async Task<IReadOnlyList<FailedEmailRow>> ListFailedAsync(SdesDbContext db, CancellationToken ct)
    {
        var rows = await db.OutboxMessages.AsNoTracking().Where(m => m.Status == OutboxStatus.DeadLettered)
            .OrderByDescending(m => m.CreatedAt).Take(200).ToListAsync(ct);
        return rows.Select(m => new FailedEmailRow(m.Id, m.Kind, m.CreatedAt, m.Attempts, m.LastError, Mask(m.ToAddress))).ToList();
    }

    public async Task RequeueAsync(SdesDbContext db, Guid id, UserRef actor, CancellationToken ct)
    {
        var message = await db.OutboxMessages.FirstOrDefaultAsync(m => m.Id == id, ct)
            ?? throw new DomainException("That email no longer exists.");
        DomainException.ThrowIf(message.Status != OutboxStatus.DeadLettered, "Only a failed email can be retried.");
        message.Requeue(time.GetUtcNow());
        db.AuditEvents.Add(AuditEvent.Record(AuditAction.EmailRequeued, time.GetUtcNow(), actor, null, "Email", id.ToString(), message.Kind));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>j***@example.com: enough for the operator to recognise, not a full address on screen.</summary>
    public static string Mask(string address)
    {
        var at = address.IndexOf('@', StringComparison.Ordinal);
        return at <= 0 ? "***" : $"{address[0]}***{address[at..]}";
    }
}
