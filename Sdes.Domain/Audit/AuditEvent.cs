using Sdes.Domain.Common;
using Sdes.Domain.Organisations;
using Sdes.Domain.Processes;

namespace Sdes.Domain.Audit;

public enum AuditAction
{
    SignInSucceeded,
    SignInFailed,
    SignInWithSetupSecret,
    AccountLockedOut,
    SignedOut,
    SignedOutEverywhere,
    PasswordSet,
    SetupSecretIssued,
    OrganisationCreated,
    OrganisationUpdated,
    MarketRoleAdded,
    MarketRoleRemoved,
    MasterAdminCreated,
    MasterAdminReplaced,
    UserCreated,
    UserUpdated,
    UserDisabled,
    UserEnabled,
    UserRemoved,
    AdminRightsGranted,
    AdminRightsRevoked,
    AssignmentAdded,
    AssignmentRemoved,
    ProcessUpdated,
    AuditExported,
    EmailDeadLettered,
    EmailRequeued,
    AccessDenied,
    CommunicationSent,
    CommunicationViewed,
    CommunicationMessageAdded,
    CommunicationEscalated,
    CommunicationArchived,
    CommunicationReactivated,
    CommunicationOwnerChanged,
    CommunicationTagsChanged,
    CommunicationTranscriptDownloaded,
    CommunicationContentDeleted,
    AttachmentUploaded,
    AttachmentRefused,
    AttachmentScannedClean,
    AttachmentInfected,
    AttachmentUnscannable,
    AttachmentDownloaded,
    AttachmentsZipDownloaded,
    AttachmentDeleted,
    UserDeletedForInactivity,
    InactivityReminderRequested,
    EmailConfirmationSent,
    EmailConfirmed,
    EmailProxyMarked,
    EmailProxyCleared,
    NotificationFrequencyChanged,
}

/// <summary>An append-only record of who did what to which subject, and when. It never holds message content or
/// personal data beyond the actor's name at the time, and it outlives the subject (spec 12, 19, 26).</summary>
public sealed class AuditEvent
{
    private AuditEvent() { }

    public Guid Id { get; private set; }
    public DateTimeOffset OccurredAt { get; private set; }
    public AuditAction Action { get; private set; }
    public Guid? ActorUserId { get; private set; }

    /// <summary>The actor's name as it was at the time (the account may be deleted later).</summary>
    public string? ActorName { get; private set; }

    public Guid? ActorOrganisationId { get; private set; }

    /// <summary>The organisation whose audit trail this event belongs to (the subject's owner), for MAU views.</summary>
    public Guid? OrganisationId { get; private set; }

    public string? SubjectType { get; private set; }
    public string? SubjectId { get; private set; }
    public string? SubjectReference { get; private set; }
    public Guid? ProcessId { get; private set; }
    public Fuel? Fuel { get; private set; }

    /// <summary>A short structured detail such as "level 2" or "reason: locked out"; never message text.</summary>
    public string? Detail { get; private set; }

    public static AuditEvent Record(AuditAction action, DateTimeOffset at, UserRef? actor, OrganisationId? organisation,
        string? subjectType = null, string? subjectId = null, string? subjectReference = null,
        BusinessProcess? process = null, string? detail = null)
    {
        DomainException.ThrowIf(detail is { Length: > 400 }, "Audit detail is at most 400 characters.");
        return new AuditEvent
        {
            Id = Guid.CreateVersion7(at),
            OccurredAt = at.ToUniversalTime(),
            Action = action,
            ActorUserId = actor?.Id.Value,
            ActorName = actor?.Name,
            ActorOrganisationId = actor?.OrganisationId.Value,
            OrganisationId = organisation?.Value ?? actor?.OrganisationId.Value,
            SubjectType = subjectType,
            SubjectId = subjectId,
            SubjectReference = subjectReference,
            ProcessId = process?.Id.Value,
            Fuel = process?.Fuel,
            Detail = detail,
        };
    }
}
