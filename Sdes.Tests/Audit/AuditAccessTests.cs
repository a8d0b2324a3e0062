using System.Net;
using Microsoft.EntityFrameworkCore;
using Sdes.App.Features.Audit;
using Sdes.App.Features.Shared;
using Sdes.Domain.Audit;
using Sdes.Tests.Integration;

namespace Sdes.Tests.Audit;

public sealed class AuditAccessTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private SdesAppFactory App => fixture.App;

    [Fact]
    public async Task MasterAdmin_SeesOnlyTheirOrganisationsEvents_OperatorSeesAll()
    {
        var (orgA, mauA) = await fixture.CreateOrganisationWithMauAsync("Audit A Energy", "AUDA", "mau@auda.example");
        var (orgB, mauB) = await fixture.CreateOrganisationWithMauAsync("Audit B Energy", "AUDB", "mau@audb.example");
        await fixture.CreateUserAsync(mauA, orgA, "worker@auda.example");
        var audit = App.Service<AuditQueries>();

        var seenByA = await audit.SearchAsync(SdesAppFactory.PrincipalFor(mauA), new AuditFilter(), null, 200);
        var seenByOperator = await audit.SearchAsync(SdesAppFactory.PrincipalFor(fixture.Operator), new AuditFilter(Organisation: orgB), null, 200);

        Assert.NotEmpty(seenByA.Rows);
        Assert.All(seenByA.Rows, r => Assert.Equal(orgA, r.OrganisationId));
        Assert.Contains(seenByA.Rows, r => r.Action == AuditAction.UserCreated && r.SubjectReference == "User worker");
        Assert.All(seenByOperator.Rows, r => Assert.Equal(orgB, r.OrganisationId));
        Assert.Contains(seenByOperator.Rows, r => r.Action == AuditAction.MasterAdminCreated);
        await Assert.ThrowsAsync<NotFoundException>(() => audit.SearchAsync(SdesAppFactory.PrincipalFor(mauA), new AuditFilter(Organisation: orgB), null, 50));
    }

    [Fact]
    public async Task PlainAuthorisedRepresentative_SeesNoAudit()
    {
        var (org, mau) = await fixture.CreateOrganisationWithMauAsync("Audit C Energy", "AUDC", "mau@audc.example");
        var ar = await fixture.CreateUserAsync(mau, org, "ar@audc.example");

        await Assert.ThrowsAsync<NotFoundException>(() => App.Service<AuditQueries>().SearchAsync(SdesAppFactory.PrincipalFor(ar), new AuditFilter(), null, 50));
        using var session = App.NewSession();
        await session.SignInAsync("ar@audc.example", AppFixture.StrongPassword);
        var export = await session.GetAsync("/admin/audit/export.csv");
        Assert.NotEqual(HttpStatusCode.OK, export.StatusCode);
    }

    [Fact]
    public async Task KeysetPaging_ReturnsEveryEventExactlyOnce()
    {
        var (org, mau) = await fixture.CreateOrganisationWithMauAsync("Audit D Energy", "AUDD", "mau@audd.example");
        for (var i = 0; i < 7; i++)
        {
            await fixture.CreateUserAsync(mau, org, $"p{i}@audd.example", signUp: false);
        }

        var audit = App.Service<AuditQueries>();
        var p = SdesAppFactory.PrincipalFor(mau);
        var all = (await audit.SearchAsync(p, new AuditFilter(), null, 200)).Rows;
        var paged = new List<AuditRow>();
        AuditCursor? cursor = null;
        do
        {
            var page = await audit.SearchAsync(p, new AuditFilter(), cursor, 3);
            paged.AddRange(page.Rows);
            cursor = page.Next;
        }
        while (cursor is not null);

        Assert.True(all.Count > 10);
        Assert.Equal(all.Select(r => r.Id), paged.Select(r => r.Id));
    }

    [Fact]
    public async Task Filters_ByActionUserAndUkDates()
    {
        var (org, mau) = await fixture.CreateOrganisationWithMauAsync("Audit E Energy", "AUDE", "mau@aude.example");
        await fixture.CreateUserAsync(mau, org, "filtered@aude.example", signUp: false);
        var audit = App.Service<AuditQueries>();
        var p = SdesAppFactory.PrincipalFor(mau);
        var today = DateOnly.FromDateTime(UkTime.ToUk(DateTimeOffset.UtcNow).DateTime);

        var created = await audit.SearchAsync(p, new AuditFilter(Action: AuditAction.UserCreated, User: "Mau AUDE"), null, 50);
        var tomorrow = await audit.SearchAsync(p, new AuditFilter(From: today.AddDays(1)), null, 50);
        var todayOnly = await audit.SearchAsync(p, new AuditFilter(From: today, To: today), null, 50);

        Assert.All(created.Rows, r => Assert.Equal(AuditAction.UserCreated, r.Action));
        Assert.Contains(created.Rows, r => r.SubjectReference == "User filtered");
        Assert.Empty(tomorrow.Rows);
        Assert.NotEmpty(todayOnly.Rows);
        await Assert.ThrowsAsync<Sdes.Domain.Common.DomainException>(() => audit.SearchAsync(p, new AuditFilter(From: today, To: today.AddDays(-1)), null, 50));
    }

    [Fact]
    public async Task Export_StreamsCsvWithSafeHeaders_AndIsAudited()
    {
        var (org, mau) = await fixture.CreateOrganisationWithMauAsync("Audit F Energy", "AUDF", "mau@audf.example");
        await fixture.CreateUserAsync(mau, org, "exported@audf.example", signUp: false);
        using var session = App.NewSession();
        await session.SignInAsync("mau@audf.example", AppFixture.StrongPassword);

        var response = await session.GetAsync("/admin/audit/export.csv?action=UserCreated");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Matches("^\"?sdes-audit-[0-9]{8}\\.csv\"?$", response.Content.Headers.ContentDisposition?.FileName);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        var lines = (await response.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Time (UK),Time (UTC ISO 8601),Action", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.Contains("User exported", StringComparison.Ordinal));
        Assert.All(lines.Skip(1), l => Assert.Contains("User created", l, StringComparison.Ordinal));
        var exports = await App.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.Action == AuditAction.AuditExported && e.ActorUserId == mau.Id));
        Assert.Equal(1, exports);
    }

    [Theory]
    [InlineData("?from=25/11/2026")]
    [InlineData("?action=Nonsense")]
    [InlineData("?from=2026-11-25&to=2026-11-01")]
    [InlineData("?org=not-a-guid")]
    [InlineData("?action=3")]
    [InlineData("?action=UserCreated,SignedOut")]
    [InlineData("?to=9999-12-31")]
    public async Task Export_WithBadFilters_IsA400WithAReason(string query)
    {
        using var session = App.NewSession();
        await session.SignInAsync(SdesAppFactory.OperatorEmail, AppFixture.StrongPassword);

        var response = await session.GetAsync("/admin/audit/export.csv" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Quartz_UsesThePersistentStoreInTheAppsDatabase()
    {
        var jobs = await App.WithDbAsync(db => db.Database.SqlQueryRaw<string>("SELECT JOB_NAME AS Value FROM QRTZ_JOB_DETAILS").ToListAsync());

        Assert.Contains("process-outbox", jobs);
    }
}
