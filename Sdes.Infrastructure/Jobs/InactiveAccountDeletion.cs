using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Quartz;
using Sdes.Domain.Audit;
using Sdes.Domain.Common;
using Sdes.Domain.Organisations;
using Sdes.Domain.Processes;
using Sdes.Infrastructure.Identity;
using Sdes.Infrastructure.Persistence;

namespace Sdes.Infrastructure.Jobs;

public sealed record InactivityRunResult(int EmailsQueued, int Deleted);

/// <summary>Spec 2.7 and 2.8: reminds users in the 7 days before their account is deleted for inactivity, tells their MAU
/// each day, and on day 90 deletes the account, handing any level where they were the last user to the MAU. Each user is
/// one transaction: reminder records, their outbox rows, the hand-over, the audit and the deletion commit together. What
/// was sent is recorded under a unique key, so a run sends only what is due and unsent: twice a day sends nothing twice,
/// and a missed day is caught up on the next run (ADR 0011).</summary>
public sealed class InactiveAccountDeletion(IServiceScopeFactory scopes, TimeProvider time, InactivityMailer mailer,
    UserAccessRevocations revocations, ILogger<InactiveAccountDeletion> logger)
{
    /// <summary>Nobody is deleted without a recorded warning at least this old: the safeguard for a countdown the job never
    /// saw (first deployment, a long outage), where the warning is given first and the deletion follows on a later run.</summary>
    public static readonly TimeSpan MinimumWarning = TimeSpan.FromHours(12);

    public async Task<InactivityRunResult> RunAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var cutoff = InactivityCountdown.WindowStartsForAnchorsBefore(now);
        List<Guid> candidates;
        Dictionary<ProcessId, BusinessProcess> processes;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SdesDbContext>();
            // SDES Provider staff are outside spec 2.7: their accounts follow the provider's own joiner-leaver process.
            var providerOrganisations = db.Organisations.Where(o => o.IsServiceProvider).Select(o => o.Id);
            candidates = await db.Users.AsNoTracking()
                .Where(u => u.LastSignInAt <= cutoff || (u.LastSignInAt == null && u.CreatedAt <= cutoff))
                .Where(u => !providerOrganisations.Contains(u.OrganisationId))
                .OrderBy(u => u.Id).Select(u => u.Id).ToListAsync(ct);
            processes = await db.BusinessProcesses.AsNoTracking().ToDictionaryAsync(p => p.Id, ct);
        }

        var emails = 0;
        var deleted = 0;
        foreach (var userId in candidates)
        {
            try
            {
                var (queued, wasDeleted) = await ProcessAsync(userId, processes, now, ct);
                emails += queued;
                deleted += wasDeleted ? 1 : 0;
            }
            catch (DbUpdateException ex)
            {
                // Another run recorded the same reminder first (the unique key), or the user changed meanwhile: the next run decides again.
                logger.LogWarning(ex, "Inactivity check for user {UserId} was rolled back", userId);
            }
        }

        if (emails + deleted > 0)
        {
            logger.LogInformation("Inactivity run queued {Emails} emails and deleted {Deleted} accounts", emails, deleted);
        }

        return new InactivityRunResult(emails, deleted);
    }

    private async Task<(int Emails, bool Deleted)> ProcessAsync(Guid userId, Dictionary<ProcessId, BusinessProcess> processes,
        DateTimeOffset now, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SdesDbContext>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null)
        {
            return (0, false);
        }

        var organisation = await db.Organisations.FirstAsync(o => o.Id == user.OrganisationId, ct);
        var anchor = InactivityCountdown.AnchorOf(user.LastSignInAt, user.CreatedAt);
        var sent = await db.InactivityReminders.AsNoTracking().Where(r => r.UserId == userId && r.CycleAnchor == anchor).ToListAsync(ct);
        var isMasterAdmin = organisation.IsMasterAdmin(user.UserId);

        if (InactivityCountdown.IsDeletionDue(anchor, now) && !isMasterAdmin)
        {
            if (sent.Any(r => r.SentAt <= now - MinimumWarning))
            {
                var done = await DeleteAsync(scope, db, user, organisation, processes, now, ct);
                await tx.CommitAsync(ct);
                if (done)
                {
                    revocations.Revoke(user.Id, now);
                }

                return (0, done);
            }

            if (sent.Count > 0)
            {
                return (0, false);
            }

            // Never warned in this countdown: warn now (as the last reminder day) and delete on a later run.
            var late = await RemindAsync(db, user, organisation, processes, anchor, [InactivityCountdown.LastReminderDay], sent, now, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return (late, false);
        }

        var days = InactivityCountdown.ReminderDaysDue(anchor, now);
        var queued = await RemindAsync(db, user, organisation, processes, anchor, days, sent, now, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (queued, false);
    }

    private async Task<int> RemindAsync(SdesDbContext db, SdesUser user, Organisation organisation, Dictionary<ProcessId, BusinessProcess> processes,
        DateTimeOffset anchor, IReadOnlyList<int> days, List<InactivityReminder> sent, DateTimeOffset now, CancellationToken ct)
    {
        var isMasterAdmin = organisation.IsMasterAdmin(user.UserId);
        var masterAdmin = isMasterAdmin || organisation.MasterAdminUserId is not { } mauId ? null
            : await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == mauId.Value && !u.IsDisabled, ct);
        var levels = HeldLevels(organisation, user.UserId, processes);
        var queued = 0;
        foreach (var day in days)
        {
            if (!sent.Any(r => r.Day == day && r.Recipient == InactivityReminderRecipient.User))
            {
                // A disabled user cannot sign in, so they get no email; the record still marks the warning as given (ADR 0011).
                var email = user.IsDisabled || user.Email is null ? null : mailer.ReminderToUser(user, organisation, anchor, day, now);
                Record(db, user, anchor, day, InactivityReminderRecipient.User, email, now);
                queued += email is null ? 0 : 1;
            }

            if (masterAdmin?.Email is not null && !sent.Any(r => r.Day == day && r.Recipient == InactivityReminderRecipient.MasterAdmin))
            {
                var email = mailer.NoticeToMasterAdmin(masterAdmin, user, organisation, anchor, day, levels, now);
                Record(db, user, anchor, day, InactivityReminderRecipient.MasterAdmin, email, now);
                queued++;
            }
        }

        return queued;
    }

    private static void Record(SdesDbContext db, SdesUser user, DateTimeOffset anchor, int day, InactivityReminderRecipient recipient,
        Email.OutboxMessage? email, DateTimeOffset now)
    {
        if (email is not null)
        {
            db.OutboxMessages.Add(email);
        }

        db.InactivityReminders.Add(InactivityReminder.Record(user.Id, anchor, day, recipient, email?.Id, now));
    }

    private async Task<bool> DeleteAsync(AsyncServiceScope scope, SdesDbContext db, SdesUser user, Organisation organisation,
        Dictionary<ProcessId, BusinessProcess> processes, DateTimeOffset now, CancellationToken ct)
    {
        var levels = HeldLevels(organisation, user.UserId, processes);
        IReadOnlyList<(ProcessId ProcessId, int Level)> handedOver;
        try
        {
            handedOver = organisation.HandOverInactiveUser(user.UserId, now);
        }
        catch (DomainException ex)
        {
            logger.LogWarning("Inactive user {UserId} was not deleted: {Reason}", user.Id, ex.Message);
            return false;
        }

        foreach (var (processId, level) in handedOver)
        {
            processes.TryGetValue(processId, out var process);
            db.AuditEvents.Add(AuditEvent.Record(AuditAction.AssignmentAdded, now, null, organisation.Id, "User",
                organisation.MasterAdminUserId!.Value.Value.ToString(), null, process,
                $"level {level}: the Master Admin User is now the default contact, as the last user there was deleted for inactivity (spec 2.7(c))"));
        }

        var held = levels.Count == 0 ? "none" : string.Join(", ", levels.Select(l => l + (l.LastUser ? " (last user)" : string.Empty)));
        var detail = $"no sign-in for {InactivityCountdown.DeletionDay} days (spec 2.7); levels held: {held}";
        db.AuditEvents.Add(AuditEvent.Record(AuditAction.UserDeletedForInactivity, now, null, organisation.Id, "User", user.Id.ToString(),
            user.DisplayName, detail: detail.Length > 400 ? detail[..397] + "..." : detail));
        db.AccountSecrets.RemoveRange(await db.AccountSecrets.Where(s => s.UserId == user.Id).ToListAsync(ct));
        await db.SaveChangesAsync(ct);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<SdesUser>>();
        var result = await users.DeleteAsync(user);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Deleting an inactive account failed: " + string.Join("; ", result.Errors.Select(e => e.Code)));
        }

        return true;
    }

    /// <summary>The levels a user holds, flagging where they are the only user (spec 2.8), in a stable order.</summary>
    public static IReadOnlyList<HeldLevel> HeldLevels(Organisation organisation, UserId userId, IReadOnlyDictionary<ProcessId, BusinessProcess> processes) =>
        organisation.Assignments.Where(a => a.UserId == userId)
            .Select(a => new HeldLevel(processes.TryGetValue(a.ProcessId, out var p) ? p.Name : "A process", a.Level,
                organisation.UsersAt(a.ProcessId, a.Level).Count == 1))
            .OrderBy(l => l.ProcessName, StringComparer.Ordinal).ThenBy(l => l.Level).ToList();
}

[DisallowConcurrentExecution]
internal sealed class InactiveAccountDeletionJob(InactiveAccountDeletion deletion) : IJob
{
    public static readonly JobKey Key = new("inactive-account-deletion", "identity");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await deletion.RunAsync(cancellationToken);
}
