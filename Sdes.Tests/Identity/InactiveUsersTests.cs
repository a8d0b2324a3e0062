using Microsoft.EntityFrameworkCore;
using Sdes.App.Features.Shared;
using Sdes.Domain.Audit;
using Sdes.Domain.Common;
using Sdes.Infrastructure.Identity;
using Sdes.Tests.Persistence;
using static Sdes.Tests.Identity.InactivityTestApp;

namespace Sdes.Tests.Identity;

/// <summary>The MAU's inactive-users dashboard use cases: who is listed, and who may ask for a reminder for whom.</summary>
[Collection(SqliteCollection.Name)]
public sealed class InactiveUsersTests(SqliteTestDatabase database) : IAsyncLifetime
{
    private InactivityTestApp _app = default!;

    public async Task InitializeAsync()
    {
        _app = await StartAsync(database);
        _app.SetEarlyDay(84);
        // The admins are using the dashboard, so they have just signed in.
        await _app.SignInAsync(_app.Mia);
        await _app.SignInAsync(_app.Amber);
        await _app.SignInAsync(_app.Bea);
        _app.SetEarlyDay(84, 2);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private Task<int> RequestedRemindersAsync() =>
        _app.DbAsync(db => db.InactivityReminders.CountAsync(r => r.Recipient == InactivityReminderRecipient.UserOnRequest));

    [Fact]
    public async Task ListAsync_AsMau_ShowsTheirOwnUsersApproachingDeletion_WithLastUserFlags()
    {
        var rows = await _app.Dashboard.ListAsync(As(_app.Mia));

        Assert.Equal(["Arlo Rep", "Dora Disabled"], rows.Select(r => r.DisplayName));
        var arlo = rows[0];
        Assert.Equal((84, EarlyAnchor.AddDays(90), false, true), (arlo.DaysInactive, arlo.DeletionDueAt, arlo.IsMasterAdmin, arlo.LastUserSomewhere));
        Assert.Equal(["Contract Manager Queries level 1", "General Query level 1"], arlo.Levels.Select(l => l.ToString()));
        Assert.Equal([true, false], arlo.Levels.Select(l => l.LastUser));
        Assert.True(rows[1].IsDisabled);
    }

    [Fact]
    public async Task ListAsync_AsAnOrganisationAdmin_ShowsTheSame()
    {
        Assert.Equal(["Arlo Rep", "Dora Disabled"], (await _app.Dashboard.ListAsync(As(_app.Amber))).Select(r => r.DisplayName));
        Assert.Equal(["Ben Rep"], (await _app.Dashboard.ListAsync(As(_app.Bea))).Select(r => r.DisplayName));
    }

    [Fact]
    public async Task ListAsync_AsAPlainAr_IsNotFound_AndTheAttemptIsAudited()
    {
        await _app.SignInAsync(_app.Arlo);

        await Assert.ThrowsAsync<NotFoundException>(() => _app.Dashboard.ListAsync(As(_app.Arlo)));
        Assert.Single(await _app.AuditAsync(AuditAction.AccessDenied), e => e.ActorUserId == _app.Arlo.Id);
    }

    [Fact]
    public async Task ListAsync_AsAServiceOperator_IsNotFound()
    {
        await Assert.ThrowsAsync<NotFoundException>(() => _app.Dashboard.ListAsync(As(_app.Olu)));
    }

    [Fact]
    public async Task RemindAsync_ForAnotherOrganisationsUser_IsNotFound_SendsNothing_AndIsAudited()
    {
        await Assert.ThrowsAsync<NotFoundException>(() => _app.Dashboard.RemindAsync(As(_app.Bea), _app.Arlo.Id));

        Assert.Empty(await _app.EmailsAsync());
        Assert.Equal(0, await RequestedRemindersAsync());
        var denied = Assert.Single(await _app.AuditAsync(AuditAction.AccessDenied));
        Assert.Equal((_app.Bea.Id, "User", _app.Arlo.Id.ToString()), (denied.ActorUserId, denied.SubjectType, denied.SubjectId));
    }

    [Theory]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("0196f5a0-0000-7000-8000-000000000000")]
    public async Task RemindAsync_WithAnUnknownOrMadeUpId_IsNotFound(string id)
    {
        await Assert.ThrowsAsync<NotFoundException>(() => _app.Dashboard.RemindAsync(As(_app.Mia), Guid.Parse(id)));
        Assert.Empty(await _app.EmailsAsync());
    }

    [Fact]
    public async Task RemindAsync_ForTheOperatorsOrAnotherMausId_IsNotFound()
    {
        await Assert.ThrowsAsync<NotFoundException>(() => _app.Dashboard.RemindAsync(As(_app.Mia), _app.Olu.Id));
        await Assert.ThrowsAsync<NotFoundException>(() => _app.Dashboard.RemindAsync(As(_app.Mia), _app.Bea.Id));
        await Assert.ThrowsAsync<NotFoundException>(() => _app.Dashboard.RemindAsync(As(_app.Olu), _app.Arlo.Id));
        Assert.Empty(await _app.EmailsAsync());
    }

    [Fact]
    public async Task RemindAsync_EmailsTheUserOnceADay_AndAuditsIt()
    {
        await _app.Dashboard.RemindAsync(As(_app.Mia), _app.Arlo.Id);
        _app.SetEarlyDay(84, 22);
        var again = await Assert.ThrowsAsync<DomainException>(() => _app.Dashboard.RemindAsync(As(_app.Amber), _app.Arlo.Id));

        Assert.Equal("Arlo Rep has already been sent a reminder today. You can send another tomorrow.", again.Message);
        var email = Assert.Single(await _app.EmailsAsync());
        Assert.Equal((InactivityMailer.UserKind, _app.Arlo.Email), (email.Kind, email.ToAddress));
        var audit = Assert.Single(await _app.AuditAsync(AuditAction.InactivityReminderRequested));
        Assert.Equal((_app.Mia.Id, "Mia Master", _app.Arlo.Id.ToString(), "day 84 without a sign-in"),
            (audit.ActorUserId, audit.ActorName, audit.SubjectId, audit.Detail));
        Assert.True((await _app.Dashboard.ListAsync(As(_app.Mia)))[0].RemindedToday);

        _app.SetEarlyDay(85);
        await _app.Dashboard.RemindAsync(As(_app.Mia), _app.Arlo.Id);
        Assert.Equal(2, await RequestedRemindersAsync());
    }

    [Fact]
    public async Task RemindAsync_ForADisabledUser_IsRefused()
    {
        var ex = await Assert.ThrowsAsync<DomainException>(() => _app.Dashboard.RemindAsync(As(_app.Mia), _app.Dora.Id));

        Assert.Equal("Dora Disabled is disabled and cannot sign in. Enable the account first.", ex.Message);
        Assert.Empty(await _app.EmailsAsync());
    }

    [Fact]
    public async Task RemindAsync_ForSomeoneWhoSignedInRecently_IsRefused()
    {
        var ex = await Assert.ThrowsAsync<DomainException>(() => _app.Dashboard.RemindAsync(As(_app.Mia), _app.Amber.Id));

        Assert.Equal("Amber Admin signed in recently; their account is not due for deletion.", ex.Message);
    }
}
