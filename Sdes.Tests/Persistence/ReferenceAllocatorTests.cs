using Sdes.Domain.Common;
using Sdes.Infrastructure.Persistence.Sequences;

namespace Sdes.Tests.Persistence;

/// <summary>Runs once per provider: see the two tiny subclasses at the bottom.</summary>
public abstract class ReferenceAllocatorTests(TestDatabase database) : IAsyncLifetime
{
    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<Reference> AllocateAsync(ReferenceKind kind, bool commit = true)
    {
        await using var db = database.CreateContext();
        await using var tx = await db.Database.BeginTransactionAsync();
        var reference = await ReferenceAllocator.NextAsync(db, kind, CancellationToken.None);
        if (commit)
        {
            await tx.CommitAsync();
        }

        return reference;
    }

    [Fact]
    public async Task Next_CountsUpPerKind()
    {
        Assert.Equal("SDE0000001", (await AllocateAsync(ReferenceKind.Communication)).Value);
        Assert.Equal("SDE0000002", (await AllocateAsync(ReferenceKind.Communication)).Value);
        Assert.Equal("CMC00001", (await AllocateAsync(ReferenceKind.CrossedMeterCase)).Value);
        Assert.Equal("NMP000001", (await AllocateAsync(ReferenceKind.MeteringPointRequest)).Value);
    }

    [Fact]
    public async Task Next_InATransactionThatRollsBack_LeavesNoGap()
    {
        await AllocateAsync(ReferenceKind.Communication);
        await AllocateAsync(ReferenceKind.Communication, commit: false);

        Assert.Equal("SDE0000002", (await AllocateAsync(ReferenceKind.Communication)).Value);
    }

    [Fact]
    public async Task Next_OutsideATransaction_IsRefused()
    {
        await using var db = database.CreateContext();
        await Assert.ThrowsAsync<InvalidOperationException>(() => ReferenceAllocator.NextAsync(db, ReferenceKind.Communication, CancellationToken.None));
    }

    [Fact]
    public async Task Next_UnderConcurrentSends_HasNoDuplicatesAndNoGaps()
    {
        var references = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => Task.Run(() => AllocateAsync(ReferenceKind.Communication))));

        Assert.Equal(Enumerable.Range(1, 24).Select(i => (long)i), references.Select(r => r.Number).Order());
    }
}

[Collection(SqliteCollection.Name)]
public sealed class ReferenceAllocatorTests_Sqlite(SqliteTestDatabase database) : ReferenceAllocatorTests(database);

[Collection(PostgresCollection.Name)]
public sealed class ReferenceAllocatorTests_Postgres(PostgresTestDatabase database) : ReferenceAllocatorTests(database);
