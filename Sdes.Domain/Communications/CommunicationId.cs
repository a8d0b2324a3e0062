namespace Sdes.Domain.Communications;

public readonly record struct CommunicationId(Guid Value)
{
    public static CommunicationId New(DateTimeOffset at) => new(Guid.CreateVersion7(at));
    public override string ToString() => Value.ToString();
}

public enum CommunicationStatus
{
    Active,
    Archived,

    /// <summary>Content permanently deleted (spec 13.4); the row stays as a tombstone keeping the reference.</summary>
    Deleted,
}

/// <summary>Which end of the communication a party is: the organisation that sent it, or the one it was sent to.</summary>
public enum PartySide
{
    Sender,
    Recipient,
}

public static class PartySideExtensions
{
    public static PartySide Other(this PartySide side) => side == PartySide.Sender ? PartySide.Recipient : PartySide.Sender;
}
