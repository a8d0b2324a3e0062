using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Sdes.App.Features.Admin;
using Sdes.Domain.Organisations;

namespace Sdes.App.Features.Home;

public sealed record HomeAssignment(string Process, int Level, int TopLevel, string Window);

public sealed record HomeView(string DisplayName, string Email, string OrganisationName, IReadOnlyList<string> MarketRoles, bool IsMasterAdmin,
    bool IsOrganisationAdmin, bool IsOperator, IReadOnlyList<HomeAssignment> Assignments, int UncoveredLevels);

public sealed class HomeQueries(AdminOperation operation)
{
    public Task<HomeView> GetAsync(ClaimsPrincipal principal, CancellationToken ct = default) =>
        operation.QueryAsync(principal, async c =>
        {
            var actor = c.Actor;
            var processes = await c.Db.BusinessProcesses.AsNoTracking().ToListAsync(c.Ct);
            var byId = processes.ToDictionary(p => p.Id);
            var mine = actor.Organisation.Assignments.Where(a => a.UserId == actor.User.UserId && byId.ContainsKey(a.ProcessId))
                .Select(a => byId[a.ProcessId] is var p
                    ? new HomeAssignment(p.Name, a.Level, p.TopLevel, p.WindowAt(a.Level)?.ToString() ?? "no response window")
                    : null!)
                .OrderBy(a => a.Process, StringComparer.Ordinal).ThenBy(a => a.Level).ToList();
            var gaps = actor.IsOrganisationAdmin || actor.IsMasterAdmin ? actor.Organisation.UncoveredLevels(processes).Count() : 0;
            return new HomeView(actor.User.DisplayName, actor.User.Email ?? string.Empty, actor.Organisation.Name,
                actor.Organisation.Roles.Select(r => r.ToString()).ToList(), actor.IsMasterAdmin, actor.IsOrganisationAdmin || actor.IsMasterAdmin,
                actor.IsOperator, mine, gaps);
        }, ct);
}
