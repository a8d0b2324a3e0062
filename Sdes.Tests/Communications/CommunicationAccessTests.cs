using Sdes.App.Features.Communications;
using Sdes.App.Features.Shared;
using Sdes.Domain.Audit;
using Sdes.Infrastructure.Identity;
using Sdes.Tests.Persistence;
using static Sdes.Tests.Communications.CommunicationTestApp;

namespace Sdes.Tests.Communications;

/// <summary>The SDEP access rule at every use case: someone who is not an assigned AR of a party organisation gets the same
/// "not found" as for a reference that does not exist, nothing changes, and the attempt is in their organisation's audit trail.</summary>
public abstract class CommunicationAccessTests(TestDatabase database) : IAsyncLifetime
{
    private CommunicationTestApp _app = default!;
    private string _reference = default!;

    public async Task InitializeAsync()
    {
        _app = await StartAsync(database);
        _app.SetTime("2026-11-23T10:00:00Z");
        // Between A and B, of a process C's AR is assigned to: only the party rule keeps Cal out.
        _reference = await _app.SendAsync(_app.Ada, _app.B, _app.ContractManager, "Between A and B", "Only for A and B.");
        _app.Clock.Advance(TimeSpan.FromDays(8)); // past the 5-working-day window, so escalation itself would be allowed
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static readonly string[] UseCaseNames =
        ["Detail", "Reply", "Escalate", "AssignOwner", "ChangeTags", "Archive", "RecordView", "Transcript"];

    public static TheoryData<string> UseCases => new(UseCaseNames);

    private Task Run(string useCase, SdesUser user, string reference)
    {
        var p = As(user);
        var service = _app.Service;
        return useCase switch
        {
            "Detail" => _app.Queries.DetailAsync(p, reference),
            "Reply" => service.ReplyAsync(p, reference, new ReplyForm { Message = "Let me in." }),
            "Escalate" => service.EscalateAsync(p, reference),
            "AssignOwner" => service.AssignOwnerAsync(p, reference, user.Id),
            "ChangeTags" => service.ChangeTagsAsync(p, reference, ["mine now"]),
            "Archive" => service.ArchiveAsync(p, reference),
            "RecordView" => service.RecordViewAsync(p, reference),
            "Transcript" => service.TranscriptAsync(p, reference),
            _ => throw new ArgumentOutOfRangeException(nameof(useCase), useCase, null),
        };
    }

    private async Task AssertRefusedAsync(string useCase, SdesUser user, string reference, string expectedSubjectId)
    {
        var before = await _app.LoadAsync(_reference);
        var auditBefore = await _app.AuditAsync();

        var thrown = await Record.ExceptionAsync(() => Run(useCase, user, reference));

        Assert.True(thrown is NotFoundException,
            $"{useCase} with '{reference}' as {user.DisplayName}: expected not found, got {thrown?.GetType().Name ?? "success"}.");
        var denied = Assert.Single(await _app.AuditAsync(AuditAction.AccessDenied), e => auditBefore.All(b => b.Id != e.Id));
        Assert.Equal((user.Id, user.DisplayName, user.OrganisationId.Value, user.OrganisationId.Value), (denied.ActorUserId, denied.ActorName,
            denied.ActorOrganisationId, denied.OrganisationId));
        Assert.Equal(("Communication", expectedSubjectId), (denied.SubjectType, denied.SubjectId));
        Assert.Null(denied.SubjectReference);
        Assert.Null(denied.Detail);
        Assert.Equal(_app.Clock.GetUtcNow(), denied.OccurredAt);
        Assert.Equal(auditBefore.Count + 1, (await _app.AuditAsync()).Count);
        var after = await _app.LoadAsync(_reference);
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(before.Status, after.Status);
        Assert.Equal(before.CurrentLevel, after.CurrentLevel);
        Assert.Equal(before.Messages.Count, after.Messages.Count);
        Assert.Equal(before.Events.Count, after.Events.Count);
        Assert.Equal(before.Parties.OrderBy(x => x.Side).Select(x => (x.Tags, x.OwnerUserId, x.HasUnread, x.LastViewedAt)),
            after.Parties.OrderBy(x => x.Side).Select(x => (x.Tags, x.OwnerUserId, x.HasUnread, x.LastViewedAt)));
    }

    [Theory]
    [MemberData(nameof(UseCases))]
    public async Task UseCase_AsAnAssignedArOfAThirdOrganisation_IsNotFound_AndAudited(string useCase)
    {
        await AssertRefusedAsync(useCase, _app.Cal, _reference, _reference);
    }

    [Theory]
    [MemberData(nameof(UseCases))]
    public async Task UseCase_WithAMalformedReference_AsAParty_IsNotFound_AndAudited(string useCase)
    {
        await AssertRefusedAsync(useCase, _app.Ada, "SDE-1' OR '1'='1", "SDE-1' OR '1'='1");
    }

    [Fact]
    public async Task EveryUseCase_AsAPartysArNotAssignedToTheProcess_IsNotFound_AndAudited()
    {
        foreach (var useCase in UseCaseNames)
        {
            await AssertRefusedAsync(useCase, _app.Amy, _reference, _reference);
        }
    }

    [Fact]
    public async Task EveryUseCase_WithAReferenceThatDoesNotExist_IsNotFound_AndAudited()
    {
        foreach (var useCase in UseCaseNames)
        {
            await AssertRefusedAsync(useCase, _app.Ada, "sde0009999", "SDE0009999");
        }
    }

    [Fact]
    public async Task DetailAsync_WithAnyMalformedReference_IsNotFound_AndAuditsAtMost40SafeCharactersOfIt()
    {
        var cases = new (string Asked, string Audited)[]
        {
            ("", ""), ("   ", "   "), ("SDE", "SDE"), ("SDE12", "SDE12"), ("SDE00000001", "SDE00000001"), ("SDE0000000", "SDE0000000"),
            ("CMC00001", "CMC00001"), ("XYZ0000001", "XYZ0000001"), ("SDE000000\u0661", "SDE000000\u0661"), ("../SDE0000001", "../SDE0000001"),
            (new string('9', 300), new string('9', 40)),
            // PostgreSQL cannot store NUL; control characters (terminal escapes too) are shown as U+FFFD.
            ("SDE0000001\0", "SDE0000001\uFFFD"),
            ("SDE0000001\u0001\u001b[31m", "SDE0000001\uFFFD\uFFFD[31m"),
            // A surrogate pair straddling the 40th character is left out whole, not cut in two.
            (new string('x', 39) + "\U0001F600", new string('x', 39)),
            (new string('x', 38) + "\U0001F600", new string('x', 38) + "\U0001F600"),
            ("SDE\uD800001", "SDE\uFFFD001"),
        };

        foreach (var (asked, audited) in cases)
        {
            await AssertRefusedAsync("Detail", _app.Ada, asked, audited);
        }
    }

    [Fact]
    public async Task UseCases_AsTheParties_AreAllowed_AndWriteNoDenial()
    {
        // The same calls succeed for the parties' assigned ARs, so the refusals above are the access rule and nothing else.
        await _app.Queries.DetailAsync(As(_app.Ben), _reference);
        await _app.Service.RecordViewAsync(As(_app.Bea), _reference);
        await _app.Service.ChangeTagsAsync(As(_app.Ben), _reference, ["ours"]);
        await _app.Service.AssignOwnerAsync(As(_app.Ben), _reference, _app.Ben.Id);
        await _app.Service.TranscriptAsync(As(_app.Alan), _reference);
        await _app.Service.EscalateAsync(As(_app.Ada), _reference);
        await _app.Service.ReplyAsync(As(_app.Bea), _reference, new ReplyForm { Message = "Level 2 here." });
        await _app.Service.ArchiveAsync(As(_app.Ada), _reference);

        Assert.Empty(await _app.AuditAsync(AuditAction.AccessDenied));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class CommunicationAccessTests_Sqlite(SqliteTestDatabase database) : CommunicationAccessTests(database);

[Collection(PostgresCollection.Name)]
public sealed class CommunicationAccessTests_Postgres(PostgresTestDatabase database) : CommunicationAccessTests(database);
