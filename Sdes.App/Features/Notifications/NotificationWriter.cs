using Microsoft.EntityFrameworkCore;
using Sdes.App.Features.Admin;
using Sdes.Domain.Processes;
using Sdes.Infrastructure.Notifications;

namespace Sdes.App.Features.Notifications;

/// <summary>Spec 10.1(f): one notification row per AR a communication reached, added to the use case's own transaction so
/// that a crash after the commit cannot lose one and a rolled-back change leaves none.</summary>
internal static class NotificationWriter
{
    /// <summary>The users of the organisation it arrived at who work the process at the level concerned (the same rule as the
    /// live toast), except disabled accounts.</summary>
    public static async Task AddAsync(AdminContext c, CommunicationActivity activity, BusinessProcess process, DateTimeOffset now)
    {
        NotificationKind? kind = activity.Kind switch
        {
            CommunicationActivityKind.Sent => NotificationKind.NewCommunication,
            CommunicationActivityKind.MessageAdded => NotificationKind.NewMessage,
            CommunicationActivityKind.Escalated => NotificationKind.Escalated,
            _ => null,
        };
        if (kind is null || activity.ArrivedAt is not { } organisationId)
        {
            return;
        }

        var organisation = await c.Db.Organisations.AsNoTracking().FirstAsync(o => o.Id == organisationId, c.Ct);
        var assigned = organisation.Assignments.Where(a => a.ProcessId == process.Id && a.Level == activity.Level)
            .Select(a => a.UserId.Value).Distinct().ToList();
        if (assigned.Count == 0)
        {
            return;
        }

        var users = await c.Db.Users.AsNoTracking().Where(u => assigned.Contains(u.Id) && !u.IsDisabled).Select(u => u.Id).ToListAsync(c.Ct);
        c.Db.UserNotifications.AddRange(users.Select(id => UserNotification.Create(id, organisationId, activity.CommunicationId,
            activity.ReferenceNumber, process, kind.Value, activity.Level, now)));
    }
}
