using Sdes.Domain.Common;
using Sdes.Domain.Organisations;

namespace Sdes.Domain.Metering;

/// <summary>The 13-digit MPAN core that identifies a Registered Metering Point: distributor id (2), unique id (10), check digit (1).
/// Accepts the forms people type: spaces or hyphens between groups, and the full 21-digit MPAN with its top line
/// (profile class, meter time-switch code, line loss factor class), optionally prefixed with "S".</summary>
public sealed record Mpan
{
    private static readonly int[] Primes = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43];

    private Mpan(string core, string? topLine)
    {
        Core = core;
        TopLine = topLine;
    }

    public string Core { get; }

    /// <summary>The 8-digit top line when the full MPAN was given (PC 2 + MTC 3 + LLFC 3).</summary>
    public string? TopLine { get; }

    public DistributorId DistributorId => DistributorId.Create(Core[..2]);

    public string Formatted => $"{Core[..2]} {Core[2..6]} {Core[6..10]} {Core[10..]}";

    public static Mpan Create(string? input) =>
        TryCreate(input, out var mpan, out var error) ? mpan! : throw new DomainException(error!);

    public static bool TryCreate(string? input, out Mpan? mpan, out string? error)
    {
        mpan = null;
        var text = (input ?? string.Empty).Trim();
        if (text.Length == 0)
        {
            error = "Enter the MPAN: the 13-digit core from the bottom line of the supply number.";
            return false;
        }

        if (text[0] is 'S' or 's')
        {
            text = text[1..];
        }

        var digits = new List<char>(21);
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                digits.Add(c);
            }
            else if (c is not (' ' or '-' or '/'))
            {
                error = "An MPAN contains only digits (spaces and hyphens between groups are fine).";
                return false;
            }
        }

        if (digits.Count is not (13 or 21))
        {
            error = $"An MPAN core is 13 digits (or 21 with the top line); that has {digits.Count}.";
            return false;
        }

        var all = new string(digits.ToArray());
        var core = all[^13..];
        if (CheckDigit(core.AsSpan(0, 12)) != core[12] - '0')
        {
            error = $"The MPAN {core} fails its check digit; check it was typed correctly.";
            return false;
        }

        mpan = new Mpan(core, all.Length == 21 ? all[..8] : null);
        error = null;
        return true;
    }

    /// <summary>Digits 1-12 times the primes 3,5,7,13,17,19,23,29,31,37,41,43, summed, mod 11, mod 10.</summary>
    public static int CheckDigit(ReadOnlySpan<char> first12)
    {
        if (first12.Length != 12)
        {
            throw new ArgumentException("The check digit is computed over exactly 12 digits.", nameof(first12));
        }

        var sum = 0;
        for (var i = 0; i < 12; i++)
        {
            sum += (first12[i] - '0') * Primes[i];
        }

        return sum % 11 % 10;
    }

    public override string ToString() => Core;
}
