namespace Sdes.Domain.Common;

public readonly record struct UserId(Guid Value)
{
    public static UserId New() => new(Guid.CreateVersion7());
    public override string ToString() => Value.ToString();
}

/// <summary>Who did something, as they were at the time (names survive the account's deletion).</summary>
public sealed record UserRef(UserId Id, string Name, Organisations.OrganisationId OrganisationId);
