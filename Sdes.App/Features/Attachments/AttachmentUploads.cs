using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Sdes.App.Features.Admin;
using Sdes.Domain.Attachments;
using Sdes.Domain.Audit;
using Sdes.Domain.Common;
using Sdes.Infrastructure.Attachments;

namespace Sdes.App.Features.Attachments;

/// <summary>What an upload came to, for the picker: an id to attach when it is usable, and a sentence for the user.</summary>
public sealed record UploadResult(Guid? Id, string FileName, long SizeBytes, AttachmentStatus? Status, string? Problem)
{
    public bool Usable => Id is not null && Status is AttachmentStatus.Clean or AttachmentStatus.PendingScan;
}

/// <summary>The upload use case shared by every module: the file streams through the pipeline (limit, content check,
/// encryption, virus scan) with no transaction open; the row and its audit event are then saved together.</summary>
public sealed class AttachmentUploads(AdminOperation operation, AttachmentIngestor ingestor, TimeProvider time, ILogger<AttachmentUploads> logger)
{
    /// <summary>Files one user may have uploaded in the last day and not yet sent (a few messages' worth).</summary>
    public const int MaxUnsentUploads = 60;

    public async Task<UploadResult> UploadAsync(ClaimsPrincipal principal, AttachmentModule module, string? fileName, Stream content,
        long maxBytes, IProgress<long>? progress, CancellationToken ct = default)
    {
        AttachmentFileName name;
        try
        {
            name = AttachmentFileName.Parse(fileName);
        }
        catch (DomainException ex)
        {
            return new UploadResult(null, fileName ?? string.Empty, 0, null, ex.Message);
        }

        UserRef uploader;
        try
        {
            uploader = await UploaderAsync(principal, ct);
        }
        catch (DomainException ex)
        {
            return new UploadResult(null, name.Value, 0, null, ex.Message);
        }

        var limit = Math.Min(maxBytes, AttachmentPolicy.For(module).MaxFileBytes);
        Attachment attachment;
        try
        {
            attachment = await ingestor.IngestAsync(content, name, module, limit, uploader, time.GetUtcNow(), progress, ct);
        }
        catch (DomainException ex)
        {
            await AuditRefusalAsync(principal, name, module, ct);
            return new UploadResult(null, name.Value, 0, null, ex.Message);
        }

        await operation.RunAsync(principal, c =>
        {
            c.Db.Attachments.Add(attachment);
            var action = attachment.Status switch
            {
                AttachmentStatus.Infected => AuditAction.AttachmentInfected,
                AttachmentStatus.Unscannable => AuditAction.AttachmentUnscannable,
                _ => AuditAction.AttachmentUploaded,
            };
            c.Db.AuditEvents.Add(AuditEvent.Record(action, time.GetUtcNow(), c.Actor.Ref, c.Actor.Organisation.Id, "Attachment",
                attachment.Id.ToString(), detail: AttachmentMaintenance.Detail(attachment)));
            return Task.CompletedTask;
        }, ct);
        logger.LogInformation("Attachment {AttachmentId} uploaded ({Bytes} bytes, {Status})", attachment.Id, attachment.SizeBytes, attachment.Status);
        return new UploadResult(attachment.Id.Value, attachment.FileName, attachment.SizeBytes, attachment.Status, Problem(attachment));
    }

    private Task<UserRef> UploaderAsync(ClaimsPrincipal principal, CancellationToken ct) =>
        operation.QueryAsync(principal, async c =>
        {
            DomainException.ThrowIf(c.Actor.Organisation.Assignments.All(a => a.UserId != c.Actor.User.UserId),
                "You are not assigned to any business process, so you cannot attach files.");
            // Uploads that were never sent hold storage until the sweeper takes them: cap them per user.
            var me = c.Actor.User.UserId;
            var since = time.GetUtcNow() - Attachment.UnattachedLifetime;
            var waiting = await c.Db.Attachments.CountAsync(a => a.UploadedByUserId == me && a.OwnerId == null && a.UploadedAt > since, c.Ct);
            DomainException.ThrowIf(waiting >= MaxUnsentUploads,
                $"You have {waiting} uploaded files that are not on a sent message yet. Send or remove some before uploading more.");
            return c.Actor.Ref;
        }, ct);

    /// <summary>Removes an upload the user has not attached yet (the picker's remove button).</summary>
    public Task DiscardAsync(ClaimsPrincipal principal, Guid id, CancellationToken ct = default) =>
        operation.RunAsync(principal, async c =>
        {
            var key = new AttachmentId(id);
            var attachment = await c.Db.Attachments.FirstOrDefaultAsync(a => a.Id == key && a.UploadedByUserId == c.Actor.User.UserId && a.OwnerId == null, c.Ct);
            if (attachment is null || attachment.IsRefused)
            {
                return;
            }

            // The sweeper removes the stored object once no row points at it.
            c.Db.Attachments.Remove(attachment);
            c.Db.AuditEvents.Add(AuditEvent.Record(AuditAction.AttachmentDeleted, time.GetUtcNow(), c.Actor.Ref, c.Actor.Organisation.Id,
                "Attachment", attachment.Id.ToString(), detail: "removed before sending"));
        }, ct);

    /// <summary>The uploads named on a form, as the author left them. Only the author's own, unattached, usable uploads qualify.</summary>
    internal static async Task<IReadOnlyList<Attachment>> LoadForMessageAsync(AdminContext c, IReadOnlyCollection<Guid>? ids)
    {
        if (ids is null || ids.Count == 0)
        {
            return [];
        }

        DomainException.ThrowIf(ids.Count > 100, "Too many files on one message.");
        var keys = ids.Distinct().Select(i => new AttachmentId(i)).ToList();
        var me = c.Actor.User.UserId;
        var files = await c.Db.Attachments.Where(a => keys.Contains(a.Id) && a.UploadedByUserId == me).ToListAsync(c.Ct);
        DomainException.ThrowIf(files.Count != keys.Count, "One of the files is no longer available; remove it and upload it again.");
        return keys.Select(k => files.Single(f => f.Id == k)).ToList();
    }

    internal static void Attach(IEnumerable<Attachment> files, Guid ownerId, UserRef by, DateTimeOffset now)
    {
        foreach (var file in files)
        {
            file.AttachTo(ownerId, by, now);
        }
    }

    public static string? Problem(Attachment attachment) => attachment.Status switch
    {
        AttachmentStatus.Infected => $"{attachment.FileName} contains a virus. It has been destroyed and will not be attached.",
        AttachmentStatus.Unscannable => $"{attachment.FileName} could not be virus scanned (for example an encrypted or oversized archive). It has been destroyed and will not be attached.",
        AttachmentStatus.PendingScan => "The virus scanner is not available right now. The file will be scanned automatically; recipients can download it only once it is clean.",
        _ => null,
    };

    /// <summary>The reason names the file, and file names can hold personal data: the audit keeps the type and module only.</summary>
    private async Task AuditRefusalAsync(ClaimsPrincipal principal, AttachmentFileName name, AttachmentModule module, CancellationToken ct) =>
        await operation.RunAsync(principal, c =>
        {
            c.Db.AuditEvents.Add(AuditEvent.Record(AuditAction.AttachmentRefused, time.GetUtcNow(), c.Actor.Ref, c.Actor.Organisation.Id,
                "Attachment", null, detail: $"{module}, .{name.Extension}: content or size refused"));
            return Task.CompletedTask;
        }, ct);
}
