using Sdes.Domain.Common;
using Sdes.Domain.Processes;

namespace Sdes.Domain.Organisations;

/// <summary>An Authorised Representative assigned to one escalation level ("use case") of a business process (spec 2.5).</summary>
public sealed class ProcessAssignment
{
    private ProcessAssignment() { }

    internal ProcessAssignment(UserId userId, ProcessId processId, int level, DateTimeOffset at)
    {
        UserId = userId;
        ProcessId = processId;
        Level = level;
        AssignedAt = at.ToUniversalTime();
    }

    public UserId UserId { get; private set; }
    public ProcessId ProcessId { get; private set; }
    public int Level { get; private set; }
    public DateTimeOffset AssignedAt { get; private set; }
}
