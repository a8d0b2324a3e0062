using Sdes.Domain.Common;

namespace Sdes.Domain.Metering;

/// <summary>Gas Meter Point Reference Number: 6 to 10 digits, typed with or without spaces or hyphens between groups.</summary>
public sealed record Mprn
{
    private Mprn(string value) => Value = value;

    public string Value { get; }

    public static Mprn Create(string? input) =>
        TryCreate(input, out var mprn, out var error) ? mprn! : throw new DomainException(error!);

    // Only the shape is validated: the gas MPRN check digit rule is not published in our sources.
    public static bool TryCreate(string? input, out Mprn? mprn, out string? error)
    {
        mprn = null;
        var text = (input ?? string.Empty).Trim();
        if (text.Length == 0)
        {
            error = "Enter the MPRN: the gas meter point reference number of 6 to 10 digits.";
            return false;
        }

        if (text.Any(c => !char.IsAsciiDigit(c) && c is not (' ' or '-')))
        {
            error = "An MPRN contains only digits (spaces and hyphens between groups are fine).";
            return false;
        }

        var value = new string([.. text.Where(char.IsAsciiDigit)]);
        if (value.Length is < 6 or > 10)
        {
            error = $"An MPRN is 6 to 10 digits; that has {value.Length}.";
            return false;
        }

        mprn = new Mprn(value);
        error = null;
        return true;
    }

    public override string ToString() => Value;
}
