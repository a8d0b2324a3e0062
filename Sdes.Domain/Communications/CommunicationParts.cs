using Sdes.Domain.Common;
using Sdes.Domain.Organisations;
using Sdes.Domain.Processes;

namespace Sdes.Domain.Communications;

/// <summary>One organisation's side of a communication: its market role, its owner, its private search tags and whether it
/// has read the latest message. It also carries copies of the list columns, so that an organisation's queue is one indexed
/// table (the aggregate keeps the copies in step).</summary>
public sealed class CommunicationParty
{
    private CommunicationParty() { }

    internal CommunicationParty(Communication communication, PartySide side, OrganisationId organisationId, OrganisationId counterparty,
        MarketParticipantRole role)
    {
        CommunicationId = communication.Id;
        Side = side;
        OrganisationId = organisationId;
        CounterpartyOrganisationId = counterparty;
        Mpid = role.Mpid.Value;
        Role = role.Role;
    }

    public long Id { get; private set; }
    public CommunicationId CommunicationId { get; private set; }
    public PartySide Side { get; private set; }
    public OrganisationId OrganisationId { get; private set; }
    public OrganisationId CounterpartyOrganisationId { get; private set; }
    public string Mpid { get; private set; } = string.Empty;
    public MarketRole Role { get; private set; }
    public UserId? OwnerUserId { get; private set; }
    public string? OwnerName { get; private set; }

    /// <summary>Private to this organisation (spec 10.1(b)v). Newline-separated.</summary>
    public string Tags { get; private set; } = string.Empty;

    /// <summary>A message from the other party arrived after anyone in this organisation last opened the communication.</summary>
    public bool HasUnread { get; private set; }
    public DateTimeOffset? LastViewedAt { get; private set; }

    // Copies of the communication's list columns (see the class comment).
    public ProcessId ProcessId { get; private set; }
    public long ReferenceNumber { get; private set; }
    public CommunicationStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset LastMessageAt { get; private set; }
    public DateTimeOffset? ArchivedAt { get; private set; }
    public int CurrentLevel { get; private set; }
    public bool LastMessageSentByThisSide { get; private set; }

    /// <summary>What this organisation's search finds: subject, message text, bespoke values and its own tags.</summary>
    public string SearchText { get; private set; } = string.Empty;

    public IReadOnlyList<string> TagList => Tags.Length == 0 ? [] : Tags.Split('\n');

    internal void Sync(Communication c, string sharedSearchText)
    {
        ProcessId = c.ProcessId;
        ReferenceNumber = c.ReferenceNumber;
        Status = c.Status;
        CreatedAt = c.CreatedAt;
        LastMessageAt = c.LastMessageAt;
        ArchivedAt = c.ArchivedAt;
        CurrentLevel = c.CurrentLevel;
        LastMessageSentByThisSide = c.LastMessageSide == Side;
        SearchText = c.Status == CommunicationStatus.Deleted ? string.Empty
            : Tags.Length == 0 ? sharedSearchText : sharedSearchText + "\n" + Tags;
    }

    internal void SetOwner(UserRef? owner)
    {
        OwnerUserId = owner?.Id;
        OwnerName = owner?.Name;
    }

    internal void SetTags(IReadOnlyList<string> tags) => Tags = string.Join('\n', tags);

    internal void MarkUnread() => HasUnread = true;

    internal void MarkViewed(DateTimeOffset at)
    {
        HasUnread = false;
        LastViewedAt = at;
    }

    internal void Erase()
    {
        Tags = string.Empty;
        OwnerName = null;
        HasUnread = false;
    }
}

/// <summary>One message in a communication. Attachments hang off the message (spec 10.1(c)viii, (d)i).</summary>
public sealed class CommunicationMessage
{
    public const int MaxTextLength = 20_000;

    private readonly List<MessageAttachment> _attachments = [];

    private CommunicationMessage() { }

    internal CommunicationMessage(CommunicationId communicationId, UserRef author, PartySide side, string text, DateTimeOffset at)
    {
        Id = Guid.CreateVersion7(at);
        CommunicationId = communicationId;
        AuthorUserId = author.Id;
        AuthorName = author.Name;
        OrganisationId = author.OrganisationId;
        Side = side;
        Text = text;
        SentAt = at;
    }

    public Guid Id { get; private set; }
    public CommunicationId CommunicationId { get; private set; }
    public UserId AuthorUserId { get; private set; }
    public string AuthorName { get; private set; } = string.Empty;
    public OrganisationId OrganisationId { get; private set; }
    public PartySide Side { get; private set; }
    public string Text { get; private set; } = string.Empty;
    public DateTimeOffset SentAt { get; private set; }
    public IReadOnlyList<MessageAttachment> Attachments => _attachments;

    internal void Attach(IEnumerable<AttachedFile> files) => _attachments.AddRange(files.Select(f => new MessageAttachment(Id, f)));

    internal bool Remove(Guid attachmentId) => _attachments.RemoveAll(a => a.Id == attachmentId) > 0;

    internal static string CheckText(string? text)
    {
        text = (text ?? string.Empty).Trim();
        DomainException.ThrowIf(text.Length == 0, "Enter a message.");
        DomainException.ThrowIf(text.Length > MaxTextLength, $"A message is at most {MaxTextLength:N0} characters; this one has {text.Length:N0}.");
        DomainException.ThrowIf(text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')),
            "A message cannot contain control characters.");
        return text;
    }
}

/// <summary>A file on a message. Its encrypted bytes and scan record are an <see cref="Attachments.Attachment"/> with the same
/// id; the message keeps the name, size and scan state the thread shows (spec 10.1(b)viii).</summary>
public sealed class MessageAttachment
{
    private MessageAttachment() { }

    internal MessageAttachment(Guid messageId, AttachedFile file)
    {
        Id = file.Id;
        MessageId = messageId;
        FileName = file.FileName;
        SizeBytes = file.SizeBytes;
        Status = file.Status;
    }

    public Guid Id { get; private set; }
    public Guid MessageId { get; private set; }
    public string FileName { get; private set; } = string.Empty;
    public long SizeBytes { get; private set; }
    public Attachments.AttachmentStatus Status { get; private set; }

    internal void Scanned(Attachments.AttachmentStatus status) => Status = status;
}

/// <summary>A file the author uploaded for the message they are writing, as the attachment pipeline left it.</summary>
public sealed record AttachedFile(Guid Id, string FileName, long SizeBytes, Attachments.AttachmentStatus Status);

public enum CommunicationEventKind
{
    Sent,
    Viewed,
    MessageAdded,
    OwnerChanged,
    Escalated,
    Archived,
    Reactivated,
    TagsChanged,
    TranscriptDownloaded,
    AttachmentRemoved,
}

/// <summary>The communication's own history, shown on its timeline. Events private to one organisation (its tags, its
/// downloads) carry that organisation; the rest are seen by both parties. The audit log keeps its own copy that outlives
/// deletion (spec 12).</summary>
public sealed class CommunicationEvent
{
    private CommunicationEvent() { }

    internal CommunicationEvent(CommunicationId communicationId, CommunicationEventKind kind, DateTimeOffset at, UserRef? actor,
        OrganisationId? privateTo, string? detail)
    {
        Id = Guid.CreateVersion7(at);
        CommunicationId = communicationId;
        Kind = kind;
        OccurredAt = at;
        ActorUserId = actor?.Id;
        ActorName = actor?.Name;
        ActorOrganisationId = actor?.OrganisationId;
        PrivateToOrganisationId = privateTo;
        Detail = detail;
    }

    public Guid Id { get; private set; }
    public CommunicationId CommunicationId { get; private set; }
    public CommunicationEventKind Kind { get; private set; }
    public DateTimeOffset OccurredAt { get; private set; }
    public UserId? ActorUserId { get; private set; }

    /// <summary>Null for the system (automatic archive).</summary>
    public string? ActorName { get; private set; }
    public OrganisationId? ActorOrganisationId { get; private set; }
    public OrganisationId? PrivateToOrganisationId { get; private set; }
    public string? Detail { get; private set; }

    public bool IsVisibleTo(OrganisationId organisation) => PrivateToOrganisationId is null || PrivateToOrganisationId == organisation;
}

/// <summary>Whether a party may escalate now, and if not, why, and when it will be able to.</summary>
public sealed record EscalationCheck(bool Allowed, string Explanation, DateTimeOffset? AllowedFrom)
{
    public static EscalationCheck No(string why, DateTimeOffset? from = null) => new(false, why, from);
}
