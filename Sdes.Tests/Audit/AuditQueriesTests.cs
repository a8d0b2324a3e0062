using System.Text;
using Sdes.App.Features.Audit;
using Sdes.App.Features.Shared;
using Sdes.Domain.Audit;
using Sdes.Domain.Common;

namespace Sdes.Tests.Audit;

/// <summary>The audit service against a real migrated SQLite database: the scope rule, keyset paging, UK-date filters and
/// the CSV export.</summary>
public sealed class AuditQueriesTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 9, 0, 0, TimeSpan.Zero);
    private AuditTestApp _app = default!;

    public async Task InitializeAsync() => _app = await AuditTestApp.StartAsync();

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private AuditQueries Audit => _app.Audit;

    [Fact]
    public async Task SearchAsync_AsMauOfOrganisationA_ReturnsOnlyOrganisationAsEvents()
    {
        await SeedBothOrganisationsAsync();

        var page = await Audit.SearchAsync(AuditTestApp.PrincipalFor(_app.MauA), new AuditFilter(), null, 200, default);

        Assert.Equal(["a-2", "a-1", "a-0"], page.Rows.Select(r => r.SubjectReference));
        Assert.All(page.Rows, r => Assert.Equal(_app.OrganisationA.Id.Value, r.OrganisationId));
        Assert.Null(page.Next);
    }

    [Fact]
    public async Task SearchAsync_AsOrganisationAdminWhoIsNotTheMau_ReturnsOnlyTheirOrganisationsEvents()
    {
        await SeedBothOrganisationsAsync();

        var page = await Audit.SearchAsync(AuditTestApp.PrincipalFor(_app.AdminA), new AuditFilter(), null, 200, default);

        Assert.Equal(3, page.Rows.Count);
        Assert.All(page.Rows, r => Assert.StartsWith("a-", r.SubjectReference, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SearchAsync_AsAdminOfAAskingForOrganisationB_IsNotFound_AndTheAttemptIsAudited()
    {
        await SeedBothOrganisationsAsync();
        var principal = AuditTestApp.PrincipalFor(_app.MauA);

        await Assert.ThrowsAsync<NotFoundException>(() =>
            Audit.SearchAsync(principal, new AuditFilter(Organisation: _app.OrganisationB.Id.Value), null, 50, default));
        var own = await Audit.SearchAsync(principal, new AuditFilter(Organisation: _app.OrganisationA.Id.Value), null, 50, default);

        var denied = Assert.Single(await _app.EventsAsync(AuditAction.AccessDenied));
        Assert.Equal(_app.MauA.Id, denied.ActorUserId);
        Assert.Equal(_app.OrganisationB.Id.Value.ToString(), denied.SubjectId);
        // The refused attempt belongs to the actor's own organisation's trail, so their MAU sees it too.
        Assert.Equal([AuditAction.AccessDenied, AuditAction.UserUpdated, AuditAction.UserUpdated, AuditAction.UserUpdated], own.Rows.Select(r => r.Action));
        Assert.All(own.Rows, r => Assert.Equal(_app.OrganisationA.Id.Value, r.OrganisationId));
    }

    [Fact]
    public async Task SearchAsync_AsPlainAuthorisedRepresentative_IsNotFound_AndAnAccessDeniedEventIsWritten()
    {
        await SeedBothOrganisationsAsync();

        await Assert.ThrowsAsync<NotFoundException>(() => Audit.SearchAsync(AuditTestApp.PrincipalFor(_app.ArA), new AuditFilter(), null, 50, default));

        var denied = Assert.Single(await _app.EventsAsync(AuditAction.AccessDenied));
        Assert.Equal(_app.ArA.Id, denied.ActorUserId);
        Assert.Equal("AuditTrail", denied.SubjectType);
        Assert.Equal(_app.OrganisationA.Id.Value, denied.OrganisationId);
    }

    [Fact]
    public async Task SearchAsync_AsOperator_SeesEveryOrganisation_AndCanNarrowToOne()
    {
        await SeedBothOrganisationsAsync();
        var principal = AuditTestApp.PrincipalFor(_app.Operator);

        var all = await Audit.SearchAsync(principal, new AuditFilter(), null, 200, default);
        var onlyB = await Audit.SearchAsync(principal, new AuditFilter(Organisation: _app.OrganisationB.Id.Value), null, 200, default);

        Assert.Equal(["b-1", "a-2", "b-0", "a-1", "a-0"], all.Rows.Select(r => r.SubjectReference));
        Assert.Equal(["b-1", "b-0"], onlyB.Rows.Select(r => r.SubjectReference));
        Assert.All(onlyB.Rows, r => Assert.Equal("Bravo Power", r.OrganisationName));
    }

    [Fact]
    public async Task SearchAsync_WithManyEqualTimestamps_PagesReturnEveryRowExactlyOnceNewestFirst()
    {
        var events = Enumerable.Range(0, 12).Select(i => _app.Event(_app.OrganisationA, T0, $"same-{i}"))
            .Concat(Enumerable.Range(0, 5).Select(i => _app.Event(_app.OrganisationA, T0.AddSeconds(i - 2), $"near-{i}")))
            .ToList();
        await _app.AddEventsAsync(events);
        var principal = AuditTestApp.PrincipalFor(_app.MauA);

        var paged = new List<AuditRow>();
        var pages = 0;
        AuditCursor? cursor = null;
        do
        {
            var page = await Audit.SearchAsync(principal, new AuditFilter(), cursor, 4, default);
            Assert.InRange(page.Rows.Count, 1, 4);
            paged.AddRange(page.Rows);
            cursor = page.Next;
            pages++;
            Assert.True(pages <= 5, "Paging did not end: a cursor led back to rows already seen.");
        }
        while (cursor is not null);

        var all = await Audit.SearchAsync(principal, new AuditFilter(), null, 200, default);
        Assert.Equal(17, paged.Count);
        Assert.Equal(17, paged.Select(r => r.Id).Distinct().Count());
        Assert.Equal(events.Select(e => e.Id).Order(), paged.Select(r => r.Id).Order());
        Assert.Equal(all.Rows.Select(r => r.Id), paged.Select(r => r.Id));
        Assert.Equal(paged.OrderByDescending(r => r.OccurredAt).Select(r => r.OccurredAt), paged.Select(r => r.OccurredAt));
        Assert.Equal(5, pages);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(-5, 1)]
    [InlineData(500, 200)]
    public async Task SearchAsync_PageSizeOutOfRange_IsClampedTo1To200(int asked, int expected)
    {
        await _app.AddEventsAsync(Enumerable.Range(0, 201).Select(i => _app.Event(_app.OrganisationA, T0.AddSeconds(i), $"e-{i}")));

        var page = await Audit.SearchAsync(AuditTestApp.PrincipalFor(_app.MauA), new AuditFilter(), null, asked, default);

        Assert.Equal(expected, page.Rows.Count);
        Assert.NotNull(page.Next);
    }

    [Theory]
    [InlineData("2026-03-28", "sat-late")] // GMT: UK midnight is 00:00 UTC
    [InlineData("2026-03-29", "sun-early")] // clocks go forward at 01:00 UTC that day
    [InlineData("2026-06-30", "jun-30-late")] // BST: the UK day is 23:00 UTC to 23:00 UTC
    [InlineData("2026-07-01", "jul-1-early")]
    [InlineData("2026-10-25", "oct-25-early")] // clocks go back at 01:00 UTC that day; 00:30 UTC is still BST
    public async Task SearchAsync_WithAUkDate_MatchesTheUkCalendarDayAcrossBst(string day, string expected)
    {
        await _app.AddEventsAsync([
            _app.Event(_app.OrganisationA, Utc("2026-03-28T23:30:00Z"), "sat-late"),
            _app.Event(_app.OrganisationA, Utc("2026-03-29T00:30:00Z"), "sun-early"),
            _app.Event(_app.OrganisationA, Utc("2026-06-30T22:59:59Z"), "jun-30-late"),
            _app.Event(_app.OrganisationA, Utc("2026-06-30T23:00:00Z"), "jul-1-early"),
            _app.Event(_app.OrganisationA, Utc("2026-10-24T23:30:00Z"), "oct-25-early"),
        ]);
        var date = DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture);

        var page = await Audit.SearchAsync(AuditTestApp.PrincipalFor(_app.MauA), new AuditFilter(From: date, To: date), null, 50, default);

        Assert.Equal([expected], page.Rows.Select(r => r.SubjectReference));
    }

    [Fact]
    public async Task SearchAsync_ByUserAndAction_MatchesActorIdOrPartOfTheName()
    {
        await _app.AddEventsAsync([
            _app.Event(_app.OrganisationA, T0, "by-mau", AuditAction.UserCreated),
            _app.Event(_app.OrganisationA, T0.AddMinutes(1), "by-admin", AuditAction.UserCreated, _app.AdminA.Ref),
            _app.Event(_app.OrganisationA, T0.AddMinutes(2), "by-admin-disabled", AuditAction.UserDisabled, _app.AdminA.Ref),
            _app.Event(_app.OrganisationA, T0.AddMinutes(3), "by-zoe", AuditAction.UserCreated,
                new UserRef(UserId.New(), "Zoë Žukauskaitė", _app.OrganisationA.Id)),
        ]);
        var principal = AuditTestApp.PrincipalFor(_app.MauA);

        var byName = await Audit.SearchAsync(principal, new AuditFilter(User: " admin "), null, 50, default);
        var byId = await Audit.SearchAsync(principal, new AuditFilter(User: _app.AdminA.Id.ToString()), null, 50, default);
        var byNameAndAction = await Audit.SearchAsync(principal, new AuditFilter(User: "AHMED", Action: AuditAction.UserCreated), null, 50, default);
        var accented = await Audit.SearchAsync(principal, new AuditFilter(User: "Zoë"), null, 50, default);

        Assert.Equal(["by-admin-disabled", "by-admin"], byName.Rows.Select(r => r.SubjectReference));
        Assert.Equal(["by-admin-disabled", "by-admin"], byId.Rows.Select(r => r.SubjectReference));
        Assert.Equal(["by-admin"], byNameAndAction.Rows.Select(r => r.SubjectReference));
        Assert.Equal(["by-zoe"], accented.Rows.Select(r => r.SubjectReference));
        Assert.Equal("User created", byNameAndAction.Rows[0].ActionText);
    }

    [Fact]
    public async Task SearchAsync_ShowsTheProcessName()
    {
        await _app.AddEventsAsync([_app.Event(_app.OrganisationA, T0, "with-process", withProcess: true)]);

        var row = Assert.Single((await Audit.SearchAsync(AuditTestApp.PrincipalFor(_app.MauA), new AuditFilter(), null, 50, default)).Rows);

        Assert.Equal(_app.Process.Name, row.Process);
        Assert.Equal(_app.Process.Fuel, row.Fuel);
    }

    [Theory]
    [InlineData("2026-11-25", "2026-11-24")]
    [InlineData("1999-12-31", null)]
    [InlineData(null, "9999-12-31")]
    public async Task SearchAsync_WithAnImpossibleDateRange_IsRefusedWithAReason(string? from, string? to)
    {
        var filter = new AuditFilter(From: from is null ? null : DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture),
            To: to is null ? null : DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture));

        var refused = await Assert.ThrowsAsync<DomainException>(() => Audit.SearchAsync(AuditTestApp.PrincipalFor(_app.MauA), filter, null, 50, default));

        Assert.Equal(filter.Problem, refused.Message);
    }

    [Fact]
    public async Task ExportAsync_WritesTheHeaderAndEveryMatchingRowAcrossBatches_AndRecordsTheExport()
    {
        var count = AuditQueries.ExportBatchSize * 2 + 7;
        await _app.AddEventsAsync(Enumerable.Range(0, count).Select(i => _app.Event(_app.OrganisationA, T0.AddSeconds(i / 3), $"x-{i}")));
        await _app.AddEventsAsync([
            _app.Event(_app.OrganisationA, T0.AddDays(-1), "=HYPERLINK(\"http://evil\")", withProcess: true,
                actor: new UserRef(UserId.New(), "@Mallory, \"M\"", _app.OrganisationA.Id), detail: "-1+1\r\nsecond line"),
            _app.Event(_app.OrganisationB, T0, "b-hidden"),
        ]);
        using var output = new MemoryStream();

        await Audit.ExportAsync(AuditTestApp.PrincipalFor(_app.MauA), new AuditFilter(), output, default);

        var rows = Csv.Parse(Encoding.UTF8.GetString(output.ToArray()).TrimStart('\uFEFF'));
        Assert.Equal(AuditQueries.ExportHeader.ToArray(), rows[0]);
        Assert.Equal(count + 1, rows.Count - 1);
        Assert.Equal(count + 1, rows.Skip(1).Select(r => r[6]).Distinct().Count());
        Assert.DoesNotContain(rows, r => r[6] == "b-hidden");
        var first = rows[1];
        var newest = T0.AddSeconds((count - 1) / 3);
        Assert.Equal(AuditQueries.FormatUk(newest), first[0]);
        Assert.Equal(newest.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture), first[1]);
        Assert.Equal(["User updated", "Ada Alpha", _app.OrganisationA.Id.Value.ToString(), "User"], first[2..6]);
        var hostile = rows[^1];
        Assert.Equal("'=HYPERLINK(\"http://evil\")", hostile[6]);
        Assert.Equal("'@Mallory, \"M\"", hostile[3]);
        Assert.Equal("'-1+1\r\nsecond line", hostile[9]);
        Assert.Equal(_app.Process.Name, hostile[7]);
        Assert.Equal(_app.Process.Fuel.ToString(), hostile[8]);
        var exported = Assert.Single(await _app.EventsAsync(AuditAction.AuditExported));
        Assert.Equal(_app.MauA.Id, exported.ActorUserId);
        Assert.Equal($"{count + 1} events; no filter", exported.Detail);
    }

    [Fact]
    public async Task ExportAsync_WithFilters_WritesOnlyMatchingRows_AndSummarisesTheFilterWithoutTheUserTerm()
    {
        await _app.AddEventsAsync([
            _app.Event(_app.OrganisationA, Utc("2026-07-01T10:00:00Z"), "kept", AuditAction.UserCreated, _app.AdminA.Ref),
            _app.Event(_app.OrganisationA, Utc("2026-07-01T10:00:00Z"), "other-action", AuditAction.UserDisabled, _app.AdminA.Ref),
            _app.Event(_app.OrganisationA, Utc("2026-07-02T10:00:00Z"), "other-day", AuditAction.UserCreated, _app.AdminA.Ref),
            _app.Event(_app.OrganisationA, Utc("2026-07-01T10:00:00Z"), "other-user", AuditAction.UserCreated),
        ]);
        var filter = new AuditFilter("Ahmed", AuditAction.UserCreated, new DateOnly(2026, 7, 1), new DateOnly(2026, 7, 1));
        using var output = new MemoryStream();

        await Audit.ExportAsync(AuditTestApp.PrincipalFor(_app.MauA), filter, output, default);

        var rows = Csv.Parse(Encoding.UTF8.GetString(output.ToArray()).TrimStart('\uFEFF'));
        Assert.Equal(["kept"], rows.Skip(1).Select(r => r[6]));
        Assert.Equal("1 Jul 2026 11:00:00", rows[1][0]);
        var exported = Assert.Single(await _app.EventsAsync(AuditAction.AuditExported));
        Assert.Equal("1 events; action UserCreated, user filter, from 2026-07-01, to 2026-07-01", exported.Detail);
        Assert.DoesNotContain("Ahmed", exported.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportAsync_AsPlainAuthorisedRepresentative_WritesNothing_AndRecordsOnlyTheDenial()
    {
        await SeedBothOrganisationsAsync();
        using var output = new MemoryStream();

        await Assert.ThrowsAsync<NotFoundException>(() => Audit.ExportAsync(AuditTestApp.PrincipalFor(_app.ArA), new AuditFilter(), output, default));

        Assert.Equal(0, output.Length);
        Assert.Empty(await _app.EventsAsync(AuditAction.AuditExported));
        Assert.Single(await _app.EventsAsync(AuditAction.AccessDenied));
    }

    [Fact]
    public async Task ExportAsync_WhenTheDownloadBreaksOff_StillRecordsAnIncompleteExport()
    {
        await _app.AddEventsAsync(Enumerable.Range(0, 1500).Select(i => _app.Event(_app.OrganisationA, T0.AddSeconds(i), $"r-{i}")));
        await using var output = new BreaksAfterStream(20_000);

        await Assert.ThrowsAsync<IOException>(() => Audit.ExportAsync(AuditTestApp.PrincipalFor(_app.Operator), new AuditFilter(), output, default));

        var exported = Assert.Single(await _app.EventsAsync(AuditAction.AuditExported));
        Assert.Contains("(incomplete)", exported.Detail, StringComparison.Ordinal);
        Assert.Equal(_app.Operator.Id, exported.ActorUserId);
    }

    private async Task SeedBothOrganisationsAsync() =>
        await _app.AddEventsAsync([
            _app.Event(_app.OrganisationA, T0, "a-0"),
            _app.Event(_app.OrganisationA, T0.AddMinutes(1), "a-1"),
            _app.Event(_app.OrganisationB, T0.AddMinutes(2), "b-0"),
            _app.Event(_app.OrganisationA, T0.AddMinutes(3), "a-2"),
            _app.Event(_app.OrganisationB, T0.AddMinutes(4), "b-1"),
        ]);

    private static DateTimeOffset Utc(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A client that goes away: accepts some bytes, then every write fails as a reset connection would.</summary>
    private sealed class BreaksAfterStream(int limit) : MemoryStream
    {
        public override void Write(byte[] buffer, int offset, int count) => Check(count, () => base.Write(buffer, offset, count));

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Check(count, () => base.Write(buffer, offset, count));
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Check(buffer.Length, () => base.Write(buffer.Span));
            return ValueTask.CompletedTask;
        }

        private void Check(int count, Action write)
        {
            if (Length + count > limit)
            {
                throw new IOException("The client went away.");
            }

            write();
        }
    }
}
