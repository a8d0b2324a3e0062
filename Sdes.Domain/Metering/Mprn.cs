using Sdes.Domain.Common;

namespace Sdes.Domain.Metering;

/// <summary>Gas Meter Point Reference Number: 6 to 10 digits. Its check-digit rule is not in our sources, so only the
/// shape is validated.</summary>
public sealed record Mprn
{
    private Mprn(string value) => Value = value;

    public string Value { get; }

    public static Mprn Create(string? input) =>
        TryCreate(input, out var mprn, out var error) ? mprn! : throw new DomainException(error!);

    public static bool TryCreate(string? input, out Mprn? mprn, out string? error)
    {
        var value = new string((input ?? string.Empty).Where(c => c is not (' ' or '-')).ToArray());
        if (value.Length is < 6 or > 10 || !value.All(char.IsAsciiDigit))
        {
            mprn = null;
            error = "An MPRN is 6 to 10 digits.";
            return false;
        }

        mprn = new Mprn(value);
        error = null;
        return true;
    }

    public override string ToString() => Value;
}
