using Microsoft.AspNetCore.Identity;

namespace Sdes.Infrastructure.Identity;

/// <summary>OWASP ASVS L2 (V2.1): 12 to 128 characters, no composition rules, and refusal of common or context-derived
/// passwords, judged by zxcvbn with the user's own details as context.</summary>
internal sealed class SdesPasswordValidator : IPasswordValidator<SdesUser>
{
    public const int MinimumLength = 12;
    public const int MaximumLength = 128;
    public const int MinimumScore = 3;

    public Task<IdentityResult> ValidateAsync(UserManager<SdesUser> manager, SdesUser user, string? password)
    {
        var error = Check(password, ContextWords(user));
        return Task.FromResult(error is null
            ? IdentityResult.Success
            : IdentityResult.Failed(new IdentityError { Code = "WeakPassword", Description = error }));
    }

    /// <summary>Null when the password is acceptable; otherwise a sentence telling the user what to do.</summary>
    public static string? Check(string? password, IEnumerable<string> context)
    {
        password ??= string.Empty;
        if (password.Length < MinimumLength)
        {
            return $"Use at least {MinimumLength} characters. A few unrelated words make a strong, memorable password.";
        }

        if (password.Length > MaximumLength)
        {
            return $"Use at most {MaximumLength} characters.";
        }

        var result = Zxcvbn.Zxcvbn.MatchPassword(password, context);
        return result.Score < MinimumScore
            ? "That password is too easy to guess: it is common, or built from your name, email or organisation. Try a few unrelated words."
            : null;
    }

    internal static IEnumerable<string> ContextWords(SdesUser user)
    {
        var words = new List<string> { "sdes", "secure", "data", "exchange", "portal", "password" };
        if (!string.IsNullOrEmpty(user.Email))
        {
            words.Add(user.Email);
            words.AddRange(user.Email.Split('@', '.', '-', '_', '+').Where(w => w.Length > 2));
        }

        words.AddRange(user.DisplayName.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => w.Length > 2));
        return words;
    }
}
