using Sdes.Domain.Common;
using Sdes.Domain.Processes;

namespace Sdes.Domain.Organisations;

/// <summary>An SDES User (company group): its market participant roles, its Master Admin User, and who is assigned to
/// which process level. It guards spec 2.5(b): every level an organisation is covering keeps at least one AR.</summary>
public sealed class Organisation
{
    private readonly List<MarketParticipantRole> _roles = [];
    private readonly List<ProcessAssignment> _assignments = [];

    private Organisation() { }

    public OrganisationId Id { get; private set; }
    public string Name { get; private set; } = string.Empty;
    public UserId? MasterAdminUserId { get; private set; }

    /// <summary>The SDES Provider's own staff (service operators). Holds no market role and takes part in no process.</summary>
    public bool IsServiceProvider { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public int Version { get; private set; }

    public IReadOnlyList<MarketParticipantRole> Roles => _roles;
    public IReadOnlyList<ProcessAssignment> Assignments => _assignments;

    public static Organisation Create(string name, IEnumerable<MarketParticipantRole> roles, DateTimeOffset now)
    {
        var org = new Organisation { Id = OrganisationId.New(), CreatedAt = now.ToUniversalTime() };
        org.Rename(name);
        foreach (var role in roles)
        {
            org.AddRole(role);
        }

        DomainException.ThrowIf(org._roles.Count == 0, "An organisation needs at least one market participant role.");
        org.Version = 0;
        return org;
    }

    public static Organisation CreateServiceProvider(string name, DateTimeOffset now)
    {
        var org = new Organisation { Id = OrganisationId.New(), CreatedAt = now.ToUniversalTime(), IsServiceProvider = true };
        org.Rename(name);
        org.Version = 0;
        return org;
    }

    public void Rename(string name)
    {
        name = (name ?? string.Empty).Trim();
        DomainException.ThrowIf(name.Length is < 2 or > 120, "An organisation name is 2-120 characters.");
        DomainException.ThrowIf(name.Any(char.IsControl), "An organisation name cannot contain control characters.");
        Name = name;
        Version++;
    }

    public void AddRole(MarketParticipantRole role)
    {
        DomainException.ThrowIf(IsServiceProvider, "The SDES Provider organisation holds no market roles.");
        DomainException.ThrowIf(_roles.Any(r => r.Mpid == role.Mpid && r.Role == role.Role),
            $"{Name} already holds {role}.");
        _roles.Add(role);
        Version++;
    }

    /// <summary>Refused while users are assigned to a process the organisation would no longer take part in.</summary>
    public void RemoveRole(Mpid mpid, MarketRole role, IEnumerable<BusinessProcess> catalogue)
    {
        var existing = _roles.FirstOrDefault(r => r.Mpid == mpid && r.Role == role)
            ?? throw new DomainException($"{Name} does not hold {mpid} as {role.DisplayName()}.");
        DomainException.ThrowIf(_roles.Count == 1, "An organisation keeps at least one market participant role.");
        var remaining = _roles.Where(r => r != existing).ToList();
        var orphaned = catalogue.Where(p => _assignments.Any(a => a.ProcessId == p.Id) && !remaining.Any(r => p.Involves(r.Role)))
            .Select(p => p.Name).ToList();
        DomainException.ThrowIf(orphaned.Count > 0,
            $"Users are assigned to {string.Join(", ", orphaned)}, which {Name} would no longer take part in. Unassign them first.");
        _roles.Remove(existing);
        Version++;
    }

    public bool Holds(MarketRole role) => _roles.Any(r => r.Role == role);

    public bool TakesPartIn(BusinessProcess process) => _roles.Any(r => process.Involves(r.Role));

    /// <summary>Names the organisation's single Master Admin User (spec 2.4). Replacing the MAU is an operator action.</summary>
    public void NameMasterAdmin(UserId userId)
    {
        MasterAdminUserId = userId;
        Version++;
    }

    public bool IsMasterAdmin(UserId userId) => MasterAdminUserId == userId;

    public void Assign(UserId userId, BusinessProcess process, int level, DateTimeOffset now)
    {
        DomainException.ThrowIf(IsServiceProvider || !TakesPartIn(process),
            $"{Name} holds no market role that takes part in {process.Name}.");
        DomainException.ThrowIf(level < 1 || level > process.TopLevel,
            process.TopLevel == 1 ? $"{process.Name} has a single level." : $"{process.Name} has levels 1 to {process.TopLevel}.");
        if (IsAssigned(userId, process.Id, level))
        {
            return;
        }

        _assignments.Add(new ProcessAssignment(userId, process.Id, level, now));
        Version++;
    }

    public void Unassign(UserId userId, BusinessProcess process, int level)
    {
        var assignment = _assignments.FirstOrDefault(a => a.UserId == userId && a.ProcessId == process.Id && a.Level == level)
            ?? throw new DomainException($"That user is not assigned to {process.Name} level {level}.");
        DomainException.ThrowIf(UsersAt(process.Id, level).Count == 1,
            $"This is the last user at {process.Name} level {level}. Assign someone else to that level first, so that messages still reach {Name}.");
        _assignments.Remove(assignment);
        Version++;
    }

    /// <summary>Removes all of a user's assignments, e.g. before the account is disabled or removed.
    /// Refused while the user is the last one at any level, naming those levels.</summary>
    public void ReleaseUser(UserId userId, Func<ProcessId, string> processName)
    {
        var lastAt = LevelsWhereLastUser(userId).ToList();
        DomainException.ThrowIf(lastAt.Count > 0,
            "This user is the last one at " + string.Join(", ", lastAt.Select(l => $"{processName(l.ProcessId)} level {l.Level}"))
            + ". Assign someone else to those levels first.");
        if (_assignments.RemoveAll(a => a.UserId == userId) > 0)
        {
            Version++;
        }
    }

    /// <summary>Spec 2.7(c): before an inactive account is deleted, the MAU becomes the default contact at every level where
    /// that user is the last one, then the user is released. Returns the levels handed to the MAU.</summary>
    public IReadOnlyList<(ProcessId ProcessId, int Level)> HandOverInactiveUser(UserId userId, DateTimeOffset now)
    {
        DomainException.ThrowIf(IsMasterAdmin(userId), "The Master Admin User is never deleted for inactivity (spec 2.4).");
        var lastAt = LevelsWhereLastUser(userId).ToList();
        DomainException.ThrowIf(lastAt.Count > 0 && MasterAdminUserId is null,
            $"{Name} has no Master Admin User to take over the levels this user is the last one at.");
        foreach (var (processId, level) in lastAt)
        {
            _assignments.Add(new ProcessAssignment(MasterAdminUserId!.Value, processId, level, now));
        }

        if (_assignments.RemoveAll(a => a.UserId == userId) > 0 || lastAt.Count > 0)
        {
            Version++;
        }

        return lastAt;
    }

    public IEnumerable<(ProcessId ProcessId, int Level)> LevelsWhereLastUser(UserId userId) =>
        _assignments.Where(a => a.UserId == userId && UsersAt(a.ProcessId, a.Level).Count == 1)
            .Select(a => (a.ProcessId, a.Level));

    public bool IsAssigned(UserId userId, ProcessId processId, int level) =>
        _assignments.Any(a => a.UserId == userId && a.ProcessId == processId && a.Level == level);

    public IReadOnlyList<UserId> UsersAt(ProcessId processId, int level) =>
        _assignments.Where(a => a.ProcessId == processId && a.Level == level).Select(a => a.UserId).ToList();

    /// <summary>Levels of processes this organisation takes part in that nobody covers yet (shown to the MAU as gaps).</summary>
    public IEnumerable<(BusinessProcess Process, int Level)> UncoveredLevels(IEnumerable<BusinessProcess> catalogue) =>
        catalogue.Where(TakesPartIn)
            .SelectMany(p => Enumerable.Range(1, p.TopLevel).Select(level => (p, level)))
            .Where(x => !_assignments.Any(a => a.ProcessId == x.p.Id && a.Level == x.level));
}
