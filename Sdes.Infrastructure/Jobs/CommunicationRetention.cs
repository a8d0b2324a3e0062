using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;
using Sdes.Domain.Audit;
using Sdes.Domain.Communications;
using Sdes.Infrastructure.Attachments;
using Sdes.Infrastructure.Persistence;

namespace Sdes.Infrastructure.Jobs;

/// <summary>Spec 13.1 and 13.4: archives communications 30 days after their latest message and, 30 days after archiving,
/// deletes their content for good, leaving a tombstone and the audit log. Each step asks the aggregate whether it is due,
/// so running twice, or after missed days, changes nothing that should not change.</summary>
public sealed class CommunicationRetention(IServiceScopeFactory scopes, TimeProvider time, IAttachmentStore store,
    ILogger<CommunicationRetention> logger)
{
    public const int BatchSize = 200;

    public async Task<(int Archived, int Deleted)> RunAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var archived = await ProcessAsync(
            db => db.Communications.Where(c => c.Status == CommunicationStatus.Active && c.LastMessageAt <= now - Communication.ArchiveAfter),
            c => c.ArchiveIfIdle(now), AuditAction.CommunicationArchived, "automatically, 30 days after the latest message", now, ct);
        var deleted = await ProcessAsync(
            db => db.Communications.Where(c => c.Status == CommunicationStatus.Archived && c.ArchivedAt <= now - Communication.DeleteAfterArchive),
            c => c.DeleteContentIfDue(now), AuditAction.CommunicationContentDeleted, "content permanently deleted, 30 days after archiving", now, ct);
        if (archived + deleted > 0)
        {
            logger.LogInformation("Retention archived {Archived} and deleted the content of {Deleted} communications", archived, deleted);
        }

        return (archived, deleted);
    }

    private async Task<int> ProcessAsync(Func<SdesDbContext, IQueryable<Communication>> due, Func<Communication, bool> apply,
        AuditAction action, string detail, DateTimeOffset now, CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SdesDbContext>();
            var processes = await db.BusinessProcesses.AsNoTracking().ToDictionaryAsync(p => p.Id, ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var batch = await due(db).OrderBy(c => c.Id).Take(BatchSize)
                .Include(c => c.Parties).Include(c => c.Messages).ThenInclude(m => m.Attachments).Include(c => c.Events)
                .AsSplitQuery().ToListAsync(ct);
            var changed = 0;
            var objects = new List<string>();
            foreach (var communication in batch)
            {
                var messageIds = communication.Messages.Select(m => m.Id).ToList();
                if (!apply(communication))
                {
                    continue;
                }

                if (communication.Status == CommunicationStatus.Deleted)
                {
                    // The files go with the messages (spec 13.4); their objects are deleted once the rows are gone.
                    objects.AddRange(await AttachmentMaintenance.RemoveFilesOfAsync(db, messageIds, ct));
                }

                changed++;
                processes.TryGetValue(communication.ProcessId, out var process);
                foreach (var party in communication.Parties)
                {
                    db.AuditEvents.Add(AuditEvent.Record(action, now, null, party.OrganisationId, "Communication",
                        communication.Id.ToString(), communication.Reference.Value, process, detail));
                }
            }

            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            foreach (var name in objects)
            {
                await store.DeleteAsync(name, ct);
            }

            total += changed;
            if (batch.Count < BatchSize || changed == 0)
            {
                return total;
            }
        }
    }
}

[DisallowConcurrentExecution]
internal sealed class CommunicationRetentionJob(CommunicationRetention retention) : IJob
{
    public static readonly JobKey Key = new("communication-retention", "communications");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await retention.RunAsync(cancellationToken);
}
