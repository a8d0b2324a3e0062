using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Sdes.Infrastructure.Persistence;

/// <summary>SQLite's second way to search: for words most of the queue contains. FTS5 answers a query by listing every
/// matching row of every organisation before the queue's date order can stop at one page, which for a word in most
/// communications is a million row ids (ADR 0006). For such words SDES instead walks the viewer's queue in page order and
/// tests each row with <see cref="WordsMatch"/>, which reads a query exactly as the FTS5 index does (unicode61 words,
/// diacritics removed, each term the start of a word). How common a word is comes from the FTS5 vocabulary table.</summary>
public static class SqliteWordSearch
{
    public const string FunctionName = "sdes_words_match";
    public const string VocabularyTable = CommunicationSearch.SqliteTable + "Vocabulary";

    /// <summary>Walk when every term is in at least this share of all rows: a page of 26 is then expected within ~500 rows.</summary>
    public const double WalkShare = 0.05;

    /// <summary>The most rows one walk reads; if a page is not filled within it, the FTS5 way answers instead.</summary>
    public const int WalkWindow = 1000;

    /// <summary>Translated to the SQLite function of the same name; not callable in memory.</summary>
    public static bool WordsMatch(string searchText, string foldedTerms) =>
        throw new InvalidOperationException($"{nameof(WordsMatch)} runs inside SQLite only.");

    /// <summary>The query terms as the function takes them: folded like the index, space separated.</summary>
    public static string FoldTerms(IReadOnlyList<string> terms) => string.Join(' ', terms.Select(Fold));

    /// <summary>Whether every term (as a prefix) is in at least <see cref="WalkShare"/> of the indexed rows.</summary>
    public static async Task<bool> IsCommonAsync(SdesDbContext db, IReadOnlyList<string> terms, CancellationToken ct)
    {
        var total = await db.Database.SqlQueryRaw<long>("SELECT coalesce(max(\"Id\"), 0) AS \"Value\" FROM \"CommunicationParties\"")
            .SingleAsync(ct);
        if (total == 0)
        {
            return false;
        }

        foreach (var term in terms.Select(Fold))
        {
            // Rows holding any word that starts with the term (a row with two such words counts twice: an upper bound).
            var docs = await db.Database.SqlQueryRaw<long>(
                $"SELECT coalesce(sum(\"doc\"), 0) AS \"Value\" FROM \"{VocabularyTable}\" WHERE \"term\" >= {{0}} AND \"term\" < {{1}}",
                term, term + char.MaxValue).SingleAsync(ct);
            if (docs < total * WalkShare)
            {
                return false;
            }
        }

        return true;
    }

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
