using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Sdes.Infrastructure.Persistence;

/// <summary>SQLite's first way to search: walk the viewer's queue in page order for at most <see cref="WalkWindow"/> rows,
/// testing each with <see cref="WordsMatch"/>, which reads a query exactly as the FTS5 index does (unicode61 words,
/// diacritics removed, each term the start of a word). For a word most communications hold this fills a page at once,
/// where FTS5 would first list every matching row of every organisation (a million row ids, ADR 0006). When the window
/// does not fill a page (a rarer word, or the last page) FTS5 answers, and is fast for exactly those.</summary>
public static class SqliteWordSearch
{
    public const string FunctionName = "sdes_words_match";
    /// <summary>The most rows one walk reads (a few milliseconds); if a page is not filled within it, FTS5 answers instead.</summary>
    public const int WalkWindow = 400;

    /// <summary>Translated to the SQLite function of the same name; not callable in memory.</summary>
    public static bool WordsMatch(string searchText, string foldedTerms) =>
        throw new InvalidOperationException($"{nameof(WordsMatch)} runs inside SQLite only.");

    /// <summary>The query terms as the function takes them: folded like the index, space separated.</summary>
    public static string FoldTerms(IReadOnlyList<string> terms) => string.Join(' ', terms.Select(Fold));

    /// <summary>True when each folded term is the start of some word of <paramref name="text"/>, words as FTS5's unicode61
    /// tokenizer cuts them (letters, numbers and private-use characters; everything else separates).</summary>
    public static bool Evaluate(string? text, string foldedTerms)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var terms = foldedTerms.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (terms.Length == 0)
        {
            return false;
        }

        if (System.Text.Ascii.IsValid(text) && terms.All(t => System.Text.Ascii.IsValid(t)))
        {
            return EvaluateAscii(text, terms);
        }

        var found = new bool[terms.Length];
        var remaining = terms.Length;
        var word = new StringBuilder();
        foreach (var rune in (text + " ").EnumerateRunes())
        {
            if (IsWordRune(rune))
            {
                word.Append(rune.ToString());
                continue;
            }

            if (word.Length == 0)
            {
                continue;
            }

            var folded = Fold(word.ToString());
            word.Clear();
            for (var i = 0; i < terms.Length; i++)
            {
                if (!found[i] && folded.StartsWith(terms[i], StringComparison.Ordinal))
                {
                    found[i] = true;
                    if (--remaining == 0)
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    // The common case (ASCII text and terms), allocation-free: a term matches where a word starts with it, ignoring case.
    private static bool EvaluateAscii(string text, string[] terms)
    {
        var remaining = terms.Length;
        Span<bool> found = terms.Length <= 64 ? stackalloc bool[terms.Length] : new bool[terms.Length];
        var span = text.AsSpan();
        for (var i = 0; i < span.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(span[i]) || (i > 0 && char.IsAsciiLetterOrDigit(span[i - 1])))
            {
                continue;
            }

            var rest = span[i..];
            for (var t = 0; t < terms.Length; t++)
            {
                if (!found[t] && rest.StartsWith(terms[t], StringComparison.OrdinalIgnoreCase))
                {
                    found[t] = true;
                    if (--remaining == 0)
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>Lower case without diacritics, as <c>unicode61 remove_diacritics 2</c> stores words.</summary>
    public static string Fold(string word)
    {
        var decomposed = word.ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var folded = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                folded.Append(c);
            }
        }

        return folded.ToString().Normalize(NormalizationForm.FormC);
    }

    private static bool IsWordRune(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.DecimalDigitNumber
            or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber or UnicodeCategory.PrivateUse
            or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark => true,
        _ => false,
    };

    /// <summary>Registers the function on every SQLite connection the context opens.</summary>
    internal sealed class FunctionRegistration : DbConnectionInterceptor
    {
        public static FunctionRegistration Instance { get; } = new();

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Register(connection);

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Register(connection);
            return Task.CompletedTask;
        }

        private static void Register(DbConnection connection) =>
            ((SqliteConnection)connection).CreateFunction<string?, string, bool>(FunctionName, Evaluate, isDeterministic: true);
    }
}
