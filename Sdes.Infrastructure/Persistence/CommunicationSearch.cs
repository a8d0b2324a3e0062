using System.Text;
using Microsoft.EntityFrameworkCore;
using NpgsqlTypes;
using Sdes.Domain.Communications;

namespace Sdes.Infrastructure.Persistence;

/// <summary>Text search over an organisation's communications, done by the database with its own full-text index:
/// SQLite FTS5 (an external-content table kept by triggers, see the Sqlite migration), PostgreSQL a stored tsvector with a
/// GIN index. Every provider reads a query the same way: each word, in any order, as the start of a word in the subject,
/// messages, bespoke values or the organisation's own tags (ADR 0006).</summary>
public static class CommunicationSearch
{
    public const string VectorColumn = "SearchVector";
    public const string SqliteTable = "CommunicationPartySearch";
    public const int MaxTerms = 8;

    /// <summary>The words of a query: runs of letters and digits, lower-cased, at most <see cref="MaxTerms"/>, each at most 40 characters.</summary>
    public static IReadOnlyList<string> Terms(string? query)
    {
        var terms = new List<string>();
        var current = new StringBuilder();
        foreach (var c in (query ?? string.Empty) + " ")
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(char.ToLowerInvariant(c));
                continue;
            }

            if (current.Length > 0 && terms.Count < MaxTerms)
            {
                var term = current.Length > 40 ? current.ToString(0, 40) : current.ToString();
                if (!terms.Contains(term, StringComparer.Ordinal))
                {
                    terms.Add(term);
                }
            }

            current.Clear();
        }

        return terms;
    }

    public static IQueryable<CommunicationParty> Matching(this IQueryable<CommunicationParty> parties, SdesDbContext db, IReadOnlyList<string> terms)
    {
        if (terms.Count == 0)
        {
            return parties;
        }

        switch (db.Provider)
        {
            case DatabaseProvider.Sqlite:
                // Each term quoted (so FTS5 syntax in the input is inert) and prefix-matched; terms are ANDed.
                var fts = string.Join(' ', terms.Select(t => "\"" + t.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"*"));
                var ids = db.Database.SqlQueryRaw<long>(
                    $"SELECT rowid AS \"Value\" FROM \"{SqliteTable}\" WHERE \"{SqliteTable}\" MATCH {{0}}", fts);
                return parties.Where(p => ids.Contains(p.Id));
            case DatabaseProvider.Postgres:
                var tsquery = string.Join(" & ", terms.Select(t => t + ":*"));
                return parties.Where(p => EF.Property<NpgsqlTsVector>(p, VectorColumn).Matches(EF.Functions.ToTsQuery("simple", tsquery)));
            default:
                // SQL Server: no full-text catalogue can be created or tested here; a scan with LIKE is correct but slow (ADR 0006).
                foreach (var term in terms)
                {
                    var pattern = "%" + term.Replace("[", "[[]", StringComparison.Ordinal).Replace("%", "[%]", StringComparison.Ordinal)
                        .Replace("_", "[_]", StringComparison.Ordinal) + "%";
                    parties = parties.Where(p => EF.Functions.Like(p.SearchText, pattern));
                }

                return parties;
        }
    }
}
