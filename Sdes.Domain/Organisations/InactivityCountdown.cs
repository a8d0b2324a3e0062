namespace Sdes.Domain.Organisations;

/// <summary>Spec 2.7 and 2.8 as arithmetic. The countdown runs from an anchor (the last sign-in, or the account's creation
/// if the user never signed in) in whole 24-hour periods: day 0 is the first 24 hours after the anchor, so the reminder
/// days 83-89 and the deletion on day 90 are the same instants whatever the UK clock does in between (ADR 0011).</summary>
public static class InactivityCountdown
{
    public const int FirstReminderDay = 83;
    public const int LastReminderDay = 89;
    public const int DeletionDay = 90;

    public static readonly TimeSpan Day = TimeSpan.FromHours(24);

    public static DateTimeOffset AnchorOf(DateTimeOffset? lastSignInAt, DateTimeOffset createdAt) => lastSignInAt ?? createdAt;

    /// <summary>Whole 24-hour periods since the anchor (0 on the first day; never negative).</summary>
    public static int DayOf(DateTimeOffset anchor, DateTimeOffset now) =>
        now <= anchor ? 0 : (int)Math.Min(int.MaxValue, (now - anchor).Ticks / Day.Ticks);

    public static DateTimeOffset DeletionDueAt(DateTimeOffset anchor) => anchor + DeletionDay * Day;

    public static DateTimeOffset ReminderDueAt(DateTimeOffset anchor, int day) => anchor + day * Day;

    /// <summary>The reminder days that have begun and are still before deletion: a run that missed a day catches up on it.</summary>
    public static IReadOnlyList<int> ReminderDaysDue(DateTimeOffset anchor, DateTimeOffset now)
    {
        var day = DayOf(anchor, now);
        return day < FirstReminderDay || day >= DeletionDay
            ? []
            : Enumerable.Range(FirstReminderDay, day - FirstReminderDay + 1).ToList();
    }

    public static bool IsDeletionDue(DateTimeOffset anchor, DateTimeOffset now) => DayOf(anchor, now) >= DeletionDay;

    /// <summary>The cut-off for "may need a reminder or deletion now": anchors at or before it are in the window.</summary>
    public static DateTimeOffset WindowStartsForAnchorsBefore(DateTimeOffset now) => now - FirstReminderDay * Day;
}
