using Microsoft.EntityFrameworkCore;
using Sdes.App.Features.Communications;
using Sdes.Domain.Audit;
using Sdes.Domain.Common;
using Sdes.Domain.Communications;
using Sdes.Domain.Processes;
using Sdes.Tests.Persistence;
using static Sdes.Tests.Communications.CommunicationTestApp;

namespace Sdes.Tests.Communications;

/// <summary>The SDEP use cases end to end on each provider: what a refused send leaves behind (nothing), references under
/// concurrent sends, escalation against the operational calendar, the audit trail they write, and the transcript.</summary>
public abstract class CommunicationServiceTests(TestDatabase database) : IAsyncLifetime
{
    // Monday 23 November 2026, 10:00 GMT. Five working days later is Monday 30 November 10:00 (no bank holiday between).
    private static readonly DateTimeOffset Monday = At("2026-11-23T10:00:00Z");
    private static readonly DateTimeOffset FiveWorkingDaysLater = At("2026-11-30T10:00:00Z");

    private CommunicationTestApp _app = default!;

    public async Task InitializeAsync()
    {
        _app = await StartAsync(database);
        _app.Clock.SetUtcNow(Monday);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private Task<long> LastReferenceNumberAsync() =>
        _app.DbAsync(db => db.ReferenceSequences.AsNoTracking().Where(s => s.Prefix == ReferenceKind.Communication.Prefix).Select(s => s.LastNumber)
            .SingleAsync());

    private async Task AssertNothingStoredAsync()
    {
        Assert.Equal(0, await _app.DbAsync(db => db.Communications.CountAsync()));
        Assert.Equal(0, await _app.DbAsync(db => db.CommunicationParties.CountAsync()));
        Assert.Equal(0, await _app.DbAsync(db => db.CommunicationMessages.CountAsync()));
        Assert.Equal(0, await _app.DbAsync(db => db.CommunicationEvents.CountAsync()));
        Assert.Empty(await _app.AuditAsync());
        Assert.Equal(0, await LastReferenceNumberAsync());
    }

    [Fact]
    public async Task SendAsync_WithAnMpanFailingItsCheckDigit_IsRefused_WritesNothing_AndUsesNoReference()
    {
        var refused = await Assert.ThrowsAsync<DomainException>(() => _app.SendAsync(_app.Ada, _app.B, _app.Disconnections,
            bespoke: new() { ["mpan"] = BadCheckDigitMpan }));

        Assert.Equal("The MPAN 1223015956918 fails its check digit; check it was typed correctly.", refused.Message);
        await AssertNothingStoredAsync();
        Assert.Equal("SDE0000001", await _app.SendAsync(_app.Ada, _app.B, _app.Disconnections));
        Assert.Equal(1, await LastReferenceNumberAsync());
    }

    public static TheoryData<string, string> RefusedSends => new()
    {
        { "no subject", "Enter a subject." },
        { "control character in the message", "A message cannot contain control characters." },
        { "process not assigned", "Choose a business process you are assigned to." },
        { "unknown process", "Choose a business process you are assigned to." },
        { "route the process does not allow", "Electricity Disconnections does not pass from Electricity Supplier to Electricity Supplier." },
        { "to own organisation", "Choose another organisation to send to; you cannot send to your own." },
        { "recipient role it does not hold", "Choose an organisation and market role to send to." },
        { "missing required bespoke value", "Enter the Customer name." },
        { "unknown bespoke key", "Electricity Disconnections has no data item 'colour'." },
    };

    [Theory]
    [MemberData(nameof(RefusedSends))]
    public async Task SendAsync_Refused_SaysWhy_AndWritesNothing(string scenario, string message)
    {
        var app = _app;
        var form = scenario switch
        {
            "no subject" => app.Form(app.Ada, app.B, app.ContractManager, "  ", "Text."),
            "control character in the message" => app.Form(app.Ada, app.B, app.ContractManager, "Subject", "Bell\u0007"),
            "process not assigned" => app.Form(app.Amy, app.B, app.ContractManager, "Subject", "Text."),
            "unknown process" => WithProcess(app.Form(app.Ada, app.B, app.ContractManager, "Subject", "Text."), "no-such-process"),
            "route the process does not allow" => app.Form(app.Ada, app.C, app.Disconnections, "Subject", "Text."),
            "to own organisation" => app.Form(app.Ada, app.A, app.ContractManager, "Subject", "Text."),
            "recipient role it does not hold" => WithRecipient(app.Form(app.Ada, app.B, app.ContractManager, "Subject", "Text."),
                $"{app.B.Id.Value}|{CommunicationQueries.RoleKey("CCCC", Sdes.Domain.Organisations.MarketRole.ElectricitySupplier)}"),
            "missing required bespoke value" => app.Form(app.Ada, app.C, app.ErroneousTransfers, "Subject", "Text.",
                bespoke: new() { ["transfer-date"] = "2026-08-31" }),
            "unknown bespoke key" => app.Form(app.Ada, app.B, app.Disconnections, "Subject", "Text.",
                bespoke: new() { ["mpan"] = ValidMpan, ["colour"] = "red" }),
            _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
        };
        var sender = scenario == "process not assigned" ? app.Amy : app.Ada;

        var refused = await Assert.ThrowsAsync<DomainException>(() => app.Service.SendAsync(As(sender), form));

        Assert.Equal(message, refused.Message);
        await AssertNothingStoredAsync();
    }

    private static SendForm WithProcess(SendForm form, string code)
    {
        form.ProcessCode = code;
        return form;
    }

    private static SendForm WithRecipient(SendForm form, string recipient)
    {
        form.Recipient = recipient;
        return form;
    }

    [Fact]
    public async Task SendAsync_TwentyInParallel_GetDistinctGaplessReferences()
    {
        var references = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            _app.SendAsync(i % 2 == 0 ? _app.Ada : _app.Ben, i % 2 == 0 ? _app.B : _app.A, _app.GeneralQuery, $"Parallel {i}", "At once."))));

        Assert.Equal(Enumerable.Range(1, 20).Select(n => Ref(n)), references.Order(StringComparer.Ordinal));
        Assert.Equal(20, await LastReferenceNumberAsync());
        var stored = await _app.DbAsync(db => db.Communications.AsNoTracking().Select(c => c.ReferenceNumber).ToListAsync());
        Assert.Equal(Enumerable.Range(1, 20).Select(n => (long)n), stored.Order());
        var sent = await _app.AuditAsync(AuditAction.CommunicationSent);
        Assert.Equal(references.Order(StringComparer.Ordinal), sent.Select(e => e.SubjectReference!).Order(StringComparer.Ordinal));
        Assert.Equal(20, (await _app.ReferencesAsync(_app.Ada)).Count);
    }

    [Fact]
    public async Task EscalateAsync_BeforeTheWindowLapses_IsRefused_AndFromTheDeadlineIsAllowed()
    {
        var reference = await _app.SendAsync(_app.Ada, _app.B, _app.ContractManager);
        _app.Clock.SetUtcNow(FiveWorkingDaysLater.AddSeconds(-1));

        var early = await Assert.ThrowsAsync<DomainException>(() => _app.Service.EscalateAsync(As(_app.Ada), reference));
        var before = await _app.Queries.DetailAsync(As(_app.Ada), reference);

        Assert.Equal("You can escalate once the recipient responds or their response window at level 1 (5 working days) lapses.", early.Message);
        Assert.False(before.Escalation.Allowed);
        Assert.Equal(FiveWorkingDaysLater, before.Escalation.AllowedFrom);
        Assert.Equal(1, before.Level);
        Assert.Empty(await _app.AuditAsync(AuditAction.CommunicationEscalated));

        _app.Clock.SetUtcNow(FiveWorkingDaysLater);
        Assert.True((await _app.Queries.DetailAsync(As(_app.Ada), reference)).Escalation.Allowed);
        await _app.Service.EscalateAsync(As(_app.Ada), reference);

        var after = await _app.Queries.DetailAsync(As(_app.Ada), reference);
        Assert.Equal(2, after.Level);
        Assert.Equal("This communication is already at the highest escalation level (2).", after.Escalation.Explanation);
        var escalated = Assert.Single(await _app.AuditAsync(AuditAction.CommunicationEscalated));
        Assert.Equal((_app.Ada.Id, "to level 2", FiveWorkingDaysLater), (escalated.ActorUserId, escalated.Detail, escalated.OccurredAt));
        Assert.Equal([reference], await _app.ReferencesAsync(_app.Bea, new() { MyLevel = 2 }));
        Assert.Empty(await _app.ReferencesAsync(_app.Ben, new() { MyLevel = 1 }));
        var again = await Assert.ThrowsAsync<DomainException>(() => _app.Service.EscalateAsync(As(_app.Ada), reference));
        Assert.Equal("This communication is already at the highest escalation level (2).", again.Message);
    }

    [Fact]
    public async Task EscalateAsync_OverAWeekendAndBankHolidays_CountsOnlyWorkingDays()
    {
        // Wednesday 23 December 2026 10:00 GMT. Working days: 24 Dec, 29, 30, 31 Dec, then 4 Jan 2027 (25 and 28 Dec and
        // 1 Jan are bank holidays), so the window lapses on Monday 4 January 2027 at 10:00.
        _app.SetTime("2026-12-23T10:00:00Z");
        var reference = await _app.SendAsync(_app.Ada, _app.B, _app.ContractManager);

        _app.SetTime("2027-01-04T09:59:59Z");
        await Assert.ThrowsAsync<DomainException>(() => _app.Service.EscalateAsync(As(_app.Ada), reference));
        _app.SetTime("2027-01-04T10:00:00Z");
        await _app.Service.EscalateAsync(As(_app.Ada), reference);

        Assert.Equal(2, (await _app.LoadAsync(reference)).CurrentLevel);
    }

    [Fact]
    public async Task EscalateAsync_OnceTheRecipientHasResponded_IsAllowedAtOnce()
    {
        var reference = await _app.SendAsync(_app.Ada, _app.B, _app.ContractManager);
        _app.Clock.Advance(TimeSpan.FromMinutes(5));
        await _app.ReplyAsync(_app.Ben, reference, "We are on it.");
        _app.Clock.Advance(TimeSpan.FromMinutes(5));

        await _app.Service.EscalateAsync(As(_app.Ada), reference);

        Assert.Equal(2, (await _app.LoadAsync(reference)).CurrentLevel);
    }

    [Fact]
    public async Task EscalateAsync_ByTheRecipientOrOnAProcessThatNeverEscalates_IsRefused()
    {
        var contract = await _app.SendAsync(_app.Ada, _app.B, _app.ContractManager);
        var query = await _app.SendAsync(_app.Ada, _app.B, _app.GeneralQuery);
        _app.Clock.Advance(TimeSpan.FromDays(30));

        var byRecipient = await Assert.ThrowsAsync<DomainException>(() => _app.Service.EscalateAsync(As(_app.Ben), contract));
        var generalQuery = await Assert.ThrowsAsync<DomainException>(() => _app.Service.EscalateAsync(As(_app.Ada), query));

        Assert.Equal("Only the sending organisation, which is awaiting a response, can escalate.", byRecipient.Message);
        Assert.Equal("General Query communications cannot be escalated.", generalQuery.Message);
        Assert.Empty(await _app.AuditAsync(AuditAction.CommunicationEscalated));
        foreach (var reference in new[] { contract, query })
        {
            Assert.Equal(1, (await _app.LoadAsync(reference)).CurrentLevel);
        }
    }

    [Fact]
    public async Task UseCases_WriteAuditEventsWithActorOrganisationProcessAndFuel_AndNeverContent()
    {
        var app = _app;
        var secrets = new[] { "kappa subject", "lambda-4471", "omicron-5582", "sigma-6693", "tag-mu", "tag-pi", "tag-rho" };
        var reference = await app.SendAsync(app.Ada, app.B, app.ContractManager, "Audit kappa subject", "Secret text lambda-4471.", tag: "tag-mu");
        async Task Step(Func<Task> action)
        {
            app.Clock.Advance(TimeSpan.FromMinutes(1));
            await action();
        }

        await Step(() => app.Service.RecordViewAsync(As(app.Ben), reference));
        await Step(() => app.Service.RecordViewAsync(As(app.Ben), reference));
        await Step(() => app.ReplyAsync(app.Ben, reference, "Reply omicron-5582.", tag: "tag-pi"));
        await Step(() => app.Service.EscalateAsync(As(app.Ada), reference));
        await Step(() => app.Service.ChangeTagsAsync(As(app.Ada), reference, ["tag-rho"]));
        await Step(() => app.Service.AssignOwnerAsync(As(app.Ada), reference, app.Alan.Id));
        await Step(() => app.Service.TranscriptAsync(As(app.Ben), reference));
        await Step(() => app.Service.ArchiveAsync(As(app.Ada), reference));
        await Step(() => app.ReplyAsync(app.Ada, reference, "Reopened sigma-6693."));
        var mpanReference = await app.SendAsync(app.Ada, app.B, app.Disconnections);

        var events = await app.AuditForAsync(reference);
        var (ada, ben) = (app.Ada, app.Ben);
        var expected = new (int Minute, AuditAction Action, Infrastructure.Identity.SdesUser By, string? Detail)[]
        {
            (0, AuditAction.CommunicationSent, ada, "to Bravo Networks (BBBB) at level 1"),
            (1, AuditAction.CommunicationViewed, ben, null),
            (2, AuditAction.CommunicationViewed, ben, null),
            (3, AuditAction.CommunicationMessageAdded, ben, "message 2"),
            (4, AuditAction.CommunicationEscalated, ada, "to level 2"),
            (5, AuditAction.CommunicationTagsChanged, ada, null),
            (6, AuditAction.CommunicationOwnerChanged, ada, "owner: Alan Alpha"),
            (7, AuditAction.CommunicationTranscriptDownloaded, ben, null),
            (8, AuditAction.CommunicationArchived, ada, "manually, for both organisations"),
            (9, AuditAction.CommunicationMessageAdded, ada, "message 3"),
            (9, AuditAction.CommunicationReactivated, ada, "by a new message"),
        };
        static string Key(AuditAction a) => a.ToString();
        Assert.Equal(
            expected.Select(e => (Monday.AddMinutes(e.Minute), e.Action, e.By.Id, e.Detail)).OrderBy(e => e.Item1).ThenBy(e => Key(e.Action)),
            events.Select(e => (e.OccurredAt, e.Action, e.ActorUserId!.Value, e.Detail)).OrderBy(e => e.OccurredAt).ThenBy(e => Key(e.Action)));
        var communication = await app.LoadAsync(reference);
        Assert.All(events, e =>
        {
            Assert.Equal(e.ActorUserId == ada.Id ? ada.DisplayName : ben.DisplayName, e.ActorName);
            var organisation = e.ActorUserId == ada.Id ? app.A.Id.Value : app.B.Id.Value;
            Assert.Equal((organisation, organisation), (e.ActorOrganisationId, e.OrganisationId));
            Assert.Equal(("Communication", communication.Id.ToString(), reference), (e.SubjectType, e.SubjectId, e.SubjectReference));
            Assert.Equal((app.ContractManager.Id.Value, Fuel.Dual), (e.ProcessId, e.Fuel));
        });
        var electricity = Assert.Single(await app.AuditForAsync(mpanReference));
        Assert.Equal((app.Disconnections.Id.Value, Fuel.Electricity), (electricity.ProcessId, electricity.Fuel));

        var everything = await app.AuditAsync();
        foreach (var secret in secrets.Append(ValidMpan))
        {
            Assert.DoesNotContain(everything, e => new[] { e.ActorName, e.SubjectType, e.SubjectId, e.SubjectReference, e.Detail }
                .Any(v => v is not null && v.Contains(secret, StringComparison.OrdinalIgnoreCase)));
        }
    }

    [Fact]
    public async Task RecordViewAsync_AuditsEveryOpening_ButTheTimelineShowsAUserAtMostHourly()
    {
        var reference = await _app.SendAsync(_app.Ada, _app.B, _app.ContractManager);

        foreach (var minutes in new[] { 1, 30, 59 })
        {
            _app.Clock.SetUtcNow(Monday.AddMinutes(minutes));
            await _app.Service.RecordViewAsync(As(_app.Ben), reference);
        }

        _app.Clock.SetUtcNow(Monday.AddMinutes(61));
        await _app.Service.RecordViewAsync(As(_app.Ben), reference);
        await _app.Service.RecordViewAsync(As(_app.Bea), reference);

        Assert.Equal(5, (await _app.AuditAsync(AuditAction.CommunicationViewed)).Count);
        var viewed = (await _app.LoadAsync(reference)).Events.Where(e => e.Kind == CommunicationEventKind.Viewed)
            .Select(e => (e.ActorName, e.OccurredAt)).OrderBy(e => e.OccurredAt).ThenBy(e => e.ActorName).ToList();
        Assert.Equal([("Ben Bravo", Monday.AddMinutes(1)), ("Bea Bravo", Monday.AddMinutes(61)), ("Ben Bravo", Monday.AddMinutes(61))], viewed);
    }

    [Fact]
    public async Task TranscriptAsync_ListsMessagesAndTheEventsTheViewerMaySee_OldestFirst()
    {
        var app = _app;
        var reference = await app.SendAsync(app.Ada, app.B, app.ContractManager, "Transcript", "First message from A.", tag: "a-private");
        app.Clock.SetUtcNow(Monday.AddMinutes(1));
        await app.Service.RecordViewAsync(As(app.Ben), reference);
        app.Clock.SetUtcNow(Monday.AddMinutes(2));
        await app.ReplyAsync(app.Ben, reference, "Reply from B.\nSecond line.");
        app.Clock.SetUtcNow(Monday.AddMinutes(3));
        await app.Service.ChangeTagsAsync(As(app.Ada), reference, ["a-private", "second"]);
        app.Clock.SetUtcNow(Monday.AddMinutes(4));

        var forB = await app.Service.TranscriptAsync(As(app.Ben), reference);
        app.Clock.SetUtcNow(Monday.AddMinutes(5));
        var forA = await app.Service.TranscriptAsync(As(app.Alan), reference);

        TranscriptLine Line(int minute, string kind, string organisation, string by, string text) =>
            new(reference, kind, Monday.AddMinutes(minute), organisation, by, text);
        Assert.Equal([
            Line(0, "Sent", "Alpha Supply", "Ada Alpha", "to Bravo Networks (BBBB) at level 1"),
            Line(0, "Message", "Alpha Supply", "Ada Alpha", "First message from A."),
            Line(1, "Viewed", "Bravo Networks", "Ben Bravo", ""),
            Line(2, "Message", "Bravo Networks", "Ben Bravo", "Reply from B.\nSecond line."),
            Line(4, "Transcript downloaded", "Bravo Networks", "Ben Bravo", ""),
        ], forB);
        Assert.Equal([
            Line(0, "Sent", "Alpha Supply", "Ada Alpha", "to Bravo Networks (BBBB) at level 1"),
            Line(0, "Message", "Alpha Supply", "Ada Alpha", "First message from A."),
            Line(1, "Viewed", "Bravo Networks", "Ben Bravo", ""),
            Line(2, "Message", "Bravo Networks", "Ben Bravo", "Reply from B.\nSecond line."),
            Line(3, "Tags changed", "Alpha Supply", "Ada Alpha", "tags: a-private, second"),
            Line(5, "Transcript downloaded", "Alpha Supply", "Alan Alpha", ""),
        ], forA);
        Assert.Equal(2, (await app.AuditAsync(AuditAction.CommunicationTranscriptDownloaded)).Count);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class CommunicationServiceTests_Sqlite(SqliteTestDatabase database) : CommunicationServiceTests(database);

[Collection(PostgresCollection.Name)]
public sealed class CommunicationServiceTests_Postgres(PostgresTestDatabase database) : CommunicationServiceTests(database);
