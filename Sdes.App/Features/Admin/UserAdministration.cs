using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Sdes.App.Features.Shared;
using Sdes.Domain.Audit;
using Sdes.Domain.Common;
using Sdes.Domain.Organisations;
using Sdes.Domain.Processes;
using Sdes.Infrastructure.Identity;

namespace Sdes.App.Features.Admin;

public sealed record UserRow(Guid Id, string DisplayName, string Email, bool IsMasterAdmin, bool IsAdmin, bool IsDisabled,
    bool AwaitingFirstSignIn, DateTimeOffset? LastSignInAt, int AssignmentCount, bool EmailIsProxy = false);

public sealed record ProcessColumn(Guid ProcessId, string Name, int TopLevel);

public sealed record AssignmentMatrix(string OrganisationName, IReadOnlyList<ProcessColumn> Processes, IReadOnlyList<UserRow> Users,
    IReadOnlySet<(Guid User, Guid Process, int Level)> Assigned)
{
    public int CountAt(Guid process, int level) => Assigned.Count(a => a.Process == process && a.Level == level);

    public IEnumerable<(ProcessColumn Process, int Level)> Gaps =>
        Processes.SelectMany(p => Enumerable.Range(1, p.TopLevel).Select(l => (p, l))).Where(x => CountAt(x.p.ProcessId, x.l) == 0);
}

/// <summary>"Maintain Assigned Users" (spec 2.5, 2.6): the MAU's and organisation admins' use cases.</summary>
public sealed class UserAdministration(AdminOperation operation, AccountProvisioning provisioning, UserAccessRevocations revocations, TimeProvider time)
{
    public Task<IReadOnlyList<UserRow>> ListAsync(ClaimsPrincipal principal, OrganisationId organisationId, string? search, CancellationToken ct = default) =>
        operation.QueryAsync(principal, async c =>
        {
            var org = await LoadOrganisationAsync(c, organisationId);
            return await UserRowsAsync(c, org, search);
        }, ct);

    public Task<Guid> CreateAsync(ClaimsPrincipal principal, OrganisationId organisationId, NewUserForm form, CancellationToken ct = default) =>
        operation.RunAsync(principal, async c =>
        {
            FormValidation.Validate(form);
            var org = await LoadOrganisationAsync(c, organisationId);
            DomainException.ThrowIf(org.IsServiceProvider && !c.Actor.IsOperator, "Only service operators add SDES Provider staff.");
            var user = await provisioning.CreateAsync(c.Users, c.Db, org, form.Email, form.DisplayName, c.Actor.Ref, c.Ct);
            if (form.GrantAdmin)
            {
                await c.Users.AddToRoleAsync(user, org.IsServiceProvider ? SdesRoles.Operator : SdesRoles.OrganisationAdmin);
                Audit(c, AuditAction.AdminRightsGranted, org.Id, user);
            }

            return user.Id;
        }, ct);

    public Task RenameAsync(ClaimsPrincipal principal, Guid userId, string displayName, CancellationToken ct = default) =>
        operation.RunAsync(principal, async c =>
        {
            var (user, org) = await LoadUserAsync(c, userId);
            user.DisplayName = AccountProvisioning.NormaliseName(displayName);
            await c.Users.UpdateAsync(user);
            Audit(c, AuditAction.UserUpdated, org.Id, user);
        }, ct);

    /// <summary>A disabled user loses access at once on this node and within the revalidation interval elsewhere; they
    /// are released from their process levels, which is refused while they are the last user at one.</summary>
    public Task DisableAsync(ClaimsPrincipal principal, Guid userId, CancellationToken ct = default) =>
        operation.RunAsync(principal, async c =>
        {
            var (user, org) = await LoadUserAsync(c, userId, tracked: true);
            DomainException.ThrowIf(user.Id == c.Actor.User.Id, "You cannot disable your own account.");
            DomainException.ThrowIf(org.IsMasterAdmin(user.UserId),
                "The Master Admin User cannot be disabled. Ask the service operator to name another MAU first.");
            DomainException.ThrowIf(user.IsDisabled, $"{user.DisplayName} is already disabled.");
            var catalogue = await ProcessNamesAsync(c);
            org.ReleaseUser(user.UserId, id => catalogue.GetValueOrDefault(id, "a process"));
            user.IsDisabled = true;
            user.LockoutEnd = DateTimeOffset.MaxValue;
            await c.Users.UpdateSecurityStampAsync(user);
            revocations.Revoke(user.Id, time.GetUtcNow());
            Audit(c, AuditAction.UserDisabled, org.Id, user);
        }, ct);

    public Task EnableAsync(ClaimsPrincipal principal, Guid userId, CancellationToken ct = default) =>
        operation.RunAsync(principal, async c =>
        {
            var (user, org) = await LoadUserAsync(c, userId);
            DomainException.ThrowIf(!user.IsDisabled, $"{user.DisplayName} is not disabled.");
            user.IsDisabled = false;
            user.LockoutEnd = null;
            await c.Users.UpdateAsync(user);
            await c.Users.ResetAccessFailedCountAsync(user);
            Audit(c, AuditAction.UserEnabled, org.Id, user);
        }, ct);

    public Task RemoveAsync(ClaimsPrincipal principal, Guid userId, CancellationToken ct = default) =>
        operation.RunAsync(principal, async c =>
        {
            var (user, org) = await LoadUserAsync(c, userId, tracked: true);
            DomainException.ThrowIf(user.Id == c.Actor.User.Id, "You cannot remove your own account.");
            DomainException.ThrowIf(org.IsMasterAdmin(user.UserId),
                "The Master Admin User cannot be removed. Ask the service operator to name another MAU first.");
            var catalogue = await ProcessNamesAsync(c);
            org.ReleaseUser(user.UserId, id => catalogue.GetValueOrDefault(id, "a process"));
            Audit(c, AuditAction.UserRemoved, org.Id, user);
            await c.Db.SaveChangesAsync(c.Ct);
            var result = await c.Users.DeleteAsync(user);
            DomainException.ThrowIf(!result.Succeeded, "The account could not be removed. Try again.");
            revocations.Revoke(user.Id, time.GetUtcNow());
        }, ct);

    public Task SetAdminAsync(ClaimsPrincipal principal, Guid userId, bool admin, CancellationToken ct = default) =>
        operation.RunAsync(principal, async c =>
        {
            var (user, org) = await LoadUserAsync(c, userId);
            DomainException.ThrowIf(org.IsServiceProvider, "Service operator rights are managed by the SDES Provider.");
            var has = await c.Users.IsInRoleAsync(user, SdesRoles.OrganisationAdmin);
            if (admin && !has)
            {
                await c.Users.AddToRoleAsync(user, SdesRoles.OrganisationAdmin);
                Audit(c, AuditAction.AdminRightsGranted, org.Id, user);
            }
            else if (!admin && has)
            {
                DomainException.ThrowIf(org.IsMasterAdmin(user.UserId), "The Master Admin User always keeps admin rights (spec 2.4).");
                await c.Users.RemoveFromRoleAsync(user, SdesRoles.OrganisationAdmin);
                // Their admin pages close now: the session must be re-established with the new rights.
                await c.Users.UpdateSecurityStampAsync(user);
                revocations.Revoke(user.Id, time.GetUtcNow());
                Audit(c, AuditAction.AdminRightsRevoked, org.Id, user);
            }
        }, ct);

    /// <summary>Emails a new one-time password; any password and session the user had stop working.</summary>
    public Task ResetPasswordAsync(ClaimsPrincipal principal, Guid userId, CancellationToken ct = default) =>
        operation.RunAsync(principal, async c =>
        {
            var (user, org) = await LoadUserAsync(c, userId);
            DomainException.ThrowIf(user.IsDisabled, $"{user.DisplayName} is disabled. Enable the account first.");
            user.MustSetPassword = true;
            if (await c.Users.HasPasswordAsync(user))
            {
                await c.Users.RemovePasswordAsync(user);
            }

            await c.Users.UpdateSecurityStampAsync(user);
            revocations.Revoke(user.Id, time.GetUtcNow());
            await provisioning.IssueSecretAsync(c.Users, c.Db, user, org, c.Actor.Ref, c.Ct);
        }, ct);

    /// <summary>Spec 10.1(f): a shared or forwarding mailbox gets no notification emails, not even quick-response ones.</summary>
    public Task SetEmailProxyAsync(ClaimsPrincipal principal, Guid userId, bool proxy, CancellationToken ct = default) =>
        operation.RunAsync(principal, async c =>
        {
            var (user, org) = await LoadUserAsync(c, userId);
            if (user.EmailIsProxy == proxy)
            {
                return;
            }

            user.EmailIsProxy = proxy;
            await c.Users.UpdateAsync(user);
            Audit(c, proxy ? AuditAction.EmailProxyMarked : AuditAction.EmailProxyCleared, org.Id, user);
        }, ct);

    public Task<AssignmentMatrix> GetMatrixAsync(ClaimsPrincipal principal, OrganisationId organisationId, CancellationToken ct = default) =>
        operation.QueryAsync(principal, async c =>
        {
            var org = await LoadOrganisationAsync(c, organisationId);
            var processes = (await c.Db.BusinessProcesses.AsNoTracking().ToListAsync(c.Ct))
                .Where(org.TakesPartIn).OrderBy(p => p.Name, StringComparer.Ordinal)
                .Select(p => new ProcessColumn(p.Id.Value, p.Name, p.TopLevel)).ToList();
            var users = await UserRowsAsync(c, org, null);
            var assigned = org.Assignments.Select(a => (a.UserId.Value, a.ProcessId.Value, a.Level)).ToHashSet();
            return new AssignmentMatrix(org.Name, processes, users, assigned);
        }, ct);

    public Task SetAssignmentAsync(ClaimsPrincipal principal, Guid userId, Guid processId, int level, bool assigned, CancellationToken ct = default) =>
        operation.RunAsync(principal, async c =>
        {
            var (user, org) = await LoadUserAsync(c, userId, tracked: true);
            var process = await c.Db.BusinessProcesses.AsNoTracking().FirstOrDefaultAsync(p => p.Id == new ProcessId(processId), c.Ct)
                ?? throw new NotFoundException();
            if (assigned)
            {
                DomainException.ThrowIf(user.IsDisabled, $"{user.DisplayName} is disabled and cannot be assigned.");
                org.Assign(user.UserId, process, level, time.GetUtcNow());
            }
            else
            {
                org.Unassign(user.UserId, process, level);
            }

            c.Db.AuditEvents.Add(AuditEvent.Record(assigned ? AuditAction.AssignmentAdded : AuditAction.AssignmentRemoved, time.GetUtcNow(),
                c.Actor.Ref, org.Id, "User", user.Id.ToString(), user.DisplayName, process, $"level {level}"));
        }, ct);

    private void Audit(AdminContext c, AuditAction action, OrganisationId org, SdesUser user) =>
        c.Db.AuditEvents.Add(AuditEvent.Record(action, time.GetUtcNow(), c.Actor.Ref, org, "User", user.Id.ToString(), user.DisplayName));

    private static async Task<Organisation> LoadOrganisationAsync(AdminContext c, OrganisationId id, bool tracked = false)
    {
        if (!c.Actor.CanAdminister(id))
        {
            throw c.Deny("Organisation", id.ToString());
        }

        var query = tracked ? c.Db.Organisations : c.Db.Organisations.AsNoTracking();
        return await query.FirstOrDefaultAsync(o => o.Id == id, c.Ct) ?? throw new NotFoundException();
    }

    private static async Task<(SdesUser User, Organisation Organisation)> LoadUserAsync(AdminContext c, Guid userId, bool tracked = false)
    {
        var user = await c.Users.FindByIdAsync(userId.ToString()) ?? throw new NotFoundException();
        var org = await LoadOrganisationAsync(c, user.OrganisationId, tracked);
        return (user, org);
    }

    private static async Task<Dictionary<ProcessId, string>> ProcessNamesAsync(AdminContext c) =>
        await c.Db.BusinessProcesses.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Name, c.Ct);

    private static async Task<IReadOnlyList<UserRow>> UserRowsAsync(AdminContext c, Organisation org, string? search)
    {
        var query = c.Db.Users.AsNoTracking().Where(u => u.OrganisationId == org.Id);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim().ToUpperInvariant();
            query = query.Where(u => u.NormalizedEmail!.Contains(term) || u.DisplayName.ToUpper().Contains(term));
        }

        var rows = await query.OrderBy(u => u.DisplayName).Take(500).ToListAsync(c.Ct);
        var adminIds = await (from ur in c.Db.UserRoles
                              join r in c.Db.Roles on ur.RoleId equals r.Id
                              where r.Name == SdesRoles.OrganisationAdmin || r.Name == SdesRoles.Operator
                              select ur.UserId).ToListAsync(c.Ct);
        return rows.Select(u => new UserRow(u.Id, u.DisplayName, u.Email ?? string.Empty, org.IsMasterAdmin(u.UserId),
            adminIds.Contains(u.Id) || org.IsMasterAdmin(u.UserId), u.IsDisabled, u.MustSetPassword, u.LastSignInAt,
            org.Assignments.Count(a => a.UserId == u.UserId), u.EmailIsProxy)).ToList();
    }
}
