using Sdes.Domain.Common;

namespace Sdes.Domain.Organisations;

/// <summary>Market Participant Id: four upper-case letters, e.g. BRIT.</summary>
public sealed record Mpid
{
    private Mpid(string value) => Value = value;

    public string Value { get; }

    public static Mpid Create(string? input)
    {
        var value = (input ?? string.Empty).Trim().ToUpperInvariant();
        DomainException.ThrowIf(value.Length != 4 || !value.All(c => c is >= 'A' and <= 'Z'),
            $"An MPID is four letters A-Z; '{Shorten(input)}' is not.");
        return new Mpid(value);
    }

    public static bool TryCreate(string? input, out Mpid? mpid)
    {
        try
        {
            mpid = Create(input);
            return true;
        }
        catch (DomainException)
        {
            mpid = null;
            return false;
        }
    }

    public override string ToString() => Value;

    private static string Shorten(string? s) => s is null ? string.Empty : s.Length > 20 ? s[..20] + "…" : s;
}
