using System.Globalization;

namespace Sdes.Domain.Common;

/// <summary>A system reference users quote on the phone and in email: a prefix and a zero-padded number
/// (DOMAIN.md: SDE + 7 digits for SDEP, CMC + 5 for CMRP, NMP + 6 for metering point requests).</summary>
public sealed record Reference
{
    private Reference(ReferenceKind kind, long number)
    {
        Kind = kind;
        Number = number;
    }

    public ReferenceKind Kind { get; }
    public long Number { get; }

    public string Value => Kind.Prefix + Number.ToString(CultureInfo.InvariantCulture).PadLeft(Kind.Digits, '0');

    public static Reference Create(ReferenceKind kind, long number)
    {
        DomainException.ThrowIf(number < 1 || number > kind.MaxNumber,
            $"{kind.Prefix} references run from 1 to {kind.MaxNumber:N0}; {number} is outside that range.");
        return new Reference(kind, number);
    }

    public static bool TryParse(string? text, ReferenceKind kind, out Reference? reference)
    {
        reference = null;
        var value = (text ?? string.Empty).Trim().ToUpperInvariant();
        if (value.Length != kind.Prefix.Length + kind.Digits || !value.StartsWith(kind.Prefix, StringComparison.Ordinal)
            || !value.AsSpan(kind.Prefix.Length).ToString().All(char.IsAsciiDigit))
        {
            return false;
        }

        var number = long.Parse(value.AsSpan(kind.Prefix.Length), CultureInfo.InvariantCulture);
        if (number < 1)
        {
            return false;
        }

        reference = new Reference(kind, number);
        return true;
    }

    public override string ToString() => Value;
}

public sealed record ReferenceKind(string Prefix, int Digits)
{
    public static readonly ReferenceKind Communication = new("SDE", 7);
    public static readonly ReferenceKind CrossedMeterCase = new("CMC", 5);
    public static readonly ReferenceKind MeteringPointRequest = new("NMP", 6);

    public long MaxNumber => (long)Math.Pow(10, Digits) - 1;
}
