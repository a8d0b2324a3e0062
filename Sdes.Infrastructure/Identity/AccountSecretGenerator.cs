using System.Security.Cryptography;

namespace Sdes.Infrastructure.Identity;

/// <summary>One-time secrets: 20 characters from an alphabet without look-alikes (about 100 bits), shown in groups of four.</summary>
public static class AccountSecretGenerator
{
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public static string Generate()
    {
        Span<char> chars = stackalloc char[20];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }

        var s = new string(chars);
        return string.Join('-', Enumerable.Range(0, 5).Select(i => s.Substring(i * 4, 4)));
    }

    /// <summary>Accepts the secret however it was typed: case, spaces and hyphens do not matter.</summary>
    public static string Normalise(string? typed) =>
        new((typed ?? string.Empty).ToUpperInvariant().Where(c => Alphabet.Contains(c, StringComparison.Ordinal)).ToArray());
}
