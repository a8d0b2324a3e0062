using Sdes.App.Features.Communications;
using Sdes.Domain.Communications;
using Sdes.Infrastructure.Identity;
using Sdes.Tests.Persistence;
using static Sdes.Tests.Communications.CommunicationTestApp;

namespace Sdes.Tests.Communications;

/// <summary>The queue through <see cref="CommunicationQueries.ListAsync(System.Security.Claims.ClaimsPrincipal, CommunicationFilter, CancellationToken)"/>
/// over a scene built with the real use cases (see <see cref="SeedSceneAsync"/>), on each provider: every filter returns
/// exactly the expected references, the access rule hides what it must, and paging returns every row once.</summary>
public abstract class CommunicationQueriesTests(TestDatabase database) : IAsyncLifetime
{
    private CommunicationTestApp _app = default!;

    public async Task InitializeAsync() => _app = await StartAsync(database);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private sealed record Case(string Name, SdesUser Viewer, CommunicationFilter Filter, int[] Expected);

    private Case Of(string name, SdesUser viewer, CommunicationFilter filter, params int[] expected) => new(name, viewer, filter, expected);

    /// <summary>Runs every case and reports all that fail at once, each with what it expected and what it got.</summary>
    private async Task AssertCasesAsync(params Case[] cases)
    {
        var failures = new List<string>();
        foreach (var c in cases)
        {
            var actual = (await _app.ReferencesAsync(c.Viewer, c.Filter)).Order(StringComparer.Ordinal).ToList();
            var expected = c.Expected.Select(n => Ref(n)).Order(StringComparer.Ordinal).ToList();
            if (!actual.SequenceEqual(expected, StringComparer.Ordinal))
            {
                failures.Add($"{c.Name}: expected [{string.Join(", ", expected)}] but got [{string.Join(", ", actual)}]");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static CommunicationFilter Archived => new() { Folder = Folder.Archived };

    private static CommunicationFilter Search(string text, Folder folder = Folder.Active) => new() { Search = text, Folder = folder };

    /// <summary>
    /// Eight communications, one minute apart from Monday 2026-11-23 09:01 UTC (reference number = order sent):
    /// <list type="number">
    /// <item>Ada (A) to B, Contract Manager Queries, tagged "priority" by A; later owned by Ben and escalated to level 2.</item>
    /// <item>Ada to B, Electricity Disconnections with MPAN 1223015956917; owned by Ben.</item>
    /// <item>Ben (B) to A, Contract Manager Queries; Ada replies at 09:11; A tags it fenwick-audit and Q4, B tags it
    /// zebra-file; Ada makes Alan its owner for A.</item>
    /// <item>Ben to A, General Query, giving an email address; owned by Ada. Unread at A.</item>
    /// <item>Ada to C (Cal), Erroneous Transfers, customer J Smith, transfer date 2026-08-31.</item>
    /// <item>Cal (C) to B, Contract Manager Queries.</item>
    /// <item>Ada to B, Contract Manager Queries, archived by Ada (unread at B).</item>
    /// <item>Ben to A, Contract Manager Queries, archived by Ben (unread at A).</item>
    /// </list>
    /// Last-message order (newest first) for A's active folder is 3, 5, 4, 2, 1; creation order is 5, 4, 3, 2, 1.
    /// </summary>
    private async Task SeedSceneAsync()
    {
        var app = _app;
        app.SetTime("2026-11-23T09:00:00Z");
        var sent = new List<string>
        {
            await StepAsync(() => app.SendAsync(app.Ada, app.B, app.ContractManager, "Meter exchange backlog",
                "Please confirm the exchange schedule for Fenwick Road.", tag: "priority")),
            await StepAsync(() => app.SendAsync(app.Ada, app.B, app.Disconnections, "Disconnection request", "The customer has vacated the premises.")),
            await StepAsync(() => app.SendAsync(app.Ben, app.A, app.ContractManager, "Quarterly reconciliation",
                "The reconciliation figures for the Fenwick depot are attached.")),
            await StepAsync(() => app.SendAsync(app.Ben, app.A, app.GeneralQuery, "Contact details update",
                "From next month write to ops@bravo-networks.example instead.")),
            await StepAsync(() => app.SendAsync(app.Ada, app.C, app.ErroneousTransfers, "Erroneous transfer", "Customer transferred in error.")),
            await StepAsync(() => app.SendAsync(app.Cal, app.B, app.ContractManager, "Substation access", "Access to the substation is needed.")),
            await StepAsync(() => app.SendAsync(app.Ada, app.B, app.ContractManager, "Old enquiry", "Nothing further is needed.")),
            await StepAsync(() => app.SendAsync(app.Ben, app.A, app.ContractManager, "Closed from our side", "We consider this resolved.")),
        };
        Assert.Equal(Enumerable.Range(1, 8).Select(n => Ref(n)), sent);

        var service = app.Service;
        await StepAsync(() => service.ArchiveAsync(As(app.Ada), Ref(7)));
        await StepAsync(() => service.ArchiveAsync(As(app.Ben), Ref(8)));
        await StepAsync(() => app.ReplyAsync(app.Ada, Ref(3), "Thanks, we will review the figures."));
        await StepAsync(() => service.ChangeTagsAsync(As(app.Ada), Ref(3), ["fenwick-audit", "Q4"]));
        await StepAsync(() => service.ChangeTagsAsync(As(app.Ben), Ref(3), ["zebra-file"]));
        await StepAsync(() => service.AssignOwnerAsync(As(app.Ben), Ref(1), app.Ben.Id));
        await StepAsync(() => service.AssignOwnerAsync(As(app.Ben), Ref(2), app.Ben.Id));
        await StepAsync(() => service.AssignOwnerAsync(As(app.Ada), Ref(3), app.Alan.Id));
        await StepAsync(() => service.AssignOwnerAsync(As(app.Ada), Ref(4), app.Ada.Id));
        // Level 1 of Contract Manager Queries is 5 working days: SDE0000001's window (from Monday 09:01) lapses Monday 30th 09:01.
        app.SetTime("2026-11-30T09:01:00Z");
        await service.EscalateAsync(As(app.Ada), Ref(1));
    }

    private async Task<T> StepAsync<T>(Func<Task<T>> action)
    {
        _app.Clock.Advance(TimeSpan.FromMinutes(1));
        return await action();
    }

    private async Task StepAsync(Func<Task> action)
    {
        _app.Clock.Advance(TimeSpan.FromMinutes(1));
        await action();
    }

    [Fact]
    public async Task ListAsync_EachFilter_ReturnsExactlyTheExpectedReferences()
    {
        await SeedSceneAsync();
        var (app, ada, ben, cal) = (_app, _app.Ada, _app.Ben, _app.Cal);

        await AssertCasesAsync(
            // Folders and directions
            Of("Ada active", ada, new(), 1, 2, 3, 4, 5),
            Of("Ada archived", ada, Archived, 7, 8),
            Of("Ben active", ben, new(), 1, 2, 3, 4, 6),
            Of("Ben archived", ben, Archived, 7, 8),
            Of("Cal active", cal, new(), 5, 6),
            Of("Cal archived", cal, Archived),
            Of("Ada sent", ada, new() { Direction = DirectionFilter.Sent }, 1, 2, 5),
            Of("Ada received", ada, new() { Direction = DirectionFilter.Received }, 3, 4),
            Of("Ada archived sent", ada, Archived with { Direction = DirectionFilter.Sent }, 7),
            Of("Ada archived received", ada, Archived with { Direction = DirectionFilter.Received }, 8),
            Of("Ben sent", ben, new() { Direction = DirectionFilter.Sent }, 3, 4),
            Of("Ben received", ben, new() { Direction = DirectionFilter.Received }, 1, 2, 6),
            Of("Cal sent", cal, new() { Direction = DirectionFilter.Sent }, 6),
            Of("Cal received", cal, new() { Direction = DirectionFilter.Received }, 5),
            // Process and counterparty
            Of("Ada Contract Manager Queries", ada, new() { ProcessCode = app.ContractManager.Code }, 1, 3),
            Of("Ada Disconnections", ada, new() { ProcessCode = app.Disconnections.Code }, 2),
            Of("Ada Erroneous Transfers", ada, new() { ProcessCode = app.ErroneousTransfers.Code }, 5),
            Of("Ada General Query", ada, new() { ProcessCode = " general-query " }, 4),
            Of("Ada archived Contract Manager Queries", ada, Archived with { ProcessCode = app.ContractManager.Code }, 7, 8),
            Of("Ben Contract Manager Queries", ben, new() { ProcessCode = app.ContractManager.Code }, 1, 3, 6),
            Of("Ben Erroneous Transfers (not his process)", ben, new() { ProcessCode = app.ErroneousTransfers.Code }),
            Of("Ada with B", ada, new() { Counterparty = app.B.Id.Value }, 1, 2, 3, 4),
            Of("Ada with C", ada, new() { Counterparty = app.C.Id.Value }, 5),
            Of("Ada with herself", ada, new() { Counterparty = app.A.Id.Value }),
            Of("Ben with A", ben, new() { Counterparty = app.A.Id.Value }, 1, 2, 3, 4),
            Of("Ben with C", ben, new() { Counterparty = app.C.Id.Value }, 6),
            Of("Ben archived with A", ben, Archived with { Counterparty = app.A.Id.Value }, 7, 8),
            Of("Ada received CMQ from B", ada,
                new() { Direction = DirectionFilter.Received, ProcessCode = app.ContractManager.Code, Counterparty = app.B.Id.Value }, 3),
            Of("Ada sent CMQ to C", ada,
                new() { Direction = DirectionFilter.Sent, ProcessCode = app.ContractManager.Code, Counterparty = app.C.Id.Value }),
            // Assigned to me, and my level: received, at the current level N, of a process the viewer is assigned to at N
            Of("Ben owns", app.Ben, new() { AssignedToMe = true }, 1, 2),
            Of("Ada owns", app.Ada, new() { AssignedToMe = true }, 4),
            Of("Alan owns (set by Ada)", app.Alan, new() { AssignedToMe = true }, 3),
            Of("Bea owns", app.Bea, new() { AssignedToMe = true }),
            Of("Ben owns, Disconnections only", app.Ben, new() { AssignedToMe = true, ProcessCode = app.Disconnections.Code }, 2),
            Of("Bea level 2 (SDE0000001 escalated)", app.Bea, new() { MyLevel = 2 }, 1),
            Of("Bea level 1 (not assigned at 1)", app.Bea, new() { MyLevel = 1 }),
            Of("Ben level 1", app.Ben, new() { MyLevel = 1 }, 2, 6),
            Of("Ben level 2 (not assigned at 2)", app.Ben, new() { MyLevel = 2 }),
            Of("Ada level 1", app.Ada, new() { MyLevel = 1 }, 3, 4),
            Of("Ada level 2 (A received nothing at 2)", app.Ada, new() { MyLevel = 2 }),
            Of("Alan level 1 (assigned at 2 only)", app.Alan, new() { MyLevel = 1 }),
            Of("Ben level 1, Contract Manager Queries", app.Ben, new() { MyLevel = 1, ProcessCode = app.ContractManager.Code }, 6),
            Of("Ben archived level 1", app.Ben, Archived with { MyLevel = 1 }, 7),
            // Users not assigned to a process see none of its communications
            Of("Amy (Erroneous Transfers only) active", app.Amy, new(), 5),
            Of("Amy archived", app.Amy, Archived),
            Of("Amy searching Fenwick", app.Amy, Search("fenwick")),
            Of("Amy searching a reference she cannot see", app.Amy, Search("SDE0000003")),
            Of("Amy filtering by Contract Manager Queries", app.Amy, new() { ProcessCode = app.ContractManager.Code }),
            Of("Alan (Contract Manager Queries level 2 only) active", app.Alan, new(), 1, 3),
            Of("Alan archived", app.Alan, Archived, 7, 8),
            Of("Bea (CMQ 2, Disconnections 2) active", app.Bea, new(), 1, 2, 3, 6));
        await Assert.ThrowsAsync<Sdes.App.Features.Shared.NotFoundException>(() => app.Queries.DetailAsync(As(app.Amy), Ref(1)));
    }

    [Fact]
    public async Task ListAsync_Search_FindsWordsPrefixesTagsBespokeValuesAndReferences()
    {
        await SeedSceneAsync();
        var (ada, ben, cal) = (_app.Ada, _app.Ben, _app.Cal);

        await AssertCasesAsync(
            Of("subject word", ada, Search("backlog"), 1),
            Of("message word", ada, Search("vacated"), 2),
            Of("word in two messages", ada, Search("Fenwick"), 1, 3),
            Of("word in a reply", ada, Search("review"), 3),
            Of("upper case", ada, Search("FENWICK"), 1, 3),
            Of("prefix", ada, Search("Fenw"), 1, 3),
            Of("prefix of a subject word", ada, Search("recon"), 3),
            Of("two words, both in one", ada, Search("fenwick depot"), 3),
            Of("two words, other order", ada, Search("road fenwick"), 1),
            Of("two words, never together", ada, Search("depot road")),
            Of("punctuation between words", ada, Search("fenwick, depot!"), 3),
            Of("absent word", ada, Search("zanzibar")),
            Of("own tag on send", ada, Search("priority"), 1),
            Of("own tag, hyphenated part", ada, Search("audit"), 3),
            Of("own tag, whole", ada, Search("fenwick-audit"), 3),
            Of("own tag Q4", ada, Search("q4"), 3),
            Of("B's tag is not A's", ada, Search("zebra")),
            Of("B's own tag", ben, Search("zebra"), 3),
            Of("A's tag is not B's (priority)", ben, Search("priority")),
            Of("A's tag is not B's (audit)", ben, Search("audit")),
            Of("A's tag is not B's (q4)", ben, Search("Q4")),
            Of("MPAN as A", ada, Search(ValidMpan), 2),
            Of("MPAN as B", ben, Search(ValidMpan), 2),
            Of("MPAN as C", cal, Search(ValidMpan)),
            Of("bespoke text value", ada, Search("smith"), 5),
            Of("bespoke text value as C", cal, Search("Smith"), 5),
            Of("bespoke date value as typed", ada, Search("2026-08-31"), 5),
            Of("part of a bespoke date value", cal, Search("2026-08"), 5),
            Of("word inside an email address", ada, Search("networks"), 4),
            Of("email address as typed", ben, Search("ops@bravo-networks.example"), 4),
            Of("reference", ada, Search("SDE0000001"), 1),
            Of("reference, lower case and spaces", ben, Search(" sde0000003 "), 3),
            Of("reference of an archived one, active folder", ada, Search("SDE0000007")),
            Of("reference of an archived one, archived folder", ada, Search("SDE0000007", Folder.Archived), 7),
            Of("archived folder word", ben, Search("resolved", Folder.Archived), 8),
            Of("reference of another organisation's", cal, Search("SDE0000001")),
            Of("words of another organisation's", cal, Search("fenwick")),
            Of("search within a process", ada, Search("fenwick") with { ProcessCode = _app.ContractManager.Code, Direction = DirectionFilter.Sent }, 1),
            // FTS5 and tsquery syntax in the input is inert: each run of letters and digits is just a word to find.
            Of("OR is a word to find, not an operator", ada, Search("fenwick OR zanzibar")),
            Of("minus is not NOT", ada, Search("fenwick -depot"), 3),
            Of("tsquery operators", ada, Search("road:* & !fenwick"), 1),
            Of("quotes and stars", ada, Search("\"fenw\"* 'depot'"), 3));
    }

    [Fact]
    public async Task ListAsync_AThirdOrganisation_SeesNoneOfTheOtherTwosCommunications()
    {
        var app = _app;
        app.SetTime("2026-11-23T09:00:00Z");
        var sent = new List<string>();
        foreach (var (from, to, process) in new[]
                 {
                     (app.Ada, app.B, app.ContractManager), (app.Ben, app.A, app.GeneralQuery), (app.Ada, app.B, app.Disconnections),
                     (app.Ben, app.A, app.ContractManager),
                 })
        {
            sent.Add(await StepAsync(() => app.SendAsync(from, to, process, "Shared between A and B", "Fenwick depot figures.")));
        }

        await StepAsync(() => app.Service.ArchiveAsync(As(app.Ada), sent[3]));
        var filters = new CommunicationFilter[]
        {
            new(), Archived, new() { Direction = DirectionFilter.Received }, new() { Direction = DirectionFilter.Sent },
            new() { Counterparty = app.A.Id.Value }, new() { Counterparty = app.B.Id.Value }, new() { MyLevel = 1 }, Search("fenwick"),
            Search("fenwick", Folder.Archived), Search(sent[0]), Search(sent[3], Folder.Archived), Search(ValidMpan),
        };

        foreach (var filter in filters)
        {
            var page = await app.ListAsync(app.Cal, filter with { PageSize = 100 });
            Assert.Empty(page.Rows);
            Assert.Equal(0, page.ArchivedUnread);
        }

        Assert.Equal(sent[..3].Order(StringComparer.Ordinal), (await app.ReferencesAsync(app.Ben)).Order(StringComparer.Ordinal));
        Assert.Equal(1, (await app.ListAsync(app.Ada, Archived)).ArchivedUnread);
    }

    [Fact]
    public async Task ListAsync_UnreadFlagsAndArchivedUnreadBadge_FollowMessagesViewsAndReactivation()
    {
        await SeedSceneAsync();
        var app = _app;

        async Task<Dictionary<string, bool>> UnreadAsync(SdesUser viewer, Folder folder = Folder.Active) =>
            (await app.ListAsync(viewer, new CommunicationFilter { Folder = folder, PageSize = 100 })).Rows.ToDictionary(r => r.Reference, r => r.Unread);

        Assert.Equal(new Dictionary<string, bool> { [Ref(1)] = false, [Ref(2)] = false, [Ref(3)] = false, [Ref(4)] = true, [Ref(5)] = false },
            await UnreadAsync(app.Ada));
        // SDE0000001 was escalated to B, SDE0000003 replied to by A, SDE0000006 sent by C: all unread at B.
        Assert.Equal(new Dictionary<string, bool> { [Ref(1)] = true, [Ref(2)] = true, [Ref(3)] = true, [Ref(4)] = false, [Ref(6)] = true },
            await UnreadAsync(app.Ben));
        Assert.Equal(new Dictionary<string, bool> { [Ref(7)] = false, [Ref(8)] = true }, await UnreadAsync(app.Ada, Folder.Archived));
        Assert.Equal(new Dictionary<string, bool> { [Ref(7)] = true, [Ref(8)] = false }, await UnreadAsync(app.Ben, Folder.Archived));

        // Spec 13.3: the badge counts archived communications with unread messages, whatever folder or filter is shown,
        // and only those the viewer may see.
        Assert.Equal(1, (await app.ListAsync(app.Ada, new())).ArchivedUnread);
        Assert.Equal(1, (await app.ListAsync(app.Ada, Search("backlog"))).ArchivedUnread);
        Assert.Equal(1, (await app.ListAsync(app.Ben, Archived)).ArchivedUnread);
        Assert.Equal(1, (await app.ListAsync(app.Alan, new())).ArchivedUnread);
        Assert.Equal(0, (await app.ListAsync(app.Amy, new())).ArchivedUnread);
        Assert.Equal(0, (await app.ListAsync(app.Cal, new())).ArchivedUnread);

        // Opening marks it read for the whole organisation, not for the other party; it stays archived.
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await app.Service.RecordViewAsync(As(app.Alan), Ref(8));
        await app.Service.RecordViewAsync(As(app.Ben), Ref(3));
        Assert.Equal(0, (await app.ListAsync(app.Ada, new())).ArchivedUnread);
        Assert.False((await UnreadAsync(app.Ada, Folder.Archived))[Ref(8)]);
        Assert.False((await UnreadAsync(app.Ben))[Ref(3)]);
        Assert.False((await UnreadAsync(app.Ada))[Ref(3)]);

        // A message on an archived communication re-activates it for both (spec 13.1) and is unread at the other party.
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await app.ReplyAsync(app.Ada, Ref(7), "Reopening this one.");
        Assert.Equal(0, (await app.ListAsync(app.Ben, new())).ArchivedUnread);
        Assert.True((await UnreadAsync(app.Ben))[Ref(7)]);
        await AssertCasesAsync(
            Of("Ada active after re-activation", app.Ada, new(), 1, 2, 3, 4, 5, 7),
            Of("Ben archived after re-activation", app.Ben, Archived, 8));
    }

    [Fact]
    public async Task ListAsyncAndDetailAsync_ShowEachOrganisationItsOwnSide_AndNeverTheOthersTags()
    {
        await SeedSceneAsync();

        var ada = (await _app.ListAsync(_app.Ada, new() { PageSize = 100 })).Rows.Single(r => r.Reference == Ref(3));
        var ben = (await _app.ListAsync(_app.Ben, new() { PageSize = 100 })).Rows.Single(r => r.Reference == Ref(1));
        var archived = (await _app.ListAsync(_app.Ada, Archived)).Rows.Single(r => r.Reference == Ref(7));

        Assert.Equal(("Quarterly reconciliation", "Contract Manager Queries", "Bravo Networks", false, true, "Alan Alpha", 1),
            (ada.Subject, ada.Process, ada.Counterparty, ada.WeSent, ada.LastMessageFromUs, ada.Owner, ada.Level));
        Assert.Equal((At("2026-11-23T09:03:00Z"), At("2026-11-23T09:11:00Z")), (ada.CreatedAt, ada.LastMessageAt));
        Assert.Equal(("Alpha Supply", false, false, "Ben Bravo", 2, CommunicationStatus.Active),
            (ben.Counterparty, ben.WeSent, ben.LastMessageFromUs, ben.Owner, ben.Level, ben.Status));
        Assert.Equal((At("2026-11-23T09:09:00Z"), CommunicationStatus.Archived), (archived.ArchivedAt, archived.Status));

        var seenByA = await _app.Queries.DetailAsync(As(_app.Ada), Ref(3));
        var seenByB = await _app.Queries.DetailAsync(As(_app.Ben), "sde0000003");

        Assert.Equal(["fenwick-audit", "Q4"], seenByA.Tags);
        Assert.Equal(["zebra-file"], seenByB.Tags);
        Assert.Contains(seenByA.Timeline, e => e is { Kind: CommunicationEventKind.TagsChanged, Private: true, Detail: "tags: fenwick-audit, Q4" });
        Assert.DoesNotContain(seenByA.Timeline, e => (e.Detail ?? "").Contains("zebra", StringComparison.OrdinalIgnoreCase));
        var bTags = Assert.Single(seenByB.Timeline, e => e.Kind == CommunicationEventKind.TagsChanged);
        Assert.Equal("tags: zebra-file", bTags.Detail);
        Assert.DoesNotContain(seenByB.Timeline, e => (e.Detail ?? "").Contains("fenwick-audit", StringComparison.OrdinalIgnoreCase)
            || (e.Detail ?? "").Contains("Q4", StringComparison.Ordinal));
        Assert.Equal(("Alan Alpha", "Bravo Networks"), (seenByA.Us.Owner, seenByA.Them.Organisation));
        Assert.Equal(["Ada Alpha", "Alan Alpha"], seenByA.OwnerOptions.Select(o => o.Label));
        Assert.Equal(["Bea Bravo", "Ben Bravo"], seenByB.OwnerOptions.Select(o => o.Label));
    }

    [Fact]
    public async Task ListAsync_KeysetPagingBySizeTwo_ReturnsEveryRowOnceInEachSortOrder()
    {
        await SeedSceneAsync();
        var orders = new (ListSort Sort, bool Ascending, int[] Expected)[]
        {
            (ListSort.LastMessage, false, [3, 5, 4, 2, 1]),
            (ListSort.LastMessage, true, [1, 2, 4, 5, 3]),
            (ListSort.Created, false, [5, 4, 3, 2, 1]),
            (ListSort.Created, true, [1, 2, 3, 4, 5]),
        };

        foreach (var (sort, ascending, expected) in orders)
        {
            var pages = await PageThroughAsync(_app.Ada, new CommunicationFilter { Sort = sort, Ascending = ascending, PageSize = 2 });

            Assert.Equal([2, 2, 1], pages.Select(p => p.Count));
            Assert.Equal(expected.Select(n => Ref(n)), pages.SelectMany(p => p));
        }
    }

    [Fact]
    public async Task ListAsync_KeysetPagingWithManyEqualTimestamps_HasNoDuplicatesAndNoGaps()
    {
        var app = _app;
        app.SetTime("2026-11-23T09:00:00Z");
        var sent = new List<string>();
        foreach (var (count, step) in new[] { (3, 0), (5, 1), (2, 1) })
        {
            app.Clock.Advance(TimeSpan.FromMinutes(step));
            for (var i = 0; i < count; i++)
            {
                sent.Add(await app.SendAsync(app.Ada, app.B, app.GeneralQuery, $"Batch item {sent.Count}", "Same instant."));
            }
        }

        var views = new[]
        {
            (app.Ada, ListSort.LastMessage, false), (app.Ada, ListSort.LastMessage, true), (app.Ada, ListSort.Created, false),
            (app.Ada, ListSort.Created, true), (app.Ben, ListSort.LastMessage, false),
        };
        foreach (var (viewer, sort, ascending) in views)
        {
            var filter = new CommunicationFilter { Sort = sort, Ascending = ascending };
            var paged = (await PageThroughAsync(viewer, filter with { PageSize = 2 })).SelectMany(p => p).ToList();
            var whole = await app.ReferencesAsync(viewer, filter);

            Assert.Equal(10, paged.Count);
            Assert.Equal(paged.Count, paged.Distinct().Count());
            Assert.Equal(sent.Order(StringComparer.Ordinal), paged.Order(StringComparer.Ordinal));
            Assert.Equal(whole, paged);
            // Within one instant the rows come in the order they were stored (the party id breaks the tie).
            Assert.Equal(ascending ? sent : Enumerable.Reverse(sent), paged);
        }
    }

    [Fact]
    public async Task ListAsync_WithABadCursorNoSearchWordsOrAnUnknownProcess_IsRefusedWithAReason()
    {
        foreach (var cursor in new[] { "abc", "1-2-3", "-5-1", "99999999999999999999-1", "638000000000000000-x", "638000000000000000-" })
        {
            var refused = await Assert.ThrowsAsync<Sdes.Domain.Common.DomainException>(() => _app.ListAsync(_app.Ada, new() { After = cursor }));
            Assert.Equal("That page link is not valid; start again from the first page.", refused.Message);
        }

        var noWords = await Assert.ThrowsAsync<Sdes.Domain.Common.DomainException>(() => _app.ListAsync(_app.Ada, Search("\"*\" - ()")));
        var noProcess = await Assert.ThrowsAsync<Sdes.Domain.Common.DomainException>(() =>
            _app.ListAsync(_app.Ada, new() { ProcessCode = "no-such-process" }));

        Assert.Equal("Search for at least one word or number.", noWords.Message);
        Assert.Equal("There is no such business process.", noProcess.Message);
    }

    private async Task<List<List<string>>> PageThroughAsync(SdesUser viewer, CommunicationFilter filter)
    {
        var pages = new List<List<string>>();
        string? cursor = null;
        do
        {
            var page = await _app.ListAsync(viewer, filter with { After = cursor });
            pages.Add(page.Rows.Select(r => r.Reference).ToList());
            cursor = page.NextCursor;
            Assert.True(pages.Count <= 20, "Paging did not end: a cursor led back to rows already seen.");
        }
        while (cursor is not null);

        return pages;
    }
}

[Collection(SqliteCollection.Name)]
public sealed class CommunicationQueriesTests_Sqlite(SqliteTestDatabase database) : CommunicationQueriesTests(database);

[Collection(PostgresCollection.Name)]
public sealed class CommunicationQueriesTests_Postgres(PostgresTestDatabase database) : CommunicationQueriesTests(database);
