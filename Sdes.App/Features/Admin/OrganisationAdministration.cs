using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Sdes.App.Features.Shared;
using Sdes.Domain.Audit;
using Sdes.Domain.Common;
using Sdes.Domain.Organisations;
using Sdes.Infrastructure.Identity;
using Sdes.Infrastructure.Persistence;

namespace Sdes.App.Features.Admin;

public sealed record OrganisationRow(Guid Id, string Name, IReadOnlyList<string> Roles, string? MasterAdminName, string? MasterAdminEmail,
    int UserCount, bool IsServiceProvider);

public sealed record OrganisationDetail(Guid Id, string Name, IReadOnlyList<MarketParticipantRole> Roles, string? MasterAdminName,
    string? MasterAdminEmail, bool IsServiceProvider);

/// <summary>The service operator's use cases: organisations, their market roles, and their single MAU (spec 2.4).</summary>
public sealed class OrganisationAdministration(AdminOperation operation, AccountProvisioning provisioning, IServiceScopeFactory scopes,
    TimeProvider time, ILogger<OrganisationAdministration> logger)
{
    public Task<IReadOnlyList<OrganisationRow>> ListAsync(ClaimsPrincipal principal, CancellationToken ct = default) =>
        operation.QueryAsync(principal, async c =>
        {
            RequireOperator(c);
            var orgs = await c.Db.Organisations.AsNoTracking().OrderBy(o => o.Name).ToListAsync(c.Ct);
            var counts = await c.Db.Users.GroupBy(u => u.OrganisationId).Select(g => new { g.Key, Count = g.Count() })
                .ToDictionaryAsync(x => x.Key, x => x.Count, c.Ct);
            var mauIds = orgs.Where(o => o.MasterAdminUserId is not null).Select(o => o.MasterAdminUserId!.Value.Value).ToList();
            var maus = await c.Db.Users.AsNoTracking().Where(u => mauIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, c.Ct);
            return (IReadOnlyList<OrganisationRow>)orgs.Select(o =>
            {
                var mau = o.MasterAdminUserId is { } id ? maus.GetValueOrDefault(id.Value) : null;
                return new OrganisationRow(o.Id.Value, o.Name, o.Roles.Select(r => r.ToString()).ToList(), mau?.DisplayName, mau?.Email,
                    counts.GetValueOrDefault(o.Id), o.IsServiceProvider);
            }).ToList();
        }, ct);

    public Task<OrganisationDetail> GetAsync(ClaimsPrincipal principal, Guid organisationId, CancellationToken ct = default) =>
        operation.QueryAsync(principal, async c =>
        {
            RequireOperator(c);
            var org = await c.Db.Organisations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == new OrganisationId(organisationId), c.Ct)
                ?? throw new NotFoundException();
            var mau = org.MasterAdminUserId is { } id ? await c.Db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id.Value, c.Ct) : null;
            return new OrganisationDetail(org.Id.Value, org.Name, org.Roles, mau?.DisplayName, mau?.Email, org.IsServiceProvider);
        }, ct);

    public Task<Guid> CreateAsync(ClaimsPrincipal principal, NewOrganisationForm form, CancellationToken ct = default) =>
        operation.RunAsync(principal, async c =>
        {
            RequireOperator(c);
            FormValidation.Validate(form);
            form.Roles.ForEach(FormValidation.Validate);
            var roles = form.Roles.Select(r => r.ToDomain()).ToList();
            await EnsureRolesFreeAsync(c, roles);
            DomainException.ThrowIf(await c.Db.Organisations.AnyAsync(o => o.Name == form.Name.Trim(), c.Ct),
                $"An organisation called {form.Name.Trim()} already exists.");
            var org = Organisation.Create(form.Name, roles, time.GetUtcNow());
            c.Db.Organisations.Add(org);
            c.Db.AuditEvents.Add(AuditEvent.Record(AuditAction.OrganisationCreated, time.GetUtcNow(), c.Actor.Ref, org.Id, "Organisation",
                org.Id.ToString(), org.Name));
            return org.Id.Value;
        }, ct);

    public Task AddRoleAsync(ClaimsPrincipal principal, Guid organisationId, RoleForm form, CancellationToken ct = default) =>
        operation.RunAsync(principal, async c =>
        {
            RequireOperator(c);
            FormValidation.Validate(form);
            var role = form.ToDomain();
            await EnsureRolesFreeAsync(c, [role]);
            var org = await c.Db.Organisations.FirstOrDefaultAsync(o => o.Id == new OrganisationId(organisationId), c.Ct) ?? throw new NotFoundException();
            org.AddRole(role);
            c.Db.AuditEvents.Add(AuditEvent.Record(AuditAction.MarketRoleAdded, time.GetUtcNow(), c.Actor.Ref, org.Id, "Organisation",
                org.Id.ToString(), org.Name, detail: role.ToString()));
        }, ct);

    public Task RemoveRoleAsync(ClaimsPrincipal principal, Guid organisationId, string mpid, MarketRole role, CancellationToken ct = default) =>
        operation.RunAsync(principal, async c =>
        {
            RequireOperator(c);
            var org = await c.Db.Organisations.FirstOrDefaultAsync(o => o.Id == new OrganisationId(organisationId), c.Ct) ?? throw new NotFoundException();
            org.RemoveRole(Mpid.Create(mpid), role, await c.Db.BusinessProcesses.AsNoTracking().ToListAsync(c.Ct));
            c.Db.AuditEvents.Add(AuditEvent.Record(AuditAction.MarketRoleRemoved, time.GetUtcNow(), c.Actor.Ref, org.Id, "Organisation",
                org.Id.ToString(), org.Name, detail: $"{mpid} {role.DisplayName()}"));
        }, ct);

    /// <summary>Creates the organisation's one Master Admin User and emails their one-time password (spec 2.3, 2.4).</summary>
    public Task<Guid> CreateMasterAdminAsync(ClaimsPrincipal principal, Guid organisationId, NewUserForm form, CancellationToken ct = default) =>
        operation.RunAsync(principal, async c =>
        {
            RequireOperator(c);
            FormValidation.Validate(form);
            var org = await c.Db.Organisations.FirstOrDefaultAsync(o => o.Id == new OrganisationId(organisationId), c.Ct) ?? throw new NotFoundException();
            DomainException.ThrowIf(org.IsServiceProvider, "The SDES Provider has service operators, not a Master Admin User.");
            DomainException.ThrowIf(org.MasterAdminUserId is not null,
                $"{org.Name} already has its Master Admin User. An organisation has exactly one (spec 2.4).");
            var user = await provisioning.CreateAsync(c.Users, c.Db, org, form.Email, form.DisplayName, c.Actor.Ref, c.Ct);
            await c.Users.AddToRoleAsync(user, SdesRoles.OrganisationAdmin);
            org.NameMasterAdmin(user.UserId);
            c.Db.AuditEvents.Add(AuditEvent.Record(AuditAction.MasterAdminCreated, time.GetUtcNow(), c.Actor.Ref, org.Id, "User",
                user.Id.ToString(), user.DisplayName));
            return user.Id;
        }, ct);

    public Task RenameAsync(ClaimsPrincipal principal, Guid organisationId, string name, CancellationToken ct = default) =>
        operation.RunAsync(principal, async c =>
        {
            RequireOperator(c);
            var org = await c.Db.Organisations.FirstOrDefaultAsync(o => o.Id == new OrganisationId(organisationId), c.Ct) ?? throw new NotFoundException();
            var trimmed = (name ?? string.Empty).Trim();
            DomainException.ThrowIf(await c.Db.Organisations.AnyAsync(o => o.Name == trimmed && o.Id != org.Id, c.Ct),
                $"An organisation called {trimmed} already exists.");
            var before = org.Name;
            org.Rename(trimmed);
            c.Db.AuditEvents.Add(AuditEvent.Record(AuditAction.OrganisationUpdated, time.GetUtcNow(), c.Actor.Ref, org.Id, "Organisation",
                org.Id.ToString(), org.Name, detail: $"renamed from {before}"));
        }, ct);

    /// <summary>Names another active user of the organisation as its one MAU (spec 2.4). The previous MAU stays an admin
    /// until the new MAU decides otherwise.</summary>
    public Task ReplaceMasterAdminAsync(ClaimsPrincipal principal, Guid organisationId, Guid newMasterAdminId, CancellationToken ct = default) =>
        operation.RunAsync(principal, async c =>
        {
            RequireOperator(c);
            var org = await c.Db.Organisations.FirstOrDefaultAsync(o => o.Id == new OrganisationId(organisationId), c.Ct) ?? throw new NotFoundException();
            var user = await c.Users.FindByIdAsync(newMasterAdminId.ToString());
            DomainException.ThrowIf(user is null || user.OrganisationId != org.Id, $"Choose a user of {org.Name}.");
            DomainException.ThrowIf(user!.IsDisabled, $"{user.DisplayName} is disabled. Enable the account first.");
            DomainException.ThrowIf(org.IsMasterAdmin(user.UserId), $"{user.DisplayName} is already the Master Admin User.");
            org.NameMasterAdmin(user.UserId);
            if (!await c.Users.IsInRoleAsync(user, SdesRoles.OrganisationAdmin))
            {
                await c.Users.AddToRoleAsync(user, SdesRoles.OrganisationAdmin);
            }

            c.Db.AuditEvents.Add(AuditEvent.Record(AuditAction.MasterAdminReplaced, time.GetUtcNow(), c.Actor.Ref, org.Id, "User",
                user.Id.ToString(), user.DisplayName));
        }, ct);

    /// <summary>Production's first operator: created once from configuration, with a one-time password by email.</summary>
    public async Task BootstrapOperatorAsync(string email, string name, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SdesDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<SdesUser>>();
        if ((await users.GetUsersInRoleAsync(SdesRoles.Operator)).Count > 0)
        {
            return;
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var provider = await db.Organisations.FirstOrDefaultAsync(o => o.IsServiceProvider, ct);
        if (provider is null)
        {
            provider = Organisation.CreateServiceProvider("SDES Provider", time.GetUtcNow());
            db.Organisations.Add(provider);
            await db.SaveChangesAsync(ct);
        }

        var user = await provisioning.CreateAsync(users, db, provider, email, name, null, ct);
        await users.AddToRoleAsync(user, SdesRoles.Operator);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        logger.LogWarning("First service operator account {UserId} created; its one-time password was emailed", user.Id);
    }

    private static void RequireOperator(AdminContext c)
    {
        if (!c.Actor.IsOperator)
        {
            throw c.Deny("Operator", "organisations");
        }
    }

    private static async Task EnsureRolesFreeAsync(AdminContext c, IReadOnlyList<MarketParticipantRole> roles)
    {
        DomainException.ThrowIf(roles.Count == 0, "Add at least one market participant role.");
        var duplicate = roles.GroupBy(r => (r.Mpid.Value, r.Role)).FirstOrDefault(g => g.Count() > 1);
        DomainException.ThrowIf(duplicate is not null, $"{duplicate?.First()} is listed twice.");
        var all = await c.Db.Organisations.AsNoTracking().Select(o => new { o.Name, o.Roles }).ToListAsync(c.Ct);
        foreach (var role in roles)
        {
            var holder = all.FirstOrDefault(o => o.Roles.Any(r => r.Mpid == role.Mpid && r.Role == role.Role));
            DomainException.ThrowIf(holder is not null, $"{role} is already held by {holder?.Name}.");
        }
    }
}
