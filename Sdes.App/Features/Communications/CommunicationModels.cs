using System.ComponentModel.DataAnnotations;
using Sdes.Domain.Communications;
using Sdes.Domain.Processes;

namespace Sdes.App.Features.Communications;

public enum Folder
{
    Active,
    Archived,
}

public enum DirectionFilter
{
    All,
    Sent,
    Received,
}

public enum ListSort
{
    LastMessage,
    Created,
}

/// <summary>A queue view as the URL carries it, so a view can be bookmarked (spec 10.1(a) filters).</summary>
public sealed record CommunicationFilter
{
    public string? Search { get; init; }
    public Folder Folder { get; init; } = Folder.Active;
    public DirectionFilter Direction { get; init; } = DirectionFilter.All;
    public string? ProcessCode { get; init; }
    public Guid? Counterparty { get; init; }
    public bool AssignedToMe { get; init; }

    /// <summary>Received communications at this escalation level, of processes the viewer is assigned to at that level.</summary>
    public int? MyLevel { get; init; }
    public ListSort Sort { get; init; } = ListSort.LastMessage;
    public bool Ascending { get; init; }

    /// <summary>Keyset cursor: the sort value (UTC ticks) and id of the last row of the previous page.</summary>
    public string? After { get; init; }
    public int PageSize { get; init; } = 25;
}

public sealed record CommunicationRow(
    string Reference,
    string Subject,
    string Process,
    string Counterparty,
    bool WeSent,
    string AttachmentNames,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastMessageAt,
    DateTimeOffset? ArchivedAt,
    int Level,
    bool LastMessageFromUs,
    string? Owner,
    bool Unread,
    CommunicationStatus Status);

public sealed record CommunicationPage(IReadOnlyList<CommunicationRow> Rows, string? NextCursor, int ArchivedUnread);

public sealed record Option(string Value, string Label);

public sealed record ListOptions(IReadOnlyList<Option> Processes, IReadOnlyList<Option> Counterparties, IReadOnlyList<int> Levels);

public sealed record PartyView(string Organisation, string Role, string Mpid, string? Owner, bool IsUs, bool Sender);

public sealed record MessageView(Guid Id, string Author, string Organisation, bool FromUs, string Text, DateTimeOffset SentAt,
    IReadOnlyList<AttachmentView> Attachments);

/// <summary>A file on a message as the thread shows it: downloadable only when Clean (spec 10.1(b)viii).</summary>
public sealed record AttachmentView(Guid Id, string FileName, long SizeBytes, Domain.Attachments.AttachmentStatus Status);

public sealed record TimelineEntry(DateTimeOffset At, CommunicationEventKind Kind, string Actor, string? Organisation, string? Detail, bool Private);

public sealed record BespokeView(string Label, string Value);

public sealed record CommunicationDetail(
    Guid Id,
    string Reference,
    string Subject,
    string Process,
    string ProcessCode,
    string Fuel,
    CommunicationStatus Status,
    int Level,
    int TopLevel,
    string? Window,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastMessageAt,
    DateTimeOffset? ArchivedAt,
    DateTimeOffset? DeletedAt,
    PartyView Us,
    PartyView Them,
    IReadOnlyList<string> Tags,
    IReadOnlyList<BespokeView> Bespoke,
    IReadOnlyList<MessageView> Messages,
    IReadOnlyList<TimelineEntry> Timeline,
    EscalationCheck Escalation,
    IReadOnlyList<Option> OwnerOptions,
    Guid? OwnerUserId);

public sealed record RoleOption(string Value, string Label, string Mpid, Domain.Organisations.MarketRole Role);

public sealed record RecipientOption(string Value, string Label, Guid OrganisationId, string Mpid, Domain.Organisations.MarketRole Role);

public sealed record ProcessOption(string Code, string Name, IReadOnlyList<BespokeFieldDefinition> Fields, bool CanEscalate, int TopLevel, string? Window,
    IReadOnlyList<Domain.Organisations.MarketRole> Roles);

/// <summary>What the Send form needs: the roles the organisation sends from, and per role the processes the user may send.</summary>
public sealed record SendOptions(IReadOnlyList<RoleOption> FromRoles, IReadOnlyList<ProcessOption> Processes);

public sealed class SendForm
{
    [Required(ErrorMessage = "Choose the market role you are sending from.")]
    public string? FromRole { get; set; }

    [Required(ErrorMessage = "Choose a business process.")]
    public string? ProcessCode { get; set; }

    [Required(ErrorMessage = "Choose who to send to.")]
    public string? Recipient { get; set; }

    [Required(ErrorMessage = "Enter a subject.")]
    [StringLength(Communication.MaxSubjectLength, ErrorMessage = "A subject is at most 200 characters.")]
    public string? Subject { get; set; }

    [Required(ErrorMessage = "Enter a message.")]
    [StringLength(CommunicationMessage.MaxTextLength, ErrorMessage = "A message is at most 20,000 characters.")]
    public string? Message { get; set; }

    [StringLength(Communication.MaxTagLength, ErrorMessage = "A search tag is at most 40 characters.")]
    public string? Tag { get; set; }

    public Dictionary<string, string?> Bespoke { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Files uploaded through the attachment picker for this message (their ids).</summary>
    public List<Guid> Attachments { get; set; } = [];
}

public sealed class ReplyForm
{
    [Required(ErrorMessage = "Enter a message.")]
    [StringLength(CommunicationMessage.MaxTextLength, ErrorMessage = "A message is at most 20,000 characters.")]
    public string? Message { get; set; }

    [StringLength(Communication.MaxTagLength, ErrorMessage = "A search tag is at most 40 characters.")]
    public string? Tag { get; set; }

    public List<Guid> Attachments { get; set; } = [];
}

public sealed record TranscriptLine(string Reference, string Kind, DateTimeOffset At, string Organisation, string Author, string Text);
