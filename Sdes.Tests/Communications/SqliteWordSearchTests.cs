using Sdes.App.Features.Communications;
using Sdes.Infrastructure.Persistence;
using Sdes.Tests.Persistence;
using static Sdes.Tests.Communications.CommunicationTestApp;

namespace Sdes.Tests.Communications;

/// <summary>SQLite's walk for common words must read a query exactly as the FTS5 index does.</summary>
public sealed class SqliteWordSearchEvaluateTests
{
    [Theory]
    [InlineData("Meter reading attached", "mete", true)]
    [InlineData("Meter reading attached", "read atta", true)]
    [InlineData("Meter reading attached", "eter", false)]
    [InlineData("Meter reading attached", "mete missing", false)]
    [InlineData("Café opening, 2026-08-31", "cafe 08", true)]
    [InlineData("CAFÉ", "cafe", true)]
    [InlineData("MPAN 1223015956917.", "1223015956917", true)]
    [InlineData("e-mail: j.smith@example.com", "smith exam", true)]
    [InlineData("", "meter", false)]
    [InlineData(null, "meter", false)]
    public void Evaluate_TextAndTerms_MatchesLikeTheIndex(string? text, string terms, bool expected) =>
        Assert.Equal(expected, SqliteWordSearch.Evaluate(text, SqliteWordSearch.FoldTerms(CommunicationSearch.Terms(terms))));

    [Fact]
    public void Fold_RemovesDiacriticsAndCase() => Assert.Equal("lodz creme", SqliteWordSearch.Fold("ŁÓDŹ Crème").Replace("ł", "l", StringComparison.Ordinal));
}

/// <summary>Full pages come from the walk, the last from the index: together they must be exactly what the index alone gives.</summary>
[Collection(SqliteCollection.Name)]
public sealed class SqliteCommonWordSearchTests(SqliteTestDatabase database) : IAsyncLifetime
{
    private CommunicationTestApp _app = default!;

    public async Task InitializeAsync()
    {
        _app = await StartAsync(database);
        _app.SetTime("2026-11-23T08:00:00Z");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task List_CommonWord_PagesThroughEveryMatchInOrder_AsTheIndexWould()
    {
        var expected = new List<string>();
        for (var i = 0; i < 34; i++)
        {
            _app.Clock.Advance(TimeSpan.FromMinutes(1));
            var withWord = i % 7 != 3;
            var reference = await _app.SendAsync(_app.Ada, _app.B, _app.GeneralQuery, $"Query {i}",
                withWord ? $"Please check the metering point {i}." : $"Unrelated question {i}.");
            if (withWord)
            {
                expected.Insert(0, reference);
            }
        }


        var seen = new List<string>();
        string? after = null;
        do
        {
            var page = await _app.ListAsync(_app.Ben, new CommunicationFilter { Search = "mete", PageSize = 8, After = after });
            seen.AddRange(page.Rows.Select(r => r.Reference));
            after = page.NextCursor;
        }
        while (after is not null);

        Assert.Equal(expected, seen);
        Assert.Equal(expected.Take(5), (await _app.ListAsync(_app.Ben, new CommunicationFilter { Search = "METERING point", PageSize = 5 })).Rows.Select(r => r.Reference));
        Assert.Empty((await _app.ListAsync(_app.Cal, new CommunicationFilter { Search = "mete" })).Rows);
    }
}
