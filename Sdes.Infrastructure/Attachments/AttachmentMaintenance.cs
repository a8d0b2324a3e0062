using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;
using Sdes.Domain.Attachments;
using Sdes.Domain.Audit;
using Sdes.Domain.Communications;
using Sdes.Infrastructure.Notifications;
using Sdes.Infrastructure.Persistence;

namespace Sdes.Infrastructure.Attachments;

/// <summary>The background side of the attachment pipeline: rescans files the scanner could not take at upload (fail
/// closed: they stay pending until clamd gives a verdict), and sweeps uploads never attached and stored objects with no
/// row. Every step is idempotent, so a job that runs twice or after a gap changes nothing it should not.</summary>
public sealed class AttachmentMaintenance(IServiceScopeFactory scopes, AttachmentIngestor ingestor, IAttachmentStore store,
    ICommunicationBus bus, TimeProvider time, ILogger<AttachmentMaintenance> logger)
{
    public const int ScanBatchSize = 20;

    /// <summary>An object written before its row is saved is not an orphan until this long has passed.</summary>
    public static readonly TimeSpan OrphanGrace = TimeSpan.FromHours(1);

    /// <summary>Scans the pending files that are due. Returns how many got a verdict.</summary>
    public async Task<int> RescanDueAsync(CancellationToken ct)
    {
        var done = 0;
        var now = time.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SdesDbContext>();
        var due = await db.Attachments
            .Where(a => a.Status == AttachmentStatus.PendingScan && a.ContentDestroyedAt == null && a.NextScanAt <= now)
            .OrderBy(a => a.NextScanAt).Select(a => a.Id).Take(ScanBatchSize).ToListAsync(ct);
        foreach (var id in due)
        {
            db.ChangeTracker.Clear();
            var attachment = await db.Attachments.FirstAsync(a => a.Id == id, ct);
            var verdict = await ingestor.RescanAsync(attachment, ct);
            now = time.GetUtcNow();
            var destroy = AttachmentIngestor.Apply(attachment, verdict, now);
            var activity = attachment.Status == AttachmentStatus.PendingScan ? null : await RecordVerdictAsync(db, attachment, now, ct);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                // The file was attached or removed at the same moment; it is still pending, so the next run sees it again.
                continue;
            }

            // Only now that the row says so: a row must never point at a missing object.
            if (destroy)
            {
                await ingestor.DestroyAsync(attachment, ct);
            }

            if (activity is not null)
            {
                await bus.PublishAsync(activity, CancellationToken.None);
            }

            if (verdict is null)
            {
                // The scanner is down: the rest wait for their own next attempt instead of each timing out now.
                logger.LogWarning("Virus scanner unavailable; {Count} pending files wait for the next run", due.Count - done);
                break;
            }

            done++;
        }

        return done;
    }

    /// <summary>Removes uploads never attached (after a day) and stored objects with no live row (after the grace period).</summary>
    public async Task<(int Uploads, int Orphans)> SweepAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var uploads = 0;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SdesDbContext>();
            var cutoff = now - Attachment.UnattachedLifetime;
            var stale = await db.Attachments
                .Where(a => a.OwnerId == null && a.UploadedAt < cutoff && a.Status != AttachmentStatus.Infected && a.Status != AttachmentStatus.Unscannable)
                .OrderBy(a => a.UploadedAt).Take(500).ToListAsync(ct);
            // Rows go first: a row must never point at a missing object; an object left behind is an orphan swept below.
            db.Attachments.RemoveRange(stale);
            await db.SaveChangesAsync(ct);
            foreach (var attachment in stale)
            {
                await store.DeleteAsync(attachment.Id.StorageName, ct);
            }

            uploads = stale.Count;
        }

        var orphans = 0;
        var candidates = new List<string>();
        await foreach (var stored in store.ListAsync(ct))
        {
            if (stored.LastModified < now - OrphanGrace)
            {
                candidates.Add(stored.Name);
            }
        }

        foreach (var chunk in candidates.Chunk(200))
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<SdesDbContext>();
            var ids = chunk.Select(n => Guid.TryParseExact(n, "n", out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty)
                .Select(g => new AttachmentId(g)).ToList();
            var live = (await db.Attachments.Where(a => ids.Contains(a.Id) && a.ContentDestroyedAt == null).Select(a => a.Id).ToListAsync(ct))
                .Select(a => a.StorageName).ToHashSet(StringComparer.Ordinal);
            foreach (var name in chunk.Where(n => !live.Contains(n)))
            {
                await store.DeleteAsync(name, ct);
                orphans++;
            }
        }

        if (uploads + orphans > 0)
        {
            logger.LogInformation("Attachment sweep removed {Uploads} unattached uploads and {Orphans} orphaned objects", uploads, orphans);
        }

        return (uploads, orphans);
    }

    /// <summary>Retention (spec 13.4): the files of deleted messages go with them. Called inside the retention transaction;
    /// the caller deletes the objects after it commits, so no row ever points at a missing one.</summary>
    public static async Task<IReadOnlyList<string>> RemoveFilesOfAsync(SdesDbContext db, IReadOnlyCollection<Guid> messageIds, CancellationToken ct)
    {
        var owned = messageIds.Select(m => (Guid?)m).ToList();
        var files = await db.Attachments.Where(a => owned.Contains(a.OwnerId)).ToListAsync(ct);
        db.Attachments.RemoveRange(files);
        return files.Select(f => f.Id.StorageName).ToList();
    }

    private static async Task<CommunicationActivity?> RecordVerdictAsync(SdesDbContext db, Attachment attachment, DateTimeOffset now, CancellationToken ct)
    {
        var action = attachment.Status switch
        {
            AttachmentStatus.Clean => AuditAction.AttachmentScannedClean,
            AttachmentStatus.Infected => AuditAction.AttachmentInfected,
            _ => AuditAction.AttachmentUnscannable,
        };
        CommunicationActivity? activity = null;
        string? reference = null;
        Domain.Processes.BusinessProcess? process = null;
        if (attachment.Module == AttachmentModule.Communications && attachment.OwnerId is { } messageId)
        {
            var communication = await db.Communications.Where(c => c.Messages.Any(m => m.Id == messageId))
                .Include(c => c.Parties).Include(c => c.Messages).ThenInclude(m => m.Attachments).Include(c => c.Events)
                .AsSplitQuery().FirstOrDefaultAsync(ct);
            if (communication?.FileScanned(attachment.Id.Value, attachment.Status, now) is not null)
            {
                process = await db.BusinessProcesses.AsNoTracking().FirstAsync(p => p.Id == communication.ProcessId, ct);
                reference = communication.Reference.Value;
                activity = new CommunicationActivity(communication.Id, communication.ReferenceNumber, process.Id, process.Name,
                    attachment.Status == AttachmentStatus.Clean ? CommunicationActivityKind.FileScanned : CommunicationActivityKind.FileRemoved,
                    attachment.OrganisationId, communication.Sender.OrganisationId, communication.Recipient.OrganisationId, communication.CurrentLevel);
            }
        }

        db.AuditEvents.Add(AuditEvent.Record(action, now, null, attachment.OrganisationId, "Attachment", attachment.Id.ToString(), reference,
            process, Detail(attachment)));
        return activity;
    }

    /// <summary>The audit detail: size, type and verdict; never the file name (it can hold personal data).</summary>
    public static string Detail(Attachment attachment)
    {
        var detail = $"{attachment.Module}, .{attachment.Extension}, {attachment.SizeBytes:N0} bytes, {attachment.Status}";
        if (attachment.ScanDetail is { Length: > 0 } scan && attachment.IsRefused)
        {
            detail += ": " + scan;
        }

        return detail.Length > 400 ? detail[..400] : detail;
    }
}

[DisallowConcurrentExecution]
internal sealed class AttachmentRescanJob(AttachmentMaintenance maintenance) : IJob
{
    public static readonly JobKey Key = new("attachment-rescan", "attachments");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await maintenance.RescanDueAsync(cancellationToken);
}

[DisallowConcurrentExecution]
internal sealed class AttachmentSweepJob(AttachmentMaintenance maintenance) : IJob
{
    public static readonly JobKey Key = new("attachment-sweep", "attachments");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await maintenance.SweepAsync(cancellationToken);
}
