using Microsoft.EntityFrameworkCore;
using Sdes.Domain.Common;

namespace Sdes.Infrastructure.Persistence.Sequences;

/// <summary>Hands out references without gaps or duplicates. The increment runs inside the caller's transaction and locks
/// the prefix's row until it commits: two sends cannot get the same number, and a send that rolls back returns its number
/// (no gap). Sends of the same kind are serialised for the length of their transaction, which is short.</summary>
public static class ReferenceAllocator
{
    public static async Task<Reference> NextAsync(SdesDbContext db, ReferenceKind kind, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Allocate a reference inside the transaction that stores it, or a rollback leaves a gap.");
        }

        var table = db.Model.FindEntityType(typeof(ReferenceSequence))!.GetTableName();
        var sql = db.Provider switch
        {
            DatabaseProvider.SqlServer =>
                $"UPDATE [{table}] SET [LastNumber] = [LastNumber] + 1 OUTPUT INSERTED.[LastNumber] AS [Value] WHERE [Prefix] = {{0}}",
            _ => $"UPDATE \"{table}\" SET \"LastNumber\" = \"LastNumber\" + 1 WHERE \"Prefix\" = {{0}} RETURNING \"LastNumber\" AS \"Value\"",
        };

        var numbers = await db.Database.SqlQueryRaw<long>(sql, kind.Prefix).ToListAsync(ct);
        if (numbers.Count != 1)
        {
            throw new InvalidOperationException($"There is no {kind.Prefix} reference sequence; the migrations seed one per prefix.");
        }

        return Reference.Create(kind, numbers.Single());
    }
}
