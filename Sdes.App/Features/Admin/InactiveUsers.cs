using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Sdes.App.Features.Shared;
using Sdes.Domain.Audit;
using Sdes.Domain.Common;
using Sdes.Domain.Organisations;
using Sdes.Infrastructure.Identity;
using Sdes.Infrastructure.Jobs;

namespace Sdes.App.Features.Admin;

public sealed record InactiveUserRow(Guid Id, string DisplayName, int DaysInactive, DateTimeOffset DeletionDueAt, bool IsMasterAdmin,
    bool IsDisabled, IReadOnlyList<HeldLevel> Levels, bool RemindedToday)
{
    public bool LastUserSomewhere => Levels.Any(l => l.LastUser);
}

/// <summary>The MAU's view of accounts approaching deletion for inactivity (spec 2.7, 2.8), and the one thing they can do
/// about it besides reassigning levels: email the user a reminder now. Only the MAU and admins of the organisation may use it;
/// anyone else, operators included, gets not found.</summary>
public sealed class InactiveUsers(AdminOperation operation, InactivityMailer mailer, TimeProvider time)
{
    /// <summary>Accounts are listed from 30 days before deletion, so the MAU can plan cover before the emails start.</summary>
    public const int ListFromDay = 60;

    public Task<IReadOnlyList<InactiveUserRow>> ListAsync(ClaimsPrincipal principal, CancellationToken ct = default) =>
        operation.QueryAsync(principal, async c =>
        {
            var org = OwnOrganisation(c);
            var now = time.GetUtcNow();
            var cutoff = now - ListFromDay * InactivityCountdown.Day;
            var users = await c.Db.Users.AsNoTracking()
                .Where(u => u.OrganisationId == org.Id && (u.LastSignInAt <= cutoff || (u.LastSignInAt == null && u.CreatedAt <= cutoff)))
                .OrderBy(u => u.LastSignInAt ?? u.CreatedAt).Take(500).ToListAsync(c.Ct); // the nearest deletions first
            var ids = users.Select(u => u.Id).ToList();
            var requested = await c.Db.InactivityReminders.AsNoTracking()
                .Where(r => ids.Contains(r.UserId) && r.Recipient == InactivityReminderRecipient.UserOnRequest).ToListAsync(c.Ct);
            var processes = await c.Db.BusinessProcesses.AsNoTracking().ToDictionaryAsync(p => p.Id, c.Ct);
            return (IReadOnlyList<InactiveUserRow>)users.Select(u =>
            {
                var anchor = InactivityCountdown.AnchorOf(u.LastSignInAt, u.CreatedAt);
                var day = InactivityCountdown.DayOf(anchor, now);
                return new InactiveUserRow(u.Id, u.DisplayName, day, InactivityCountdown.DeletionDueAt(anchor), org.IsMasterAdmin(u.UserId),
                    u.IsDisabled, InactiveAccountDeletion.HeldLevels(org, u.UserId, processes),
                    requested.Any(r => r.CycleAnchor == anchor && r.Day == day));
            }).OrderBy(r => r.DeletionDueAt).ThenBy(r => r.DisplayName, StringComparer.Ordinal).ToList();
        }, ct);

    /// <summary>Emails the user a reminder to sign in, at most once per day of inactivity; audited.</summary>
    public Task RemindAsync(ClaimsPrincipal principal, Guid userId, CancellationToken ct = default) =>
        operation.RunAsync(principal, async c =>
        {
            var org = OwnOrganisation(c);
            var user = await c.Db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, c.Ct);
            if (user is null || user.OrganisationId != org.Id)
            {
                throw c.Deny("User", userId.ToString());
            }

            var now = time.GetUtcNow();
            var anchor = InactivityCountdown.AnchorOf(user.LastSignInAt, user.CreatedAt);
            var day = InactivityCountdown.DayOf(anchor, now);
            DomainException.ThrowIf(user.IsDisabled, $"{user.DisplayName} is disabled and cannot sign in. Enable the account first.");
            DomainException.ThrowIf(day < ListFromDay, $"{user.DisplayName} signed in recently; their account is not due for deletion.");
            DomainException.ThrowIf(await c.Db.InactivityReminders.AnyAsync(r => r.UserId == user.Id && r.CycleAnchor == anchor && r.Day == day
                    && r.Recipient == InactivityReminderRecipient.UserOnRequest, c.Ct),
                $"{user.DisplayName} has already been sent a reminder today. You can send another tomorrow.");
            var email = mailer.ReminderToUser(user, org, anchor, Math.Min(day, InactivityCountdown.LastReminderDay), now);
            c.Db.OutboxMessages.Add(email);
            c.Db.InactivityReminders.Add(InactivityReminder.Record(user.Id, anchor, day, InactivityReminderRecipient.UserOnRequest, email.Id, now));
            c.Db.AuditEvents.Add(AuditEvent.Record(AuditAction.InactivityReminderRequested, now, c.Actor.Ref, org.Id, "User", user.Id.ToString(),
                user.DisplayName, detail: $"day {day} without a sign-in"));
        }, ct);

    private static Organisation OwnOrganisation(AdminContext c)
    {
        if (c.Actor.IsOperator || !(c.Actor.IsOrganisationAdmin || c.Actor.IsMasterAdmin))
        {
            throw c.Deny("Organisation", c.Actor.Organisation.Id.ToString());
        }

        return c.Actor.Organisation;
    }
}
