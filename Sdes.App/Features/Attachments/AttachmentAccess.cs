using Sdes.App.Features.Communications;
using Sdes.Domain.Attachments;
using Sdes.Infrastructure.Persistence;

namespace Sdes.App.Features.Attachments;

/// <summary>The attachment access rule, the only way downloads reach files: an upload not yet attached is visible to its
/// uploader alone; a file on an SDEP message is visible to whoever may see that communication (<see cref="CommunicationAccess"/>).
/// CMRP and metering point requests add their own clause when they arrive. Everything else is "not found".</summary>
public static class AttachmentAccess
{
    public static IQueryable<Attachment> VisibleTo(this IQueryable<Attachment> attachments, SdesDbContext db, CommunicationViewer viewer)
    {
        var me = viewer.User.Id;
        var messages = db.CommunicationMessages.Where(m => db.Communications.VisibleTo(viewer).Any(c => c.Id == m.CommunicationId));
        return attachments.Where(a =>
            (a.OwnerId == null && a.UploadedByUserId == me)
            || (a.Module == AttachmentModule.Communications && messages.Any(m => m.Id == a.OwnerId)));
    }
}
