using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Sdes.App.Features.Admin;
using Sdes.App.Features.Communications;
using Sdes.Domain.Attachments;
using Sdes.Domain.Audit;
using Sdes.Domain.Common;
using Sdes.Domain.Communications;
using Sdes.Infrastructure.Attachments;

namespace Sdes.App.Features.Attachments;

/// <summary>A file cleared for download: what the endpoint needs to decrypt and stream it.</summary>
public sealed record DownloadItem(AttachmentId Id, string FileName, string KeyId, byte[] WrappedKey);

/// <summary>Not downloadable (yet): pending scan, infected or unscannable. The endpoint answers 409 with the reason.</summary>
public sealed class NotDownloadableException : Exception
{
    public NotDownloadableException() : base("This file cannot be downloaded.") { }

    public NotDownloadableException(string message) : base(message) { }

    public NotDownloadableException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>Download use cases (spec 10.1(b)viii): one file, or every clean file of a communication as one zip. Both go through
/// the access rule and are audited before a byte is sent.</summary>
public sealed class AttachmentDownloads(AdminOperation operation, AttachmentEncryption encryption, IAttachmentStore store, TimeProvider time)
{
    public Task<DownloadItem> AuthorizeFileAsync(ClaimsPrincipal principal, Guid id, CancellationToken ct = default) =>
        operation.RunAsync(principal, async c =>
        {
            var viewer = CommunicationViewer.From(c.Actor);
            var key = new AttachmentId(id);
            var attachment = await c.Db.Attachments.AsNoTracking().VisibleTo(c.Db, viewer).FirstOrDefaultAsync(a => a.Id == key, c.Ct)
                ?? throw c.Deny("Attachment", id.ToString());
            if (!attachment.IsDownloadable)
            {
                throw new NotDownloadableException(Reason(attachment.Status));
            }

            c.Db.AuditEvents.Add(AuditEvent.Record(AuditAction.AttachmentDownloaded, time.GetUtcNow(), c.Actor.Ref, c.Actor.Organisation.Id,
                "Attachment", attachment.Id.ToString(), detail: $".{attachment.Extension}, {attachment.SizeBytes:N0} bytes"));
            return Item(attachment);
        }, ct);

    /// <summary>Every clean file on the communication's messages, in thread order.</summary>
    public Task<(string Reference, IReadOnlyList<DownloadItem> Files)> AuthorizeZipAsync(ClaimsPrincipal principal, string reference,
        CancellationToken ct = default) =>
        operation.RunAsync(principal, async c =>
        {
            var viewer = CommunicationViewer.From(c.Actor);
            var communication = await CommunicationQueries.LoadAsync(c, viewer, reference, tracked: false);
            var ids = communication.Messages.OrderBy(m => m.SentAt).SelectMany(m => m.Attachments.OrderBy(a => a.Id))
                .Where(a => a.Status == AttachmentStatus.Clean).Select(a => new AttachmentId(a.Id)).ToList();
            var rows = await c.Db.Attachments.AsNoTracking().Where(a => ids.Contains(a.Id)).ToListAsync(c.Ct);
            var files = ids.Select(i => rows.FirstOrDefault(r => r.Id == i)).Where(r => r is { IsDownloadable: true }).Select(r => Item(r!)).ToList();
            if (files.Count == 0)
            {
                throw new NotDownloadableException("No files on this communication can be downloaded yet: files appear once their virus scan is clean.");
            }

            var process = await c.Db.BusinessProcesses.AsNoTracking().FirstAsync(p => p.Id == communication.ProcessId, c.Ct);
            c.Db.AuditEvents.Add(AuditEvent.Record(AuditAction.AttachmentsZipDownloaded, time.GetUtcNow(), c.Actor.Ref, c.Actor.Organisation.Id,
                "Communication", communication.Id.ToString(), communication.Reference.Value, process, $"{files.Count} files"));
            return (communication.Reference.Value, (IReadOnlyList<DownloadItem>)files);
        }, ct);

    /// <summary>The plaintext of a cleared file. Every segment is authenticated before its bytes are returned; tampering
    /// throws <see cref="AttachmentIntegrityException"/>.</summary>
    public async Task<Stream> OpenAsync(DownloadItem item, CancellationToken ct)
    {
        var dataKey = encryption.Unwrap(new WrappedKey(item.KeyId, item.WrappedKey));
        var stored = await store.OpenReadAsync(item.Id.StorageName, ct);
        return encryption.DecryptFrom(stored, dataKey, item.Id.Value);
    }

    /// <summary>Reads the whole file once to prove it is intact, so a damaged file fails with a clear answer before the
    /// response starts instead of part-way through it.</summary>
    public async Task VerifyAsync(DownloadItem item, CancellationToken ct)
    {
        await using var plain = await OpenAsync(item, ct);
        await plain.CopyToAsync(Stream.Null, ct);
    }

    public static string Reason(AttachmentStatus status) => status switch
    {
        AttachmentStatus.PendingScan => "This file is waiting for its virus scan. It can be downloaded once the scan finds it clean.",
        AttachmentStatus.Infected => "This file failed its virus scan (a virus was found) and cannot be downloaded.",
        AttachmentStatus.Unscannable => "This file could not be virus scanned and cannot be downloaded.",
        _ => "This file is no longer stored.",
    };

    private static DownloadItem Item(Attachment a) => new(a.Id, a.FileName, a.KeyId, a.WrappedKey);
}
