using Microsoft.EntityFrameworkCore;
using Sdes.App.Features.Communications;
using Sdes.Domain.Audit;
using Sdes.Domain.Common;
using Sdes.Domain.Communications;
using Sdes.Infrastructure.Persistence;
using Sdes.Tests.Persistence;
using static Sdes.Tests.Communications.CommunicationTestApp;

namespace Sdes.Tests.Communications;

/// <summary>The retention job (spec 13.1, 13.4) on each provider with a fake clock: archive 30 days (720 hours) after the
/// latest message, delete the content 30 days after archiving, idempotent, catching up after missed runs, and exact across
/// the UK clock changes (the periods are elapsed time, so the UTC instants are the same whichever side of a change).</summary>
public abstract class CommunicationRetentionTests(TestDatabase database) : IAsyncLifetime
{
    private CommunicationTestApp _app = default!;

    public async Task InitializeAsync() => _app = await StartAsync(database);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    protected CommunicationTestApp App => _app;

    protected Task<(int Archived, int Deleted)> RunAsync() => _app.Retention.RunAsync(CancellationToken.None);

    protected async Task<CommunicationStatus> StatusAsync(string reference) => (await _app.LoadAsync(reference)).Status;

    /// <summary>The parties whose search text matches, whatever their status, through the provider's full-text index.</summary>
    private Task<int> SearchHitsAsync(string word) =>
        _app.DbAsync(db => db.CommunicationParties.AsNoTracking().Matching(db, CommunicationSearch.Terms(word)).CountAsync());

    [Fact]
    public async Task RunAsync_ArchivesExactlyThoseWhoseLatestMessageIs30DaysOld()
    {
        _app.SetTime("2026-11-02T10:00:00Z");
        var idle = await _app.SendAsync(_app.Ada, _app.B, _app.ContractManager);
        _app.SetTime("2026-11-03T10:00:00Z");
        var younger = await _app.SendAsync(_app.Ada, _app.B, _app.GeneralQuery);
        var replied = await _app.SendAsync(_app.Ben, _app.A, _app.ContractManager);
        _app.SetTime("2026-11-20T10:00:00Z");
        await _app.ReplyAsync(_app.Ada, replied, "Still on it.");

        _app.SetTime("2026-12-02T09:59:59Z");
        Assert.Equal((0, 0), await RunAsync());
        _app.SetTime("2026-12-02T10:00:00Z");
        Assert.Equal((1, 0), await RunAsync());

        var archived = await _app.LoadAsync(idle);
        Assert.Equal((CommunicationStatus.Archived, At("2026-12-02T10:00:00Z")), (archived.Status, archived.ArchivedAt));
        Assert.All(archived.Parties, p => Assert.Equal((CommunicationStatus.Archived, archived.ArchivedAt), (p.Status, p.ArchivedAt)));
        var systemEvent = Assert.Single(archived.Events, e => e.Kind == CommunicationEventKind.Archived);
        Assert.Equal((null, null, "automatically, 30 days after the latest message"), (systemEvent.ActorUserId, systemEvent.ActorName, systemEvent.Detail));
        Assert.Equal(CommunicationStatus.Active, await StatusAsync(younger));
        Assert.Equal(CommunicationStatus.Active, await StatusAsync(replied));
        var audit = (await _app.AuditAsync(AuditAction.CommunicationArchived)).OrderBy(e => e.OrganisationId == _app.A.Id.Value ? 0 : 1).ToList();
        Assert.Equal([_app.A.Id.Value, _app.B.Id.Value], audit.Select(e => e.OrganisationId!.Value));
        Assert.All(audit, e => Assert.Equal((null, null, idle, _app.ContractManager.Id.Value, At("2026-12-02T10:00:00Z")),
            (e.ActorUserId, e.ActorName, e.SubjectReference, e.ProcessId, e.OccurredAt)));
        Assert.Equal([idle], await _app.ReferencesAsync(_app.Ada, new() { Folder = Folder.Archived }));

        _app.SetTime("2026-12-03T10:00:00Z");
        Assert.Equal((1, 0), await RunAsync());
        Assert.Equal(CommunicationStatus.Archived, await StatusAsync(younger));
        Assert.Equal(CommunicationStatus.Active, await StatusAsync(replied));
    }

    [Fact]
    public async Task RunAsync_30DaysAfterArchiving_DeletesTheContent_AndKeepsATombstoneAndTheAuditTrail()
    {
        _app.SetTime("2026-11-02T10:00:00Z");
        var reference = await _app.SendAsync(_app.Ada, _app.B, _app.Disconnections, "Zanzibar supply", "Quixotic wording here.", tag: "tagged-secret");
        var kept = await _app.SendAsync(_app.Ada, _app.B, _app.GeneralQuery, "Kept one", "Quixotic too.");
        _app.Clock.Advance(TimeSpan.FromMinutes(1));
        await _app.ReplyAsync(_app.Ben, reference, "Reply from B.", tag: "bravo-tag");
        await _app.Service.AssignOwnerAsync(As(_app.Ben), reference, _app.Ben.Id);
        await _app.Service.RecordViewAsync(As(_app.Ada), reference);
        _app.SetTime("2026-11-20T10:00:00Z");
        await _app.Service.ArchiveAsync(As(_app.Ada), reference);
        _app.SetTime("2026-11-30T10:00:00Z");
        await _app.ReplyAsync(_app.Ada, kept, "Quixotic follow-up keeps it active longer.");
        var auditBefore = await _app.AuditAsync();
        Assert.Equal(2, await SearchHitsAsync("zanzibar"));
        Assert.Equal(4, await SearchHitsAsync("quixotic"));
        Assert.Equal(1, await SearchHitsAsync("bravo"));
        Assert.Equal(1, await SearchHitsAsync("tagged"));

        _app.SetTime("2026-12-20T09:59:59Z");
        Assert.Equal((0, 0), await RunAsync());
        _app.SetTime("2026-12-20T10:00:00Z");
        Assert.Equal((0, 1), await RunAsync());

        var tombstone = await _app.LoadAsync(reference);
        Assert.Equal((CommunicationStatus.Deleted, ParseNumber(reference), At("2026-12-20T10:00:00Z"), At("2026-11-20T10:00:00Z")),
            (tombstone.Status, tombstone.ReferenceNumber, tombstone.DeletedAt, tombstone.ArchivedAt));
        Assert.Equal(("", ""), (tombstone.Subject, tombstone.AttachmentNames));
        Assert.Empty(tombstone.BespokeData);
        Assert.Empty(tombstone.Messages);
        Assert.Empty(tombstone.Events);
        Assert.Equal(2, tombstone.Parties.Count);
        Assert.All(tombstone.Parties, p => Assert.Equal(("", "", null, null, false, CommunicationStatus.Deleted),
            (p.Tags, p.SearchText, p.OwnerUserId, p.OwnerName, p.HasUnread, p.Status)));
        var id = tombstone.Id;
        Assert.Equal(0, await _app.DbAsync(db => db.CommunicationMessages.CountAsync(m => m.CommunicationId == id)));
        Assert.Equal(0, await _app.DbAsync(db => db.CommunicationEvents.CountAsync(e => e.CommunicationId == id)));
        Assert.Equal(0, await SearchHitsAsync("zanzibar"));
        Assert.Equal(0, await SearchHitsAsync("bravo"));
        Assert.Equal(0, await SearchHitsAsync("tagged"));
        Assert.Equal(2, await SearchHitsAsync("quixotic"));
        Assert.Empty(await _app.ReferencesAsync(_app.Ada, new() { Search = "zanzibar", Folder = Folder.Archived }));
        Assert.Empty(await _app.ReferencesAsync(_app.Ben, new() { Folder = Folder.Archived }));

        // The audit trail outlives the content: everything recorded before is still there, plus one deletion per party.
        var auditAfter = await _app.AuditAsync();
        Assert.Equal(auditBefore.Select(e => e.Id).Order(),
            auditAfter.Where(e => e.Action != AuditAction.CommunicationContentDeleted).Select(e => e.Id).Order());
        var deleted = await _app.AuditAsync(AuditAction.CommunicationContentDeleted);
        Assert.Equal([_app.A.Id.Value, _app.B.Id.Value], deleted.Select(e => e.OrganisationId!.Value).OrderBy(o => o == _app.A.Id.Value ? 0 : 1));
        Assert.All(deleted, e => Assert.Equal((null, "Communication", id.ToString(), reference, _app.Disconnections.Id.Value,
                "content permanently deleted, 30 days after archiving"),
            (e.ActorUserId, e.SubjectType, e.SubjectId, e.SubjectReference, e.ProcessId, e.Detail)));
        Assert.Equal(CommunicationStatus.Active, await StatusAsync(kept));

        // What is left cannot be read or changed as a communication any more.
        var transcript = await Assert.ThrowsAsync<DomainException>(() => _app.Service.TranscriptAsync(As(_app.Ada), reference));
        Assert.Equal("This communication has been deleted.", transcript.Message);
        await Assert.ThrowsAsync<DomainException>(() => _app.ReplyAsync(_app.Ben, reference, "Anyone there?"));
    }

    [Fact]
    public async Task RunAsync_Twice_ChangesNothingTheSecondTime()
    {
        _app.SetTime("2026-11-02T10:00:00Z");
        var toDelete = await _app.SendAsync(_app.Ada, _app.B, _app.ContractManager);
        _app.SetTime("2026-12-01T10:00:00Z");
        var toArchive = await _app.SendAsync(_app.Ada, _app.B, _app.ContractManager);
        _app.SetTime("2027-01-01T10:00:00Z");
        Assert.Equal((2, 1), await RunAsync());
        var audit = await _app.AuditAsync();
        Task<List<int>> VersionsAsync() =>
            _app.DbAsync(db => db.Communications.AsNoTracking().OrderBy(c => c.ReferenceNumber).Select(c => c.Version).ToListAsync());
        var versions = await VersionsAsync();

        Assert.Equal((0, 0), await RunAsync());
        _app.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal((0, 0), await RunAsync());

        Assert.Equal(audit.Count, (await _app.AuditAsync()).Count);
        Assert.Equal(versions, await VersionsAsync());
        Assert.Equal(CommunicationStatus.Deleted, await StatusAsync(toDelete));
        Assert.Equal(CommunicationStatus.Archived, await StatusAsync(toArchive));
    }

    [Fact]
    public async Task RunAsync_After70DaysWithoutARun_ArchivesAndDeletesInOneRun_AsOfTheDayEachFellDue()
    {
        _app.SetTime("2026-11-02T10:00:00Z");
        var old = await _app.SendAsync(_app.Ada, _app.B, _app.ContractManager);
        _app.SetTime("2026-11-22T10:00:00Z");
        var middle = await _app.SendAsync(_app.Ben, _app.A, _app.ContractManager);
        _app.SetTime("2027-01-11T10:00:00Z"); // 70 days after the first, 50 after the second

        Assert.Equal((2, 1), await RunAsync());

        var deleted = await _app.LoadAsync(old);
        Assert.Equal((CommunicationStatus.Deleted, At("2026-12-02T10:00:00Z"), At("2027-01-11T10:00:00Z")),
            (deleted.Status, deleted.ArchivedAt, deleted.DeletedAt));
        var archived = await _app.LoadAsync(middle);
        Assert.Equal((CommunicationStatus.Archived, At("2026-12-22T10:00:00Z")), (archived.Status, archived.ArchivedAt));
        // Its deletion is due 30 days after it fell due for archiving, not 30 days after the late run.
        _app.SetTime("2027-01-21T09:59:59Z");
        Assert.Equal((0, 0), await RunAsync());
        _app.SetTime("2027-01-21T10:00:00Z");
        Assert.Equal((0, 1), await RunAsync());
        Assert.Equal(4, (await _app.AuditAsync(AuditAction.CommunicationArchived)).Count);
        Assert.Equal(4, (await _app.AuditAsync(AuditAction.CommunicationContentDeleted)).Count);
    }

    [Fact]
    public async Task RunAsync_AcrossTheOctoberChangeFromBstToGmt_UsesExact720HourPeriods()
    {
        // 2026-10-01 12:00 UTC is 13:00 BST; clocks go back on 25 October, so 30 days later is 12:00 GMT on 31 October.
        _app.SetTime("2026-10-01T12:00:00Z");
        var reference = await _app.SendAsync(_app.Ada, _app.B, _app.ContractManager);

        await AssertRetentionInstantsAsync(reference, archiveAt: "2026-10-31T12:00:00Z", deleteAt: "2026-11-30T12:00:00Z");
    }

    [Fact]
    public async Task RunAsync_AcrossTheMarchChangeFromGmtToBst_UsesExact720HourPeriods()
    {
        // 2027-03-01 12:00 UTC is 12:00 GMT; clocks go forward on 28 March, so 30 days later is 13:00 BST on 31 March.
        _app.SetTime("2027-03-01T12:00:00Z");
        var reference = await _app.SendAsync(_app.Ada, _app.B, _app.ContractManager);

        await AssertRetentionInstantsAsync(reference, archiveAt: "2027-03-31T12:00:00Z", deleteAt: "2027-04-30T12:00:00Z");
    }

    private async Task AssertRetentionInstantsAsync(string reference, string archiveAt, string deleteAt)
    {
        _app.Clock.SetUtcNow(At(archiveAt).AddSeconds(-1));
        Assert.Equal((0, 0), await RunAsync());
        Assert.Equal(CommunicationStatus.Active, await StatusAsync(reference));
        _app.Clock.SetUtcNow(At(archiveAt));
        Assert.Equal((1, 0), await RunAsync());
        Assert.Equal(At(archiveAt), (await _app.LoadAsync(reference)).ArchivedAt);

        _app.Clock.SetUtcNow(At(deleteAt).AddSeconds(-1));
        Assert.Equal((0, 0), await RunAsync());
        Assert.Equal(CommunicationStatus.Archived, await StatusAsync(reference));
        _app.Clock.SetUtcNow(At(deleteAt));
        Assert.Equal((0, 1), await RunAsync());
        var tombstone = await _app.LoadAsync(reference);
        Assert.Equal((CommunicationStatus.Deleted, At(archiveAt), At(deleteAt)), (tombstone.Status, tombstone.ArchivedAt, tombstone.DeletedAt));
    }

    [Fact]
    public async Task RunAsync_AReplyToAnArchivedCommunication_RestartsTheClock()
    {
        _app.SetTime("2026-11-02T10:00:00Z");
        var reference = await _app.SendAsync(_app.Ada, _app.B, _app.ContractManager);
        _app.SetTime("2026-12-02T10:00:00Z");
        Assert.Equal((1, 0), await RunAsync());
        _app.SetTime("2026-12-31T10:00:00Z");
        await _app.ReplyAsync(_app.Ben, reference, "Back again.");

        _app.SetTime("2027-01-01T10:00:00Z"); // the old deletion date has passed: nothing happens, it is active again
        Assert.Equal((0, 0), await RunAsync());
        Assert.Equal(CommunicationStatus.Active, await StatusAsync(reference));
        _app.SetTime("2027-01-30T10:00:00Z");
        Assert.Equal((1, 0), await RunAsync());
        Assert.Equal(At("2027-01-30T10:00:00Z"), (await _app.LoadAsync(reference)).ArchivedAt);
        Assert.Single(await _app.AuditAsync(AuditAction.CommunicationReactivated));
    }

    [Fact]
    public async Task RunAsync_WithMoreThanOneBatchDue_ArchivesThemAll()
    {
        // Stored directly through the aggregate (the use case would take a transaction each): only the job is under test here.
        var count = Infrastructure.Jobs.CommunicationRetention.BatchSize + 3;
        var sentAt = At("2026-11-02T10:00:00Z");
        await _app.DbAsync(async db =>
        {
            var a = await db.Organisations.SingleAsync(o => o.Id == _app.A.Id);
            var b = await db.Organisations.SingleAsync(o => o.Id == _app.B.Id);
            var process = await db.BusinessProcesses.SingleAsync(p => p.Id == _app.GeneralQuery.Id);
            db.Communications.AddRange(Enumerable.Range(1, count).Select(n => Communication.Send(Reference.Create(ReferenceKind.Communication, n),
                process, _app.Ada.Ref, a, a.Roles[0], b, b.Roles[0], $"Bulk {n}", "Bulk.", null, new Dictionary<string, string?>(), sentAt)));
            return await db.SaveChangesAsync();
        });

        _app.SetTime("2026-12-02T10:00:00Z");
        Assert.Equal((count, 0), await RunAsync());
        Assert.Equal(0, await _app.DbAsync(db => db.Communications.CountAsync(c => c.Status != CommunicationStatus.Archived)));
        Assert.Equal(2 * count, (await _app.AuditAsync(AuditAction.CommunicationArchived)).Count);
    }
}

/// <summary>Also checks the FTS5 external-content index, which exists on SQLite only (PostgreSQL computes its tsvector from
/// the row itself).</summary>
[Collection(SqliteCollection.Name)]
public sealed class CommunicationRetentionTests_Sqlite(SqliteTestDatabase database) : CommunicationRetentionTests(database)
{
    [Fact]
    public async Task Sqlite_FullTextIndex_StaysConsistentWithTheTable_ThroughArchiveAndDeletion()
    {
        App.SetTime("2026-11-02T10:00:00Z");
        var deleted = await App.SendAsync(App.Ada, App.B, App.ContractManager, "Obsolete gizmo", "Flibbertigibbet content.", tag: "gone-soon");
        App.SetTime("2026-11-05T10:00:00Z");
        var kept = await App.SendAsync(App.Ada, App.B, App.ContractManager, "Current gizmo", "Other content.");
        App.SetTime("2026-12-05T09:00:00Z");
        await App.ReplyAsync(App.Ben, kept, "Still current.");
        App.SetTime("2027-01-01T10:00:00Z");
        Assert.Equal((1, 1), await RunAsync());

        const string table = CommunicationSearch.SqliteTable;
        // FTS5's own check that the index matches its external content, CommunicationParties, row for row (it fails if not).
        await App.DbAsync(db => db.Database.ExecuteSqlRawAsync($"INSERT INTO \"{table}\"(\"{table}\", rank) VALUES('integrity-check', 1)"));
        var direct = await App.DbAsync(db => db.Database.SqlQueryRaw<long>(
            $"SELECT rowid AS \"Value\" FROM \"{table}\" WHERE \"{table}\" MATCH 'flibbertigibbet OR gizmo OR gone'").ToListAsync());
        var keptNumber = ParseNumber(kept);
        var keptParties = await App.DbAsync(db => db.CommunicationParties.AsNoTracking()
            .Where(p => p.ReferenceNumber == keptNumber).Select(p => p.Id).ToListAsync());
        Assert.Equal(keptParties.Order(), direct.Order());
        Assert.Equal([kept], await App.ReferencesAsync(App.Ada, new() { Search = "gizmo" }));
        Assert.Empty(await App.ReferencesAsync(App.Ada, new() { Search = "flibbertigibbet", Folder = Folder.Archived }));
        Assert.Equal(CommunicationStatus.Deleted, await StatusAsync(deleted));
    }
}

[Collection(PostgresCollection.Name)]
public sealed class CommunicationRetentionTests_Postgres(PostgresTestDatabase database) : CommunicationRetentionTests(database);
