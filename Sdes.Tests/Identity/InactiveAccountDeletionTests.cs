using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Sdes.Domain.Audit;
using Sdes.Domain.Common;
using Sdes.Infrastructure.Identity;
using Sdes.Tests.Persistence;

namespace Sdes.Tests.Identity;

/// <summary>The inactivity job (spec 2.7, 2.8) on each provider with a fake clock. Days are whole 24-hour periods after the
/// countdown's anchor (ADR 0011); Arlo's anchor is <see cref="InactivityTestApp.EarlyAnchor"/>, ten days before anyone else's.</summary>
public abstract partial class InactiveAccountDeletionTests(TestDatabase database) : IAsyncLifetime
{
    private InactivityTestApp _app = default!;

    public async Task InitializeAsync() => _app = await InactivityTestApp.StartAsync(database);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task RunOnDaysAsync(IEnumerable<int> days, params double[] hours)
    {
        foreach (var day in days)
        {
            foreach (var hour in hours.Length == 0 ? [1.0] : hours)
            {
                _app.SetEarlyDay(day, hour);
                await _app.RunAsync();
            }
        }
    }

    [Fact]
    public async Task RunAsync_TwiceADayThroughDays83To89_SendsExactlySevenToTheUserAndSevenToTheMau()
    {
        await RunOnDaysAsync(Enumerable.Range(78, 5), 1, 13);
        Assert.Equal((0, 0), await _app.CountAboutAsync(_app.Arlo, _app.Mia));

        await RunOnDaysAsync(Enumerable.Range(83, 7), 1, 13);

        Assert.Equal((7, 7), await _app.CountAboutAsync(_app.Arlo, _app.Mia));
        var days = await _app.DbAsync(db => db.InactivityReminders.AsNoTracking()
            .Where(r => r.UserId == _app.Arlo.Id && r.Recipient == InactivityReminderRecipient.User).Select(r => r.Day).ToListAsync());
        Assert.Equal(Enumerable.Range(83, 7), days.Order());
        Assert.True(await _app.ExistsAsync(_app.Arlo));
    }

    [Fact]
    public async Task RunAsync_WhenADayIsSkipped_SendsTheMissedReminderOnTheNextRun_AndStillExactlySeven()
    {
        await RunOnDaysAsync([83, 84]);
        _app.SetEarlyDay(86);
        await _app.RunAsync();
        Assert.Equal((4, 4), await _app.CountAboutAsync(_app.Arlo, _app.Mia));

        await RunOnDaysAsync([87, 88, 89]);

        Assert.Equal((7, 7), await _app.CountAboutAsync(_app.Arlo, _app.Mia));
    }

    [Fact]
    public async Task RunAsync_OnDay90_DeletesTheAccount_ReleasesItsLevels_AndMakesTheMauTheDefaultContactWhereTheyWereLast()
    {
        await RunOnDaysAsync(Enumerable.Range(83, 7));
        _app.SetEarlyDay(89, 23.9);
        await _app.RunAsync();
        Assert.True(await _app.ExistsAsync(_app.Arlo));

        _app.SetEarlyDay(90);
        var result = await _app.RunAsync();

        Assert.False(await _app.ExistsAsync(_app.Arlo));
        Assert.True(result.Deleted >= 1);
        Assert.Equal(0, await _app.DbAsync(db => db.AccountSecrets.CountAsync(s => s.UserId == _app.Arlo.Id)));
        Assert.Equal(0, await _app.DbAsync(db => db.InactivityReminders.CountAsync(r => r.UserId == _app.Arlo.Id)));
        var alpha = await _app.OrganisationAsync(_app.Alpha);
        Assert.DoesNotContain(alpha.Assignments, a => a.UserId == _app.Arlo.UserId);
        Assert.Equal([_app.Mia.UserId], alpha.UsersAt(_app.ContractManager.Id, 1));
        Assert.Equal([_app.Amber.UserId], alpha.UsersAt(_app.GeneralQuery.Id, 1));

        var deletion = Assert.Single(await _app.AuditAsync(AuditAction.UserDeletedForInactivity), e => e.SubjectId == _app.Arlo.Id.ToString());
        Assert.Equal((null, null, _app.Alpha.Id.Value, "User", "Arlo Rep"),
            (deletion.ActorUserId, deletion.ActorName, deletion.OrganisationId, deletion.SubjectType, deletion.SubjectReference));
        Assert.Contains("Contract Manager Queries level 1 (last user)", deletion.Detail, StringComparison.Ordinal);
        Assert.Contains("General Query level 1", deletion.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("@", deletion.Detail, StringComparison.Ordinal);
        var handOver = Assert.Single(await _app.AuditAsync(AuditAction.AssignmentAdded), e => e.OrganisationId == _app.Alpha.Id.Value);
        Assert.Equal((null, _app.Mia.Id.ToString(), _app.ContractManager.Id.Value), (handOver.ActorUserId, handOver.SubjectId, handOver.ProcessId));
        Assert.Contains("default contact", handOver.Detail, StringComparison.Ordinal);

        _app.SetEarlyDay(91);
        Assert.Equal(0, (await _app.RunAsync()).Deleted);
    }

    [Fact]
    public async Task RunAsync_AfterMissedDays_DeletesOnDay92_WithoutSendingTheMissedReminders()
    {
        await RunOnDaysAsync(Enumerable.Range(83, 6));

        _app.SetEarlyDay(92);
        await _app.RunAsync();

        Assert.False(await _app.ExistsAsync(_app.Arlo));
        Assert.Equal((6, 6), await _app.CountAboutAsync(_app.Arlo, _app.Mia));
    }

    [Fact]
    public async Task RunAsync_SignInOnDay85_StopsTheCountdown_AndANewOneStartsFromTheSignIn()
    {
        await RunOnDaysAsync([83, 84]);
        _app.SetEarlyDay(85, 0.5);
        await _app.SignInAsync(_app.Arlo);

        await RunOnDaysAsync(Enumerable.Range(85, 8), 1, 13);

        Assert.True(await _app.ExistsAsync(_app.Arlo));
        Assert.Equal((2, 2), await _app.CountAboutAsync(_app.Arlo, _app.Mia));

        var signedInAt = InactivityTestApp.EarlyAnchor + TimeSpan.FromDays(85) + TimeSpan.FromHours(0.5);
        _app.Clock.SetUtcNow(signedInAt + TimeSpan.FromDays(83) - TimeSpan.FromMinutes(1));
        await _app.RunAsync();
        Assert.Equal((2, 2), await _app.CountAboutAsync(_app.Arlo, _app.Mia));
        _app.Clock.SetUtcNow(signedInAt + TimeSpan.FromDays(83) + TimeSpan.FromMinutes(1));
        await _app.RunAsync();
        Assert.Equal((3, 3), await _app.CountAboutAsync(_app.Arlo, _app.Mia));
        var anchors = await _app.DbAsync(db => db.InactivityReminders.AsNoTracking()
            .Where(r => r.UserId == _app.Arlo.Id && r.Recipient == InactivityReminderRecipient.User).Select(r => r.CycleAnchor).ToListAsync());
        Assert.Equal(2, anchors.Count(a => a == InactivityTestApp.EarlyAnchor));
        Assert.Equal(1, anchors.Count(a => a == signedInAt));
    }

    [Fact]
    public async Task RunAsync_MauNotice_FlagsTheLevelsWhereTheUserIsTheLastOne_UntilSomeoneElseIsAssigned()
    {
        _app.SetEarlyDay(83);
        await _app.RunAsync();

        var notice = Assert.Single(await _app.EmailsAsync(), e => e.Kind == InactivityMailer.MasterAdminKind && e.Subject.Contains("Arlo Rep", StringComparison.Ordinal));
        Assert.Equal((_app.Mia.Email, "Mia Master"), (notice.ToAddress, notice.ToName));
        Assert.Contains("- Contract Manager Queries level 1 (LAST USER at this level)", notice.TextBody, StringComparison.Ordinal);
        Assert.Contains("- General Query level 1\n", notice.TextBody, StringComparison.Ordinal);
        Assert.Contains("Arlo Rep is the last user at Contract Manager Queries level 1", notice.TextBody, StringComparison.Ordinal);
        Assert.Contains("you become the default contact", notice.HtmlBody, StringComparison.Ordinal);

        await _app.DbAsync(async db =>
        {
            var alpha = await db.Organisations.SingleAsync(o => o.Id == _app.Alpha.Id);
            alpha.Assign(_app.Amber.UserId, _app.ContractManager, 1, _app.Clock.GetUtcNow());
            return await db.SaveChangesAsync();
        });
        _app.SetEarlyDay(84);
        await _app.RunAsync();

        var next = Assert.Single(await _app.EmailsAsync(), e => e.Kind == InactivityMailer.MasterAdminKind && e.Subject.Contains("Arlo Rep", StringComparison.Ordinal)
            && e.Id != notice.Id);
        Assert.DoesNotContain("LAST USER", next.TextBody, StringComparison.Ordinal);
        Assert.Contains("every level above has another user", next.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_TheMasterAdminUser_IsRemindedDaily_ButNeverDeleted()
    {
        for (var day = 80; day <= 100; day++)
        {
            _app.Clock.SetUtcNow(InactivityTestApp.SeededAt + TimeSpan.FromDays(day) + TimeSpan.FromHours(1));
            await _app.RunAsync();
        }

        Assert.True(await _app.ExistsAsync(_app.Mia));
        var emails = await _app.EmailsAsync();
        var own = emails.Where(e => e.Kind == InactivityMailer.UserKind && e.ToAddress == _app.Mia.Email).ToList();
        Assert.Equal(7, own.Count);
        Assert.All(own, e => Assert.Contains("not deleted automatically", e.TextBody, StringComparison.Ordinal));
        Assert.All(own, e => Assert.DoesNotContain("will be deleted", e.TextBody, StringComparison.Ordinal));
        Assert.DoesNotContain(emails, e => e.Kind == InactivityMailer.MasterAdminKind && e.Subject.Contains("Mia Master", StringComparison.Ordinal));
        Assert.DoesNotContain(await _app.AuditAsync(AuditAction.UserDeletedForInactivity), e => e.SubjectId == _app.Mia.Id.ToString());
        Assert.False(await _app.ExistsAsync(_app.Amber));
    }

    [Fact]
    public async Task RunAsync_AfterDeletion_TheUsersPastActionsStayInTheAuditWithTheirName()
    {
        var earlier = AuditEvent.Record(AuditAction.AssignmentRemoved, InactivityTestApp.SeededAt, _app.Arlo.Ref, _app.Alpha.Id, "User",
            _app.Amber.Id.ToString(), "Amber Admin", detail: "level 2");
        await _app.DbAsync(db =>
        {
            db.AuditEvents.Add(earlier);
            return db.SaveChangesAsync();
        });

        await RunOnDaysAsync(Enumerable.Range(83, 8));

        Assert.False(await _app.ExistsAsync(_app.Arlo));
        var kept = await _app.DbAsync(db => db.AuditEvents.AsNoTracking().SingleAsync(e => e.Id == earlier.Id));
        Assert.Equal((_app.Arlo.Id, "Arlo Rep", "level 2"), (kept.ActorUserId, kept.ActorName, kept.Detail));
    }

    [Fact]
    public async Task RunAsync_Emails_NameOnlyTheRecipientAndTheUserAboutToBeDeleted_AndHoldNoEmailAddresses()
    {
        await RunOnDaysAsync(Enumerable.Range(83, 7));

        var emails = (await _app.EmailsAsync()).Where(e => e.Kind is InactivityMailer.UserKind or InactivityMailer.MasterAdminKind).ToList();
        Assert.NotEmpty(emails);
        Assert.All(emails, e =>
        {
            Assert.DoesNotMatch(EmailAddress(), e.Subject + e.TextBody + e.HtmlBody);
            var body = e.Subject + e.TextBody + e.HtmlBody;
            var others = new[] { _app.Mia, _app.Amber, _app.Arlo, _app.Dora, _app.Bea, _app.Ben, _app.Olu }
                .Where(u => u.Email != e.ToAddress && !e.Subject.Contains(u.DisplayName, StringComparison.Ordinal));
            Assert.All(others, u => Assert.DoesNotContain(u.DisplayName, body, StringComparison.Ordinal));
        });
    }

    [Fact]
    public async Task RunAsync_ADisabledUser_GetsNoEmail_TheMauIsToldDaily_AndTheAccountIsDeletedOnDay90()
    {
        await RunOnDaysAsync(Enumerable.Range(83, 8));

        Assert.Equal((0, 7), await _app.CountAboutAsync(_app.Dora, _app.Mia));
        Assert.False(await _app.ExistsAsync(_app.Dora));
    }

    [Fact]
    public async Task RunAsync_WhenTheCountdownWasNeverWarnedOf_WarnsFirst_AndDeletesOnALaterRun()
    {
        _app.SetEarlyDay(95);
        await _app.RunAsync();
        Assert.True(await _app.ExistsAsync(_app.Arlo));
        Assert.Equal((1, 1), await _app.CountAboutAsync(_app.Arlo, _app.Mia));

        _app.SetEarlyDay(95, 6);
        await _app.RunAsync();
        Assert.True(await _app.ExistsAsync(_app.Arlo));

        _app.SetEarlyDay(96);
        await _app.RunAsync();
        Assert.False(await _app.ExistsAsync(_app.Arlo));
        Assert.Equal((1, 1), await _app.CountAboutAsync(_app.Arlo, _app.Mia));
    }

    [Fact]
    public async Task RunAsync_ServiceOperatorAccounts_AreNeitherRemindedNorDeleted()
    {
        await RunOnDaysAsync(Enumerable.Range(80, 15));

        Assert.True(await _app.ExistsAsync(_app.Olu));
        Assert.DoesNotContain(await _app.EmailsAsync(), e => e.ToAddress == _app.Olu.Email);
        Assert.False(await _app.ExistsAsync(_app.Ben));
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")]
    private static partial Regex EmailAddress();
}

[Collection(SqliteCollection.Name)]
public sealed class InactiveAccountDeletionTests_Sqlite(SqliteTestDatabase database) : InactiveAccountDeletionTests(database);

[Collection(PostgresCollection.Name)]
public sealed class InactiveAccountDeletionTests_Postgres(PostgresTestDatabase database) : InactiveAccountDeletionTests(database);
