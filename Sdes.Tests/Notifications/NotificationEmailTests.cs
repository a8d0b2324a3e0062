using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Sdes.App.Features.Notifications;
using Sdes.App.Features.Shared;
using Sdes.Domain.Audit;
using Sdes.Domain.Common;
using Sdes.Infrastructure.Email;
using Sdes.Infrastructure.Identity;
using Sdes.Infrastructure.Notifications;
using Sdes.Tests.Communications;
using Sdes.Tests.Persistence;
using static Sdes.Tests.Communications.CommunicationTestApp;

namespace Sdes.Tests.Notifications;

/// <summary>Spec 10.1(f) and footnote 5 over the real use cases and the real email job on each provider, with a fake clock:
/// who gets a notification row, which of them get an email and when, digests per period, and what an email may carry.</summary>
public abstract partial class NotificationEmailTests(TestDatabase database) : IAsyncLifetime
{
    private CommunicationTestApp _app = default!;

    public async Task InitializeAsync() => _app = await StartAsync(database);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private NotificationMailer Mailer => _app.Get<NotificationMailer>();

    private Task<NotificationEmailRun> RunAtAsync(string iso)
    {
        _app.SetTime(iso);
        return Mailer.RunAsync(CancellationToken.None);
    }

    private Task ConfigureAsync(SdesUser user, EmailFrequency frequency, bool confirmed = true, bool proxy = false) =>
        _app.DbAsync(async db =>
        {
            var u = await db.Users.SingleAsync(x => x.Id == user.Id);
            u.EmailFrequency = frequency;
            u.EmailFrequencySetAt = _app.Clock.GetUtcNow();
            u.EmailConfirmedAt = confirmed ? _app.Clock.GetUtcNow() : null;
            u.EmailIsProxy = proxy;
            return await db.SaveChangesAsync();
        });

    private Task<List<OutboxMessage>> MailForAsync(SdesUser user) =>
        _app.DbAsync(db => db.OutboxMessages.AsNoTracking().Where(m => m.ToAddress == user.Email).OrderBy(m => m.CreatedAt).ToListAsync());

    private Task<List<UserNotification>> NotificationsAsync() =>
        _app.DbAsync(db => db.UserNotifications.AsNoTracking().OrderBy(n => n.CreatedAt).ThenBy(n => n.UserId).ToListAsync());

    private Task MakeQuickResponseAsync() =>
        _app.DbAsync(async db =>
        {
            var process = await db.BusinessProcesses.SingleAsync(p => p.Code == _app.ContractManager.Code);
            process.ChangeQuickResponse(true);
            return await db.SaveChangesAsync();
        });

    [Fact]
    public async Task SendReplyEscalate_WriteOneNotificationPerUserAtTheLevelReached()
    {
        _app.SetTime("2026-11-23T10:00:00Z");
        var sde = await _app.SendAsync(_app.Ada, _app.B, _app.ContractManager);
        _app.SetTime("2026-11-23T11:00:00Z");
        await _app.ReplyAsync(_app.Ben, sde, "We are looking.");
        _app.SetTime("2026-11-23T12:00:00Z");
        await _app.Service.EscalateAsync(As(_app.Ada), sde);

        var rows = await NotificationsAsync();

        Assert.Equal(
            [(_app.Ben.Id, NotificationKind.NewCommunication, 1), (_app.Ada.Id, NotificationKind.NewMessage, 1), (_app.Bea.Id, NotificationKind.Escalated, 2)],
            rows.Select(r => (r.UserId, r.Kind, r.Level)));
        Assert.All(rows, r => Assert.Equal(1, r.ReferenceNumber));
        Assert.All(rows, r => Assert.Equal("Contract Manager Queries", r.ProcessName));
        Assert.All(rows, r => Assert.False(r.QuickResponse));
        Assert.Equal(_app.B.Id, rows[0].OrganisationId);
        Assert.Equal(_app.A.Id, rows[1].OrganisationId);
        Assert.All(rows, r => Assert.Null(r.ReadAt));
    }

    [Fact]
    public async Task RecordView_OpeningTheCommunication_ReadsOnlyTheViewersNotificationsAboutIt()
    {
        _app.SetTime("2026-11-23T10:00:00Z");
        var first = await _app.SendAsync(_app.Ada, _app.B, _app.ContractManager);
        var second = await _app.SendAsync(_app.Ada, _app.B, _app.Disconnections);

        _app.SetTime("2026-11-23T10:05:00Z");
        await _app.Service.RecordViewAsync(As(_app.Ben), first);

        var rows = await NotificationsAsync();
        Assert.NotNull(Assert.Single(rows, r => r.UserId == _app.Ben.Id && r.ReferenceNumber == ParseNumber(first)).ReadAt);
        Assert.Null(Assert.Single(rows, r => r.UserId == _app.Ben.Id && r.ReferenceNumber == ParseNumber(second)).ReadAt);
    }

    [Fact]
    public async Task Send_RefusedByARule_LeavesNoNotification()
    {
        await Assert.ThrowsAsync<DomainException>(() => _app.SendAsync(_app.Ada, _app.B, _app.Disconnections, bespoke: new() { ["mpan"] = BadCheckDigitMpan }));

        Assert.Empty(await NotificationsAsync());
    }

    [Fact]
    public async Task RunAsync_WithPreferenceNever_QueuesNothing()
    {
        await ConfigureAsync(_app.Ben, EmailFrequency.Never);
        _app.SetTime("2026-11-23T10:00:00Z");
        await _app.SendAsync(_app.Ada, _app.B, _app.ContractManager);

        await RunAtAsync("2026-11-23T10:00:30Z");
        await RunAtAsync("2026-11-24T07:00:30Z");

        Assert.Empty(await MailForAsync(_app.Ben));
    }

    [Fact]
    public async Task RunAsync_WithImmediately_QueuesOneEmailWithinAMinute_AndNeverTwice()
    {
        await ConfigureAsync(_app.Ben, EmailFrequency.Immediately);
        _app.SetTime("2026-11-23T10:00:00Z");
        await _app.SendAsync(_app.Ada, _app.B, _app.ContractManager);

        var first = await RunAtAsync("2026-11-23T10:00:30Z");
        var second = await RunAtAsync("2026-11-23T10:01:00Z");

        Assert.Equal(1, first.Emails);
        Assert.Equal(0, second.Emails);
        var mail = Assert.Single(await MailForAsync(_app.Ben));
        Assert.Equal("notification", mail.Kind);
        Assert.Equal("SDES: New communication SDE0000001", mail.Subject);
        Assert.True(mail.CreatedAt - At("2026-11-23T10:00:00Z") <= TimeSpan.FromMinutes(1));
        Assert.Contains("Contract Manager Queries", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("respond by Mon 30 Nov 2026 10:00 UK time", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("https://sdes.test/communications/SDE0000001", mail.TextBody, StringComparison.Ordinal);
        Assert.NotNull(Assert.Single(await NotificationsAsync()).EmailedAt);
    }

    [Fact]
    public async Task RunAsync_WhenTheUserVisitedSinceTheActivity_QueuesNothing()
    {
        await ConfigureAsync(_app.Ben, EmailFrequency.Immediately);
        await ConfigureAsync(_app.Ada, EmailFrequency.Hourly);
        _app.SetTime("2026-11-23T10:10:00Z");
        var sde = await _app.SendAsync(_app.Ada, _app.B, _app.ContractManager);
        _app.SetTime("2026-11-23T10:10:20Z");
        Assert.True(await _app.Get<VisitRecorder>().RecordAsync(As(_app.Ben)));
        await _app.ReplyAsync(_app.Ben, sde, "Seen it.");
        await RunAtAsync("2026-11-23T10:10:30Z");
        _app.SetTime("2026-11-23T10:30:00Z");
        await _app.Get<VisitRecorder>().RecordAsync(As(_app.Ada));

        await RunAtAsync("2026-11-23T11:00:30Z");

        Assert.Empty(await MailForAsync(_app.Ben));
        Assert.Empty(await MailForAsync(_app.Ada));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public async Task RunAsync_ForAnUnconfirmedOrProxyAddress_QueuesNothing(bool confirmed, bool proxy)
    {
        await ConfigureAsync(_app.Ben, EmailFrequency.Immediately, confirmed, proxy);
        await ConfigureAsync(_app.Ada, EmailFrequency.Daily, confirmed, proxy);
        _app.SetTime("2026-11-23T10:00:00Z");
        var sde = await _app.SendAsync(_app.Ada, _app.B, _app.ContractManager);
        await _app.ReplyAsync(_app.Ben, sde, "Reply.");

        await RunAtAsync("2026-11-23T10:00:30Z");
        await RunAtAsync("2026-11-24T07:00:30Z");

        Assert.Empty(await MailForAsync(_app.Ben));
        Assert.Empty(await MailForAsync(_app.Ada));
    }

    [Fact]
    public async Task RunAsync_QuickResponseProcess_EmailsWithinFiveMinutes_EvenWithPreferenceNeverAndUnconfirmed()
    {
        await MakeQuickResponseAsync();
        await ConfigureAsync(_app.Ben, EmailFrequency.Never, confirmed: false);
        _app.SetTime("2026-11-23T10:00:00Z");
        await _app.SendAsync(_app.Ada, _app.B, _app.ContractManager);

        await RunAtAsync("2026-11-23T10:00:30Z");
        await RunAtAsync("2026-11-23T10:04:30Z");

        var mail = Assert.Single(await MailForAsync(_app.Ben));
        Assert.Equal("notification-quick", mail.Kind);
        Assert.True(mail.CreatedAt - At("2026-11-23T10:00:00Z") <= TimeSpan.FromMinutes(5));
        Assert.Contains("needs a quick response", mail.TextBody, StringComparison.Ordinal);
        Assert.True(Assert.Single(await NotificationsAsync()).QuickResponse);
    }

    [Fact]
    public async Task RunAsync_QuickResponseProcess_StillSendsNothingToAProxyMailbox()
    {
        await MakeQuickResponseAsync();
        await ConfigureAsync(_app.Ben, EmailFrequency.Never, confirmed: true, proxy: true);
        _app.SetTime("2026-11-23T10:00:00Z");
        await _app.SendAsync(_app.Ada, _app.B, _app.ContractManager);

        await RunAtAsync("2026-11-23T10:00:30Z");

        Assert.Empty(await MailForAsync(_app.Ben));
    }

    [Fact]
    public async Task RunAsync_Hourly_SendsOneDigestAtTheTopOfTheHour_AndRunningTwiceSendsNoSecond()
    {
        await ConfigureAsync(_app.Ben, EmailFrequency.Hourly);
        _app.SetTime("2026-11-23T10:10:00Z");
        await _app.SendAsync(_app.Ada, _app.B, _app.ContractManager);

        Assert.Equal(0, (await RunAtAsync("2026-11-23T10:59:59Z")).Digests);
        Assert.Equal(1, (await RunAtAsync("2026-11-23T11:00:10Z")).Digests);
        Assert.Equal(0, (await RunAtAsync("2026-11-23T11:00:40Z")).Digests);
        Assert.Equal(0, (await RunAtAsync("2026-11-23T12:00:10Z")).Digests);

        var mail = Assert.Single(await MailForAsync(_app.Ben));
        Assert.Equal("notification-digest", mail.Kind);
        Assert.Equal("SDES hourly summary: new activity on 1 communication", mail.Subject);
        Assert.Contains("SDE0000001  Contract Manager Queries, level 1: new communication", mail.TextBody, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-11-23T15:00:00Z", "2026-11-24T06:59:30Z", "2026-11-24T07:00:20Z")] // GMT: 07:00 UK is 07:00 UTC
    [InlineData("2026-09-14T15:00:00Z", "2026-09-15T05:59:30Z", "2026-09-15T06:00:20Z")] // BST: 07:00 UK is 06:00 UTC
    public async Task RunAsync_Daily_SendsOneDigestAtSevenUkTime(string activityAt, string justBefore, string justAfter)
    {
        await ConfigureAsync(_app.Ben, EmailFrequency.Daily);
        _app.SetTime(activityAt);
        await _app.SendAsync(_app.Ada, _app.B, _app.ContractManager);

        Assert.Equal(0, (await RunAtAsync(justBefore)).Digests);
        Assert.Equal(1, (await RunAtAsync(justAfter)).Digests);
        Assert.Equal(0, (await RunAtAsync(At(justAfter).AddHours(1).ToString("O"))).Digests);

        var mail = Assert.Single(await MailForAsync(_app.Ben));
        Assert.StartsWith("SDES daily summary", mail.Subject, StringComparison.Ordinal);
        Assert.Equal(At(justAfter), mail.CreatedAt);
    }

    [Fact]
    public async Task RunAsync_Digest_ListsCommunicationsByNearestResponseDeadline_NoWindowLast()
    {
        await ConfigureAsync(_app.Ben, EmailFrequency.Daily);
        _app.SetTime("2026-11-23T09:00:00Z");
        await _app.SendAsync(_app.Ada, _app.B, _app.GeneralQuery); // SDE0000001: no response window
        _app.SetTime("2026-11-23T09:10:00Z");
        await _app.SendAsync(_app.Ada, _app.B, _app.ContractManager); // SDE0000002: 5 working days, Mon 30 Nov 09:10
        _app.SetTime("2026-11-23T09:20:00Z");
        await _app.SendAsync(_app.Ada, _app.B, _app.Disconnections); // SDE0000003: 2 working days, Wed 25 Nov 09:20

        await RunAtAsync("2026-11-24T07:00:30Z");

        var text = Assert.Single(await MailForAsync(_app.Ben)).TextBody!;
        var order = new[] { "SDE0000003", "SDE0000002", "SDE0000001" }.Select(r => text.IndexOf("- " + r, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.Order(), order);
        Assert.Contains("SDE0000003  Electricity Disconnections, level 1: new communication; respond by Wed 25 Nov 2026 09:20 UK time", text,
            StringComparison.Ordinal);
        Assert.Contains("SDE0000001  General Query, level 1: new communication; no response window", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_AfterMissedPeriods_SendsOneDigestCoveringEverythingSinceTheLast()
    {
        await ConfigureAsync(_app.Ben, EmailFrequency.Hourly);
        _app.SetTime("2026-11-23T10:10:00Z");
        var first = await _app.SendAsync(_app.Ada, _app.B, _app.ContractManager);
        _app.SetTime("2026-11-23T11:20:00Z");
        await _app.SendAsync(_app.Ada, _app.B, _app.GeneralQuery);
        await _app.ReplyAsync(_app.Ada, first, "More detail.");

        Assert.Equal(1, (await RunAtAsync("2026-11-23T13:05:00Z")).Digests);
        Assert.Equal(0, (await RunAtAsync("2026-11-23T13:05:30Z")).Digests);
        _app.SetTime("2026-11-23T13:30:00Z");
        await _app.ReplyAsync(_app.Ada, first, "Even more.");
        Assert.Equal(1, (await RunAtAsync("2026-11-23T14:00:30Z")).Digests);

        var mails = await MailForAsync(_app.Ben);
        Assert.Equal(2, mails.Count);
        Assert.Contains("new activity on 2 communications", mails[0].Subject, StringComparison.Ordinal);
        Assert.Contains("SDE0000001  Contract Manager Queries, level 1: new communication, 1 new message", mails[0].TextBody, StringComparison.Ordinal);
        Assert.Contains("SDE0000002  General Query", mails[0].TextBody, StringComparison.Ordinal);
        Assert.Contains("SDE0000001  Contract Manager Queries, level 1: 1 new message", mails[1].TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("SDE0000002", mails[1].TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Emails_CarryNoSubjectMessageTextOrNames()
    {
        const string subject = "Leak at Flat 3, 12 Acacia Avenue";
        const string message = "Mrs Jane Doe reports the meter is sparking.";
        const string reply = "Engineer Rupert Quill is on his way.";
        await ConfigureAsync(_app.Ben, EmailFrequency.Immediately);
        await ConfigureAsync(_app.Ada, EmailFrequency.Hourly);
        _app.SetTime("2026-11-23T10:00:00Z");
        var sde = await _app.SendAsync(_app.Ada, _app.B, _app.ContractManager, subject, message, tag: "ACACIA-12");
        await _app.ReplyAsync(_app.Ben, sde, reply);

        await RunAtAsync("2026-11-23T10:00:30Z");
        await RunAtAsync("2026-11-23T11:00:30Z");

        var mails = await _app.DbAsync(db => db.OutboxMessages.AsNoTracking().ToListAsync());
        Assert.Equal(2, mails.Count);
        foreach (var mail in mails)
        {
            var all = string.Join("\n", mail.Subject, mail.TextBody, mail.HtmlBody);
            Assert.Contains("SDE0000001", all, StringComparison.Ordinal);
            foreach (var secret in new[] { subject, "Acacia", message, "Jane Doe", reply, "Rupert", "ACACIA-12", "Ada Alpha", "Ben Bravo", "Bravo Networks", "Alpha Supply" })
            {
                Assert.DoesNotContain(secret, all, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public async Task ChoosingAFrequency_DoesNotEmailOlderBacklog()
    {
        await ConfigureAsync(_app.Ben, EmailFrequency.Never);
        _app.SetTime("2026-11-23T10:00:00Z");
        await _app.SendAsync(_app.Ada, _app.B, _app.ContractManager);
        _app.SetTime("2026-11-23T10:05:00Z");
        await ConfigureAsync(_app.Ben, EmailFrequency.Immediately);

        await RunAtAsync("2026-11-23T10:05:30Z");

        Assert.Empty(await MailForAsync(_app.Ben));
    }

    [Fact]
    public async Task ConfirmAsync_WithTheEmailedLink_ConfirmsOnce_AndTheSecondUseChangesNothing()
    {
        var preferences = _app.Get<NotificationPreferences>();
        _app.SetTime("2026-11-23T10:00:00Z");
        await preferences.RequestConfirmationAsync(As(_app.Ben));
        var token = TokenFrom(Assert.Single(await MailForAsync(_app.Ben)));

        _app.SetTime("2026-11-23T10:05:00Z");
        await preferences.ConfirmAsync(As(_app.Ben), token);
        var again = await Assert.ThrowsAsync<DomainException>(() => preferences.ConfirmAsync(As(_app.Ben), token));

        Assert.Equal("This confirmation link has already been used.", again.Message);
        var settings = await preferences.GetAsync(As(_app.Ben));
        Assert.True(settings.EmailConfirmed);
        Assert.Equal(At("2026-11-23T10:05:00Z"), await _app.DbAsync(db => db.Users.Where(u => u.Id == _app.Ben.Id).Select(u => u.EmailConfirmedAt).SingleAsync()));
        Assert.Single(await _app.AuditAsync(AuditAction.EmailConfirmed));
        Assert.DoesNotContain(token, await _app.DbAsync(db => db.EmailConfirmations.Select(c => c.TokenHash).SingleAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfirmAsync_AfterTwentyFourHours_IsRefused_AndChangesNothing()
    {
        var preferences = _app.Get<NotificationPreferences>();
        _app.SetTime("2026-11-23T10:00:00Z");
        await preferences.RequestConfirmationAsync(As(_app.Ben));
        var token = TokenFrom(Assert.Single(await MailForAsync(_app.Ben)));

        _app.SetTime("2026-11-24T10:00:00Z");
        var refused = await Assert.ThrowsAsync<DomainException>(() => preferences.ConfirmAsync(As(_app.Ben), token));

        Assert.Equal("This confirmation link has expired. Send yourself a new one from Notifications.", refused.Message);
        Assert.False((await preferences.GetAsync(As(_app.Ben))).EmailConfirmed);
        Assert.Empty(await _app.AuditAsync(AuditAction.EmailConfirmed));
    }

    [Theory]
    [InlineData("forged")]
    [InlineData("someone else's")]
    [InlineData("empty")]
    public async Task ConfirmAsync_WithAForgedOrForeignLink_IsRefused_AndChangesNothing(string scenario)
    {
        var preferences = _app.Get<NotificationPreferences>();
        await preferences.RequestConfirmationAsync(As(_app.Ada));
        var adasToken = TokenFrom(Assert.Single(await MailForAsync(_app.Ada)));
        var token = scenario switch
        {
            "forged" => "bm90LWEtcmVhbC10b2tlbi1hdC1hbGwtMTIzNDU2Nzg5MA",
            "someone else's" => adasToken,
            _ => "",
        };

        var refused = await Assert.ThrowsAsync<DomainException>(() => preferences.ConfirmAsync(As(_app.Ben), token));

        Assert.Equal("This confirmation link is not valid. Send yourself a new one from Notifications.", refused.Message);
        Assert.False((await preferences.GetAsync(As(_app.Ben))).EmailConfirmed);
        Assert.False((await preferences.GetAsync(As(_app.Ada))).EmailConfirmed);
        Assert.Null(await _app.DbAsync(db => db.EmailConfirmations.Select(c => c.UsedAt).SingleAsync()));
    }

    [Theory]
    [InlineData("Weekly")]
    [InlineData("1")]
    [InlineData("99")]
    [InlineData("daily")]
    [InlineData("")]
    [InlineData(null)]
    public async Task SetFrequencyAsync_WithAnUnknownValue_IsRefused_AndChangesNothing(string? value)
    {
        await ConfigureAsync(_app.Ben, EmailFrequency.Hourly);
        var preferences = _app.Get<NotificationPreferences>();

        var refused = await Assert.ThrowsAsync<DomainException>(() => preferences.SetFrequencyAsync(As(_app.Ben), _app.Ben.Id, value));

        Assert.Equal("Choose how often to be emailed: never, immediately, every hour or every day.", refused.Message);
        Assert.Equal(EmailFrequency.Hourly, (await preferences.GetAsync(As(_app.Ben))).Frequency);
        Assert.Empty(await _app.AuditAsync(AuditAction.NotificationFrequencyChanged));
    }

    [Fact]
    public async Task SetFrequencyAsync_ForSomeoneElse_IsNotFound_Audited_AndChangesNothing()
    {
        await ConfigureAsync(_app.Ada, EmailFrequency.Never);
        await ConfigureAsync(_app.Ben, EmailFrequency.Never);
        var preferences = _app.Get<NotificationPreferences>();

        await Assert.ThrowsAsync<NotFoundException>(() => preferences.SetFrequencyAsync(As(_app.Ben), _app.Ada.Id, "Daily"));

        Assert.Equal(EmailFrequency.Never, (await preferences.GetAsync(As(_app.Ada))).Frequency);
        var denied = Assert.Single(await _app.AuditAsync(AuditAction.AccessDenied));
        Assert.Equal(_app.Ada.Id.ToString(), denied.SubjectId);
    }

    [Fact]
    public async Task SetFrequencyAsync_BeforeConfirming_IsRefused_ThenAllowedOnceConfirmed()
    {
        var preferences = _app.Get<NotificationPreferences>();

        var refused = await Assert.ThrowsAsync<DomainException>(() => preferences.SetFrequencyAsync(As(_app.Ben), _app.Ben.Id, "Immediately"));
        Assert.Equal("Confirm your email address first; then choose how often to be emailed.", refused.Message);

        await preferences.RequestConfirmationAsync(As(_app.Ben));
        await preferences.ConfirmAsync(As(_app.Ben), TokenFrom(Assert.Single(await MailForAsync(_app.Ben))));
        await preferences.SetFrequencyAsync(As(_app.Ben), _app.Ben.Id, "Immediately");

        Assert.Equal(EmailFrequency.Immediately, (await preferences.GetAsync(As(_app.Ben))).Frequency);
        Assert.Equal("Immediately", Assert.Single(await _app.AuditAsync(AuditAction.NotificationFrequencyChanged)).Detail);
    }

    [Fact]
    public async Task RecordAsync_TwiceWithinAMinute_WritesOnce()
    {
        var visits = _app.Get<VisitRecorder>();
        _app.SetTime("2026-11-23T10:00:00Z");

        Assert.True(await visits.RecordAsync(As(_app.Ben)));
        _app.SetTime("2026-11-23T10:00:59Z");
        Assert.False(await visits.RecordAsync(As(_app.Ben)));
        Assert.Equal(At("2026-11-23T10:00:00Z"), await _app.DbAsync(db => db.Users.Where(u => u.Id == _app.Ben.Id).Select(u => u.LastVisitAt).SingleAsync()));
        _app.SetTime("2026-11-23T10:01:00Z");
        Assert.True(await visits.RecordAsync(As(_app.Ben)));
        Assert.Equal(At("2026-11-23T10:01:00Z"), await _app.DbAsync(db => db.Users.Where(u => u.Id == _app.Ben.Id).Select(u => u.LastVisitAt).SingleAsync()));
    }

    private static string TokenFrom(OutboxMessage mail) => TokenRegex().Match(mail.TextBody!).Groups[1].Value;

    [GeneratedRegex(@"confirm-email\?token=([A-Za-z0-9_\-]+)")]
    private static partial Regex TokenRegex();
}

[Collection(SqliteCollection.Name)]
public sealed class NotificationEmailTests_Sqlite(SqliteTestDatabase database) : NotificationEmailTests(database);

[Collection(PostgresCollection.Name)]
public sealed class NotificationEmailTests_Postgres(PostgresTestDatabase database) : NotificationEmailTests(database);
