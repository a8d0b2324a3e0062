using Microsoft.EntityFrameworkCore;
using Sdes.App.Features.Operator;
using Sdes.App.Features.Shared;
using Sdes.Domain.Audit;
using Sdes.Domain.Common;
using Sdes.Infrastructure.Email;

namespace Sdes.Tests.Integration;

/// <summary>The operator's Email delivery page and its retry, in the real app with the outbox job running.</summary>
public sealed class EmailDeliveryTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    private SdesAppFactory App => fixture.App;

    private async Task<Guid> DeadLetteredAsync(string to, string error) =>
        await App.WithDbAsync(async db =>
        {
            var message = OutboxMessage.Create("account-setup", to, null, "Your SDES account", "Hello", null, DateTimeOffset.UtcNow);
            message.DeadLetter(error);
            db.OutboxMessages.Add(message);
            await db.SaveChangesAsync();
            return message.Id;
        });

    [Fact]
    public async Task Operator_SeesAFailedEmailMasked_AndRetryingItDeliversIt()
    {
        var id = await DeadLetteredAsync("failed.person@dno.example", "SendGrid answered 400");
        using var session = App.NewSession();
        await session.SignInAsync(SdesAppFactory.OperatorEmail, AppFixture.StrongPassword);

        var html = await (await session.GetAsync("/operator/emails")).Content.ReadAsStringAsync();

        Assert.Contains("f***@dno.example", html, StringComparison.Ordinal);
        Assert.Contains("SendGrid answered 400", html, StringComparison.Ordinal);
        Assert.Contains("Retry the account-setup email to f***@dno.example", html, StringComparison.Ordinal);
        Assert.DoesNotContain("failed.person@dno.example", html, StringComparison.Ordinal);

        var op = SdesAppFactory.PrincipalFor(fixture.Operator);
        await App.Service<EmailDelivery>().RetryAsync(op, id);

        await App.Mailbox.WaitForAsync("failed.person@dno.example");
        Assert.Equal(OutboxStatus.Sent, await App.WithDbAsync(db => db.OutboxMessages.Where(m => m.Id == id).Select(m => m.Status).SingleAsync()));
        Assert.DoesNotContain((await App.Service<EmailDelivery>().GetAsync(op)).Failed, f => f.Id == id);
        Assert.True(await App.WithDbAsync(db => db.AuditEvents.AnyAsync(e => e.Action == AuditAction.EmailRequeued && e.SubjectId == id.ToString())));
    }

    [Fact]
    public async Task NonOperator_CannotSeeOrRetryFailedEmails()
    {
        var id = await DeadLetteredAsync("other.person@dno.example", "SendGrid answered 403");
        var (_, mau) = await fixture.CreateOrganisationWithMauAsync("Outbox Energy", "OBXE", "mau@outbox.example");
        var p = SdesAppFactory.PrincipalFor(mau);

        await Assert.ThrowsAsync<NotFoundException>(() => App.Service<EmailDelivery>().GetAsync(p));
        await Assert.ThrowsAsync<NotFoundException>(() => App.Service<EmailDelivery>().RetryAsync(p, id));
        using var session = App.NewSession();
        await session.SignInAsync("mau@outbox.example", AppFixture.StrongPassword);
        var page = await session.GetAsync("/operator/emails");

        Assert.DoesNotContain("o***@dno.example", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(OutboxStatus.DeadLettered,
            await App.WithDbAsync(db => db.OutboxMessages.Where(m => m.Id == id).Select(m => m.Status).SingleAsync()));
    }
}
