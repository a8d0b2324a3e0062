namespace Sdes.Infrastructure.Identity;

public enum InactivityReminderRecipient
{
    /// <summary>The inactive user, reminded to sign in (spec 2.7(b)).</summary>
    User,

    /// <summary>Their organisation's MAU, told who is about to be deleted and from which levels (spec 2.8).</summary>
    MasterAdmin,

    /// <summary>An extra reminder to the user that their MAU or an admin asked for from the dashboard.</summary>
    UserOnRequest,
}

/// <summary>One inactivity email, recorded in the same transaction as its outbox row. The unique key (user, countdown
/// anchor, day, recipient) is what makes the job idempotent: a run sends only the due reminders with no record yet, so
/// twice a day sends nothing twice and a missed day is caught up on the next run. A sign-in moves the anchor, which starts
/// a fresh countdown with no records. Rows go with the user's account (ADR 0011).</summary>
public sealed class InactivityReminder
{
    private InactivityReminder() { }

    public Guid Id { get; private set; }
    public Guid UserId { get; private set; }

    /// <summary>The instant the countdown is counted from: the user's last sign-in, or account creation if none.</summary>
    public DateTimeOffset CycleAnchor { get; private set; }

    /// <summary>Whole 24-hour periods since the anchor, 83..89 (see <c>InactivityCountdown</c>).</summary>
    public int Day { get; private set; }

    public InactivityReminderRecipient Recipient { get; private set; }
    public DateTimeOffset SentAt { get; private set; }
    public Guid? OutboxMessageId { get; private set; }

    public static InactivityReminder Record(Guid userId, DateTimeOffset anchor, int day, InactivityReminderRecipient recipient,
        Guid? outboxMessageId, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        UserId = userId,
        CycleAnchor = anchor.ToUniversalTime(),
        Day = day,
        Recipient = recipient,
        SentAt = now.ToUniversalTime(),
        OutboxMessageId = outboxMessageId,
    };
}
