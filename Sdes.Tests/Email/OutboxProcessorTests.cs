using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Sdes.Infrastructure.Email;
using Sdes.Infrastructure.Persistence;
using Sdes.Tests.Persistence;

namespace Sdes.Tests.Email;

[Collection(SqliteCollection.Name)]
public sealed class OutboxProcessorTests(SqliteTestDatabase database) : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-25T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly ScriptedSender _sender = new();
    private readonly EmailOptions _options = new() { MaxAttempts = 3, BaseRetryDelay = TimeSpan.FromSeconds(30), BatchSize = 50 };

    public Task InitializeAsync() => database.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private OutboxProcessor Processor(IEmailSender? sender = null) =>
        new(new Factory(database), sender ?? _sender, _options, _time, NullLogger<OutboxProcessor>.Instance, new Random(7));

    private async Task<Guid> EnqueueAsync(string to = "a@example.org")
    {
        await using var db = database.CreateContext();
        var message = OutboxMessage.Create("test", to, null, "Subject", "secret body", "<p>secret</p>", _time.GetUtcNow());
        db.OutboxMessages.Add(message);
        await db.SaveChangesAsync();
        return message.Id;
    }

    private async Task<OutboxMessage> LoadAsync(Guid id)
    {
        await using var db = database.CreateContext();
        return await db.OutboxMessages.SingleAsync(m => m.Id == id);
    }

    [Fact]
    public async Task ProcessDue_SendsPendingMail_MarksItSent_AndClearsTheBodies()
    {
        var id = await EnqueueAsync();

        Assert.Equal(1, await Processor().ProcessDueAsync(CancellationToken.None));

        var stored = await LoadAsync(id);
        Assert.Equal(OutboxStatus.Sent, stored.Status);
        Assert.Null(stored.TextBody);
        Assert.Null(stored.HtmlBody);
        Assert.Equal([id], _sender.Sent);
    }

    [Fact]
    public async Task ProcessDue_Twice_NeverSendsASentMailAgain()
    {
        await EnqueueAsync();
        await Processor().ProcessDueAsync(CancellationToken.None);

        await Processor().ProcessDueAsync(CancellationToken.None);

        Assert.Single(_sender.Sent);
    }

    [Fact]
    public async Task Transient_IsRetriedOnlyWhenDue_WithBackoff_ThenDeadLettered()
    {
        var id = await EnqueueAsync();
        _sender.Next(EmailSendOutcome.Transient, EmailSendOutcome.Transient, EmailSendOutcome.Transient);

        await Processor().ProcessDueAsync(CancellationToken.None);
        var first = await LoadAsync(id);
        Assert.Equal(OutboxStatus.Pending, first.Status);
        var delay = first.NextAttemptAt - _time.GetUtcNow();
        Assert.InRange(delay.TotalSeconds, 24, 36); // 30 s +/- 20 %

        _time.Advance(delay - TimeSpan.FromSeconds(1));
        await Processor().ProcessDueAsync(CancellationToken.None);
        Assert.Equal(1, (await LoadAsync(id)).Attempts);

        _time.Advance(TimeSpan.FromSeconds(1));
        await Processor().ProcessDueAsync(CancellationToken.None);
        var second = await LoadAsync(id);
        Assert.Equal(2, second.Attempts);
        Assert.InRange((second.NextAttemptAt - _time.GetUtcNow()).TotalSeconds, 48, 72); // doubled

        _time.Advance(TimeSpan.FromMinutes(5));
        await Processor().ProcessDueAsync(CancellationToken.None);
        var third = await LoadAsync(id);
        Assert.Equal(OutboxStatus.DeadLettered, third.Status);
        Assert.Equal(3, third.Attempts);
        Assert.Empty(_sender.Sent);
    }

    [Fact]
    public async Task Permanent_IsDeadLetteredAtOnce_AndCanBeRequeuedByTheOperator()
    {
        var id = await EnqueueAsync();
        _sender.Next(EmailSendOutcome.Permanent);
        await Processor().ProcessDueAsync(CancellationToken.None);
        Assert.Equal(OutboxStatus.DeadLettered, (await LoadAsync(id)).Status);

        await using (var db = database.CreateContext())
        {
            await new OutboxAdmin(_time).RequeueAsync(db, id, new Sdes.Domain.Common.UserRef(Sdes.Domain.Common.UserId.New(), "Op",
                Sdes.Domain.Organisations.OrganisationId.New()), CancellationToken.None);
            Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == Sdes.Domain.Audit.AuditAction.EmailRequeued));
        }

        await Processor().ProcessDueAsync(CancellationToken.None);
        Assert.Equal(OutboxStatus.Sent, (await LoadAsync(id)).Status);
    }

    [Fact]
    public async Task SenderThatThrows_CountsAsAFailedAttempt_AndTheBatchGoesOn()
    {
        var first = await EnqueueAsync("first@example.org");
        var second = await EnqueueAsync("second@example.org");
        var sender = new ThrowingOnceSender(first, _sender);

        await Processor(sender).ProcessDueAsync(CancellationToken.None);

        Assert.Equal(OutboxStatus.Pending, (await LoadAsync(first)).Status);
        Assert.Equal(1, (await LoadAsync(first)).Attempts);
        Assert.Equal(OutboxStatus.Sent, (await LoadAsync(second)).Status);
    }

    [Fact]
    public async Task DeadLettering_IsAudited()
    {
        var id = await EnqueueAsync();
        _sender.Next(EmailSendOutcome.Permanent);

        await Processor().ProcessDueAsync(CancellationToken.None);

        await using var db = database.CreateContext();
        var audit = await db.AuditEvents.SingleAsync(e => e.Action == Sdes.Domain.Audit.AuditAction.EmailDeadLettered);
        Assert.Equal(id.ToString(), audit.SubjectId);
    }

    [Fact]
    public void Backoff_NeverExceedsAnHour_EvenWithJitter()
    {
        var processor = Processor();
        Assert.All(Enumerable.Range(1, 40), attempt => Assert.True(processor.Backoff(attempt) <= TimeSpan.FromHours(1)));
    }

    [Fact]
    public void Backoff_IsJittered_SoRowsFailingTogetherDoNotRetryTogether()
    {
        var processor = Processor();

        var third = Enumerable.Range(0, 200).Select(_ => processor.Backoff(3).TotalSeconds).ToList();

        Assert.All(third, s => Assert.InRange(s, 96, 144)); // 30 s * 2^2 = 120 s, +/- 20 %
        Assert.True(third.Min() < 100 && third.Max() > 140, $"Jitter spread only {third.Min():0.0}..{third.Max():0.0} s.");
        Assert.True(third.Distinct().Count() > 190);
    }

    [Fact]
    public async Task ThroughSendGrid_429And503AreRetriedWithBackoff_And400IsDeadLetteredAtOnce()
    {
        await using var sendGrid = await Integration.RecordingSendGrid.StartAsync();
        var sender = new SendGridEmailSender(new EmailOptions
        {
            SendGrid = new EmailOptions.SendGridSettings { ApiKey = "SG.test-key", Host = sendGrid.Address },
        });
        var busy = await EnqueueAsync("busy@example.org");
        sendGrid.Answer(429, 503);

        await Processor(sender).ProcessDueAsync(CancellationToken.None);
        var afterRateLimit = await LoadAsync(busy);
        Assert.Equal((OutboxStatus.Pending, "SendGrid answered 429"), (afterRateLimit.Status, afterRateLimit.LastError));
        Assert.InRange((afterRateLimit.NextAttemptAt - _time.GetUtcNow()).TotalSeconds, 24, 36);

        _time.Advance(TimeSpan.FromSeconds(36));
        await Processor(sender).ProcessDueAsync(CancellationToken.None);
        var afterOutage = await LoadAsync(busy);
        Assert.Equal((OutboxStatus.Pending, "SendGrid answered 503"), (afterOutage.Status, afterOutage.LastError));
        Assert.InRange((afterOutage.NextAttemptAt - _time.GetUtcNow()).TotalSeconds, 48, 72);

        _time.Advance(TimeSpan.FromSeconds(72));
        await Processor(sender).ProcessDueAsync(CancellationToken.None);
        Assert.Equal((OutboxStatus.Sent, 3), ((await LoadAsync(busy)).Status, (await LoadAsync(busy)).Attempts));

        var rejected = await EnqueueAsync("rejected@example.org");
        sendGrid.Answer(400);
        await Processor(sender).ProcessDueAsync(CancellationToken.None);
        var dead = await LoadAsync(rejected);
        Assert.Equal((OutboxStatus.DeadLettered, 1, "SendGrid answered 400"), (dead.Status, dead.Attempts, dead.LastError));
        Assert.Equal([429, 503, 202, 400], sendGrid.Requests.Select(r => r.Status));
    }

    [Fact]
    public async Task AttemptBegunButNeverRecorded_IsSentOnTheNextRun()
    {
        var id = await EnqueueAsync();
        // A crash after the attempt was committed and before the provider answered: the row says "attempt 1, pending".
        await using (var db = database.CreateContext())
        {
            var row = await db.OutboxMessages.SingleAsync(m => m.Id == id);
            row.BeginAttempt(_time.GetUtcNow(), _options.AttemptLease);
            await db.SaveChangesAsync();
        }

        await Processor().ProcessDueAsync(CancellationToken.None);
        Assert.Empty(_sender.Sent); // still leased to the attempt that may yet answer

        _time.Advance(_options.AttemptLease);
        await Processor().ProcessDueAsync(CancellationToken.None);

        var stored = await LoadAsync(id);
        Assert.Equal(OutboxStatus.Sent, stored.Status);
        Assert.Equal(2, stored.Attempts);
        Assert.Equal([id], _sender.Sent);
    }

    [Fact]
    public async Task TwoWorkersRacing_NeverSendTheSameMailTwice()
    {
        for (var i = 0; i < 20; i++)
        {
            await EnqueueAsync($"r{i}@example.org");
        }

        var slow = new ScriptedSender { Delay = TimeSpan.FromMilliseconds(5) };
        await Task.WhenAll(Processor(slow).ProcessDueAsync(CancellationToken.None), Processor(slow).ProcessDueAsync(CancellationToken.None));

        Assert.Equal(20, slow.Sent.Count);
        Assert.Equal(20, slow.Sent.Distinct().Count());
    }

    private sealed class ThrowingOnceSender(Guid failFor, IEmailSender inner) : IEmailSender
    {
        public Task<EmailSendResult> SendAsync(EmailMessage message, CancellationToken ct) =>
            message.Id == failFor ? throw new InvalidOperationException("adapter bug") : inner.SendAsync(message, ct);
    }

    private sealed class Factory(TestDatabase database) : IDbContextFactory<SdesDbContext>
    {
        public SdesDbContext CreateDbContext() => database.CreateContext();
    }

    /// <summary>Answers with the scripted outcomes, then "sent"; records what it sent.</summary>
    private sealed class ScriptedSender : IEmailSender
    {
        private readonly ConcurrentQueue<EmailSendOutcome> _script = new();

        public ConcurrentBag<Guid> SentBag { get; } = [];
        public List<Guid> Sent => SentBag.ToList();
        public TimeSpan Delay { get; init; }

        public void Next(params EmailSendOutcome[] outcomes)
        {
            foreach (var o in outcomes)
            {
                _script.Enqueue(o);
            }
        }

        public async Task<EmailSendResult> SendAsync(EmailMessage message, CancellationToken ct)
        {
            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, ct);
            }

            var outcome = _script.TryDequeue(out var o) ? o : EmailSendOutcome.Sent;
            if (outcome == EmailSendOutcome.Sent)
            {
                SentBag.Add(message.Id);
            }

            return new EmailSendResult(outcome, "id", outcome == EmailSendOutcome.Sent ? null : "scripted " + outcome);
        }
    }
}
