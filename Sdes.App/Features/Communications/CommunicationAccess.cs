using Sdes.App.Features.Shared;
using Sdes.Domain.Common;
using Sdes.Domain.Communications;
using Sdes.Domain.Organisations;
using Sdes.Domain.Processes;

namespace Sdes.App.Features.Communications;

/// <summary>Who is looking: an AR, their organisation, and the process levels they are assigned to.</summary>
public sealed record CommunicationViewer(UserRef User, OrganisationId OrganisationId, IReadOnlyList<ProcessId> ProcessIds,
    IReadOnlyList<(ProcessId ProcessId, int Level)> Levels)
{
    public static CommunicationViewer From(Actor actor)
    {
        var mine = actor.Organisation.Assignments.Where(a => a.UserId == actor.User.UserId).ToList();
        return new CommunicationViewer(actor.Ref, actor.Organisation.Id, mine.Select(a => a.ProcessId).Distinct().ToList(),
            mine.Select(a => (a.ProcessId, a.Level)).ToList());
    }

    public bool IsAssignedTo(ProcessId process) => ProcessIds.Contains(process);

    public bool IsAssignedAt(ProcessId process, int level) => Levels.Contains((process, level));
}

/// <summary>The SDEP access rule, the only way queries and use cases reach communications: a communication is visible to
/// the ARs of either party organisation who are assigned to its business process (spec 10.1(a)). Everything else is
/// "not found".</summary>
public static class CommunicationAccess
{
    public static IQueryable<CommunicationParty> VisibleTo(this IQueryable<CommunicationParty> parties, CommunicationViewer viewer)
    {
        var org = viewer.OrganisationId;
        var processes = viewer.ProcessIds.ToList();
        return parties.Where(p => p.OrganisationId == org && processes.Contains(p.ProcessId));
    }

    public static IQueryable<Communication> VisibleTo(this IQueryable<Communication> communications, CommunicationViewer viewer)
    {
        var org = viewer.OrganisationId;
        var processes = viewer.ProcessIds.ToList();
        return communications.Where(c => processes.Contains(c.ProcessId) && c.Parties.Any(p => p.OrganisationId == org));
    }
}
