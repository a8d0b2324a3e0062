using Sdes.Domain.Common;

namespace Sdes.Domain.Organisations;

/// <summary>One market participant role an organisation holds: an MPID in a role, and for distributors the distributor id.</summary>
public sealed record MarketParticipantRole
{
    private MarketParticipantRole(Mpid mpid, MarketRole role, DistributorId? distributorId)
    {
        Mpid = mpid;
        Role = role;
        DistributorId = distributorId;
    }

    public Mpid Mpid { get; }
    public MarketRole Role { get; }
    public DistributorId? DistributorId { get; }

    public static MarketParticipantRole Create(Mpid mpid, MarketRole role, DistributorId? distributorId = null)
    {
        DomainException.ThrowIf(!Enum.IsDefined(role), "Choose a market role.");
        DomainException.ThrowIf(role.IsDistributor() && distributorId is null,
            $"A {role.DisplayName()} role needs its two-digit distributor id.");
        DomainException.ThrowIf(!role.IsDistributor() && distributorId is not null,
            $"Only DNO and IDNO roles have a distributor id; {role.DisplayName()} does not.");
        DomainException.ThrowIf(role == MarketRole.Dno && distributorId is { IsDnoArea: false },
            $"DNO distributor ids are 10 to 23; {distributorId} is an IDNO id.");
        DomainException.ThrowIf(role == MarketRole.Idno && distributorId is { IsDnoArea: true },
            $"Distributor id {distributorId} belongs to a DNO area; IDNO ids are outside 10 to 23.");
        return new MarketParticipantRole(mpid, role, distributorId);
    }

    public override string ToString() => DistributorId is null
        ? $"{Mpid} ({Role.DisplayName()})"
        : $"{Mpid} ({Role.DisplayName()}, {DistributorId})";
}
