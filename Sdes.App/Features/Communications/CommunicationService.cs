using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Sdes.App.Features.Admin;
using Sdes.App.Features.Attachments;
using Sdes.Domain.Audit;
using Sdes.Domain.Common;
using Sdes.Domain.Communications;
using Sdes.Domain.Organisations;
using Sdes.Domain.Processes;
using Sdes.Infrastructure.Notifications;
using Sdes.Infrastructure.Persistence.Sequences;

namespace Sdes.App.Features.Communications;

/// <summary>The SDEP use cases. Each loads through the access rule, asks the aggregate, writes its audit event in the same
/// transaction, and tells the open browsers of both organisations once it has committed.</summary>
public sealed class CommunicationService(AdminOperation operation, TimeProvider time, OperationalCalendar calendar, ICommunicationBus bus)
{
    /// <summary>Spec 10.1(c). Returns the new reference.</summary>
    public async Task<string> SendAsync(ClaimsPrincipal principal, SendForm form, CancellationToken ct = default)
    {
        var (reference, activity) = await RunAsync(principal, async c =>
        {
            var viewer = CommunicationViewer.From(c.Actor);
            var process = await c.Db.BusinessProcesses.AsNoTracking().FirstOrDefaultAsync(p => p.Code == form.ProcessCode, c.Ct);
            DomainException.ThrowIf(process is null || !viewer.IsAssignedTo(process.Id), "Choose a business process you are assigned to.");
            var sender = c.Actor.Organisation;
            var fromRole = sender.Roles.FirstOrDefault(r => CommunicationQueries.RoleKey(r.Mpid.Value, r.Role) == form.FromRole)
                ?? throw new DomainException("Choose one of your organisation's market roles to send from.");
            var (recipient, toRole) = await RecipientAsync(c, form.Recipient);
            var now = time.GetUtcNow();
            var number = await ReferenceAllocator.NextAsync(c.Db, ReferenceKind.Communication, c.Ct);
            var files = await AttachmentUploads.LoadForMessageAsync(c, form.Attachments);
            var communication = Communication.Send(number, process!, c.Actor.Ref, sender, fromRole, recipient, toRole, form.Subject, form.Message,
                form.Tag, form.Bespoke, now, files.Select(AttachedFile).ToList());
            AttachmentUploads.Attach(files, communication.Messages[^1].Id, c.Actor.Ref, now);
            c.Db.Communications.Add(communication);
            Audit(c, AuditAction.CommunicationSent, communication, process!, $"to {recipient.Name} ({toRole.Mpid}) at level 1");
            var sent = Activity(communication, process!, CommunicationActivityKind.Sent, sender.Id);
            await Notifications.NotificationWriter.AddAsync(c, sent, process!, now);
            return (communication.Reference.Value, sent);
        }, ct);
        await bus.PublishAsync(activity, CancellationToken.None);
        return reference;
    }

    /// <summary>Spec 10.1(d) and 13.1: a reply, which makes an archived communication active again.</summary>
    public Task ReplyAsync(ClaimsPrincipal principal, string reference, ReplyForm form, CancellationToken ct = default) =>
        ChangeAsync(principal, reference, async (c, communication, process, now) =>
        {
            var files = await AttachmentUploads.LoadForMessageAsync(c, form.Attachments);
            var reactivated = communication.AddMessage(c.Actor.Ref, c.Actor.Organisation, process, form.Message, form.Tag, now,
                files.Select(AttachedFile).ToList());
            AttachmentUploads.Attach(files, communication.Messages[^1].Id, c.Actor.Ref, now);
            Audit(c, AuditAction.CommunicationMessageAdded, communication, process, $"message {communication.Messages.Count}");
            if (reactivated)
            {
                Audit(c, AuditAction.CommunicationReactivated, communication, process, "by a new message");
            }

            return CommunicationActivityKind.MessageAdded;
        }, ct);

    public Task EscalateAsync(ClaimsPrincipal principal, string reference, CancellationToken ct = default) =>
        ChangeAsync(principal, reference, (c, communication, process, now) =>
        {
            communication.Escalate(c.Actor.Ref, c.Actor.Organisation, process, now, calendar);
            Audit(c, AuditAction.CommunicationEscalated, communication, process, $"to level {communication.CurrentLevel}");
            return CommunicationActivityKind.Escalated;
        }, ct);

    public Task AssignOwnerAsync(ClaimsPrincipal principal, string reference, Guid? ownerId, CancellationToken ct = default) =>
        ChangeAsync(principal, reference, async (c, communication, process, now) =>
        {
            UserRef? owner = null;
            if (ownerId is { } id)
            {
                var user = await c.Db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id && !u.IsDisabled, c.Ct);
                DomainException.ThrowIf(user is null || user.OrganisationId != c.Actor.Organisation.Id,
                    "Choose an Authorised Representative of your organisation assigned to this process.");
                owner = user!.Ref;
            }

            communication.AssignOwner(c.Actor.Ref, c.Actor.Organisation, process, owner, now);
            Audit(c, AuditAction.CommunicationOwnerChanged, communication, process, owner is null ? "owner cleared" : $"owner: {owner.Name}");
            return CommunicationActivityKind.OwnerChanged;
        }, ct);

    public Task ChangeTagsAsync(ClaimsPrincipal principal, string reference, IReadOnlyList<string> tags, CancellationToken ct = default) =>
        ChangeAsync(principal, reference, (c, communication, process, now) =>
        {
            communication.ChangeTags(c.Actor.Ref, c.Actor.Organisation, process, tags, now);
            // The audit keeps that tags changed, not the tags (they can hold customer references).
            Audit(c, AuditAction.CommunicationTagsChanged, communication, process, null);
            return CommunicationActivityKind.TagsChanged;
        }, ct);

    /// <summary>Spec 13.2: archives for both organisations.</summary>
    public Task ArchiveAsync(ClaimsPrincipal principal, string reference, CancellationToken ct = default) =>
        ChangeAsync(principal, reference, (c, communication, process, now) =>
        {
            communication.Archive(c.Actor.Ref, c.Actor.Organisation, process, now);
            Audit(c, AuditAction.CommunicationArchived, communication, process, "manually, for both organisations");
            return CommunicationActivityKind.Archived;
        }, ct);

    /// <summary>Spec 10.1(b)ii and 12.1(b): every opening is audited; the timeline shows it at most hourly per user.</summary>
    public Task RecordViewAsync(ClaimsPrincipal principal, string reference, CancellationToken ct = default) =>
        ChangeAsync(principal, reference, async (c, communication, process, now) =>
        {
            communication.RecordView(c.Actor.Ref, now);
            Audit(c, AuditAction.CommunicationViewed, communication, process, null);
            // Opening it reads the viewer's notifications about it (the bell counts what is still to look at).
            var me = c.Actor.User.Id;
            var id = communication.Id;
            foreach (var notification in await c.Db.UserNotifications.Where(n => n.UserId == me && n.CommunicationId == id && n.ReadAt == null).ToListAsync(c.Ct))
            {
                notification.MarkRead(now);
            }

            return CommunicationActivityKind.Viewed;
        }, ct);

    /// <summary>Spec 10.1(b)vii: the messages and the events the viewer's organisation may see, oldest first. Audited.</summary>
    public Task<IReadOnlyList<TranscriptLine>> TranscriptAsync(ClaimsPrincipal principal, string reference, CancellationToken ct = default) =>
        operation.RunAsync(principal, async c =>
        {
            var viewer = CommunicationViewer.From(c.Actor);
            var communication = await CommunicationQueries.LoadAsync(c, viewer, reference, tracked: true);
            var process = await c.Db.BusinessProcesses.AsNoTracking().FirstAsync(p => p.Id == communication.ProcessId, c.Ct);
            var now = time.GetUtcNow();
            communication.RecordTranscriptDownload(c.Actor.Ref, now);
            Audit(c, AuditAction.CommunicationTranscriptDownloaded, communication, process, null);
            var orgIds = communication.Parties.Select(p => p.OrganisationId).ToList();
            var names = await c.Db.Organisations.AsNoTracking().Where(o => orgIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, c.Ct);
            var sde = communication.Reference.Value;
            var lines = communication.Messages.Select(m => new TranscriptLine(sde, "Message", m.SentAt, names.GetValueOrDefault(m.OrganisationId, ""),
                    m.AuthorName, m.Text))
                .Concat(communication.Events.Where(e => e.IsVisibleTo(viewer.OrganisationId) && e.Kind != CommunicationEventKind.MessageAdded)
                    .Select(e => new TranscriptLine(sde, Describe(e.Kind), e.OccurredAt,
                        e.ActorOrganisationId is { } o ? names.GetValueOrDefault(o, "") : "", e.ActorName ?? "SDES", e.Detail ?? "")))
                .OrderBy(l => l.At).ThenBy(l => l.Kind == "Message" ? 1 : 0).ToList();
            return (IReadOnlyList<TranscriptLine>)lines;
        }, ct);

    public static string Describe(CommunicationEventKind kind) => kind switch
    {
        CommunicationEventKind.Sent => "Sent",
        CommunicationEventKind.Viewed => "Viewed",
        CommunicationEventKind.MessageAdded => "Message added",
        CommunicationEventKind.OwnerChanged => "Owner changed",
        CommunicationEventKind.Escalated => "Escalated",
        CommunicationEventKind.Archived => "Archived",
        CommunicationEventKind.Reactivated => "Re-activated",
        CommunicationEventKind.TagsChanged => "Tags changed",
        CommunicationEventKind.TranscriptDownloaded => "Transcript downloaded",
        CommunicationEventKind.AttachmentRemoved => "File removed",
        _ => kind.ToString(),
    };

    private Task ChangeAsync(ClaimsPrincipal principal, string reference,
        Func<AdminContext, Communication, BusinessProcess, DateTimeOffset, CommunicationActivityKind> change, CancellationToken ct) =>
        ChangeAsync(principal, reference, (c, x, p, now) => Task.FromResult(change(c, x, p, now)), ct);

    private async Task ChangeAsync(ClaimsPrincipal principal, string reference,
        Func<AdminContext, Communication, BusinessProcess, DateTimeOffset, Task<CommunicationActivityKind>> change, CancellationToken ct)
    {
        var activity = await RunAsync(principal, async c =>
        {
            var viewer = CommunicationViewer.From(c.Actor);
            var communication = await CommunicationQueries.LoadAsync(c, viewer, reference, tracked: true);
            var process = await c.Db.BusinessProcesses.AsNoTracking().FirstAsync(p => p.Id == communication.ProcessId, c.Ct);
            var now = time.GetUtcNow();
            var kind = await change(c, communication, process, now);
            var activity = Activity(communication, process, kind, c.Actor.Organisation.Id);
            await Notifications.NotificationWriter.AddAsync(c, activity, process, now);
            return activity;
        }, ct);
        await bus.PublishAsync(activity, CancellationToken.None);
    }

    private async Task<T> RunAsync<T>(ClaimsPrincipal principal, Func<AdminContext, Task<T>> work, CancellationToken ct)
    {
        try
        {
            return await operation.RunAsync(principal, work, ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new DomainException("Someone changed this communication at the same moment. Nothing was saved; look at it again and retry.");
        }
    }

    private async Task<(Organisation Organisation, MarketParticipantRole Role)> RecipientAsync(AdminContext c, string? key)
    {
        var parts = (key ?? string.Empty).Split('|');
        if (parts.Length == 2 && Guid.TryParse(parts[0], out var orgId))
        {
            var id = new OrganisationId(orgId);
            var organisation = await c.Db.Organisations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id && !o.IsServiceProvider, c.Ct);
            var role = organisation?.Roles.FirstOrDefault(r => CommunicationQueries.RoleKey(r.Mpid.Value, r.Role) == parts[1]);
            if (role is not null)
            {
                return (organisation!, role);
            }
        }

        throw new DomainException("Choose an organisation and market role to send to.");
    }

    private void Audit(AdminContext c, AuditAction action, Communication communication, BusinessProcess process, string? detail) =>
        c.Db.AuditEvents.Add(AuditEvent.Record(action, time.GetUtcNow(), c.Actor.Ref, c.Actor.Organisation.Id, "Communication",
            communication.Id.ToString(), communication.Reference.Value, process, detail));

    private static AttachedFile AttachedFile(Domain.Attachments.Attachment a) => new(a.Id.Value, a.FileName, a.SizeBytes, a.Status);

    private static CommunicationActivity Activity(Communication communication, BusinessProcess process, CommunicationActivityKind kind, OrganisationId actor) =>
        new(communication.Id, communication.ReferenceNumber, process.Id, process.Name, kind, actor, communication.Sender.OrganisationId,
            communication.Recipient.OrganisationId, communication.CurrentLevel);
}
