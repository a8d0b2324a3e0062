using Sdes.Domain.Common;
using Sdes.Domain.Organisations;

namespace Sdes.Domain.Metering;

/// <summary>The 13-digit MPAN core that identifies a Registered Metering Point: distributor id (2), unique id (10), check digit (1).
/// Accepts the forms people type: spaces or hyphens between groups, and the full 21-digit MPAN with its top line
/// (profile class, meter time-switch code, line loss factor class), optionally prefixed with "S" and with a "/" before the core.
/// Two MPANs are equal when their cores are: the core identifies the metering point, the top line describes its current set-up.</summary>
public sealed record Mpan
{
    private const int CoreLength = 13;
    private const int TopLineLength = 8;
    private const int FullLength = TopLineLength + CoreLength;

    private static readonly int[] Primes = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43];

    private Mpan(string core, string? topLine)
    {
        Core = core;
        TopLine = topLine;
    }

    public string Core { get; }

    /// <summary>The 8-digit top line when the full MPAN was given (profile class 2 + meter time-switch code 3 + line loss
    /// factor class 3); otherwise null.</summary>
    public string? TopLine { get; }

    public DistributorId DistributorId => DistributorId.Create(Core[..2]);

    public string Formatted => $"{Core[..2]} {Core[2..6]} {Core[6..10]} {Core[10..]}";

    public static Mpan Create(string? input) =>
        TryCreate(input, out var mpan, out var error) ? mpan! : throw new DomainException(error!);

    public static bool TryCreate(string? input, out Mpan? mpan, out string? error)
    {
        mpan = null;
        error = Parse(input, out var digits);
        if (error is not null)
        {
            return false;
        }

        var core = digits[^CoreLength..];
        if (CheckDigit(core.AsSpan(0, 12)) != core[12] - '0')
        {
            error = $"The MPAN {core} fails its check digit; check it was typed correctly.";
            return false;
        }

        mpan = new Mpan(core, digits.Length == FullLength ? digits[..TopLineLength] : null);
        return true;
    }

    /// <summary>Digits 1-12 times the primes 3,5,7,13,17,19,23,29,31,37,41,43, summed, mod 11, mod 10.</summary>
    public static int CheckDigit(ReadOnlySpan<char> first12)
    {
        if (first12.Length != 12 || first12.ContainsAnyExceptInRange('0', '9'))
        {
            throw new ArgumentException("The check digit is computed over exactly 12 digits 0-9.", nameof(first12));
        }

        var sum = 0;
        for (var i = 0; i < 12; i++)
        {
            sum += (first12[i] - '0') * Primes[i];
        }

        return sum % 11 % 10;
    }

    public bool Equals(Mpan? other) => other is not null && string.Equals(Core, other.Core, StringComparison.Ordinal);

    public override int GetHashCode() => Core.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Core;

    /// <summary>The digits typed, or a sentence saying what is wrong with the shape (the check digit is checked by the caller).</summary>
    private static string? Parse(string? input, out string digits)
    {
        digits = string.Empty;
        var text = (input ?? string.Empty).Trim();
        if (text.Length == 0)
        {
            return "Enter the MPAN: the 13-digit core from the bottom line of the supply number.";
        }

        var full = text[0] is 'S' or 's';
        if (full)
        {
            text = text[1..];
        }

        var typed = new List<char>(FullLength);
        var slashAfter = -1;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                typed.Add(c);
            }
            else if (c == '/' && slashAfter < 0)
            {
                slashAfter = typed.Count;
            }
            else if (c is not (' ' or '-'))
            {
                return "An MPAN contains only digits (spaces and hyphens between groups are fine).";
            }
        }

        if (full && typed.Count != FullLength)
        {
            return $"A full MPAN starting with S is 21 digits (an 8-digit top line, then the 13-digit core); that has {typed.Count}.";
        }

        if (typed.Count is not (CoreLength or FullLength))
        {
            return $"An MPAN core is 13 digits (or 21 with the top line); that has {typed.Count}.";
        }

        if (slashAfter >= 0 && (typed.Count != FullLength || slashAfter != TopLineLength))
        {
            return "In a full MPAN the '/' goes between the 8-digit top line and the 13-digit core.";
        }

        digits = new string([.. typed]);
        return null;
    }
}
