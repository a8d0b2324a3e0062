using System.Globalization;
using Sdes.Domain.Common;

namespace Sdes.Domain.Organisations;

/// <summary>The two-digit distributor id that starts every MPAN core. 10-23 are the 14 DNO areas; others are IDNOs.</summary>
public sealed record DistributorId
{
    private DistributorId(string value) => Value = value;

    public string Value { get; }

    public bool IsDnoArea => int.Parse(Value, CultureInfo.InvariantCulture) is >= 10 and <= 23;

    public static DistributorId Create(string? input)
    {
        var value = (input ?? string.Empty).Trim();
        DomainException.ThrowIf(value.Length != 2 || !value.All(char.IsAsciiDigit),
            "A distributor id is two digits, e.g. 12.");
        return new DistributorId(value);
    }

    public override string ToString() => Value;
}
