using System.Globalization;
using Sdes.Domain.Processes;

namespace Sdes.Domain.Common;

/// <summary>Working days (Monday to Friday except England and Wales bank holidays) and operational hours (08:00-18:00 UK time
/// on working days), the clock every response window runs on. All arithmetic is done in UK wall-clock time and converted
/// with the offset in force at that moment, so deadlines are right across BST/GMT changes.</summary>
public sealed class OperationalCalendar
{
    public static readonly TimeOnly Opens = new(8, 0);
    public static readonly TimeOnly Closes = new(18, 0);

    private const string ShippedResource = "Sdes.Domain.bank-holidays-england-and-wales.txt";

    private static readonly Lazy<DateOnly[]> Shipped = new(ReadShippedHolidays);
    private static readonly Lazy<OperationalCalendar> DefaultCalendar = new(() => new OperationalCalendar());
    private static readonly TimeZoneInfo Uk = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    private readonly HashSet<DateOnly> _holidays;

    /// <summary>The shipped England and Wales bank holidays plus any configured extra dates (e.g. a one-off royal holiday).
    /// Extra dates do not widen <see cref="FirstYearCovered"/>..<see cref="LastYearCovered"/>: one date is not a year's list.</summary>
    public OperationalCalendar(IEnumerable<DateOnly>? extraHolidays = null)
        : this(Shipped.Value, extraHolidays ?? [])
    {
    }

    private OperationalCalendar(IReadOnlyCollection<DateOnly> yearLists, IEnumerable<DateOnly> extra)
    {
        _holidays = [.. yearLists, .. extra];
        FirstYearCovered = yearLists.Count == 0 ? 0 : yearLists.Min().Year;
        LastYearCovered = yearLists.Count == 0 ? 0 : yearLists.Max().Year;
    }

    /// <summary>The shipped bank holidays only; parsed once, on first use.</summary>
    public static OperationalCalendar Default => DefaultCalendar.Value;

    /// <summary>Only the given holidays, none of the shipped ones; the covered years are those of the first and last date
    /// given (none when the list is empty).</summary>
    public static OperationalCalendar WithHolidays(IEnumerable<DateOnly> holidays)
    {
        ArgumentNullException.ThrowIfNull(holidays);
        return new OperationalCalendar([.. holidays], []);
    }

    /// <summary>The first year whose bank holidays are listed (2024 for <see cref="Default"/>).</summary>
    public int FirstYearCovered { get; }

    /// <summary>The last year whose bank holidays are listed (2028 for <see cref="Default"/>).</summary>
    public int LastYearCovered { get; }

    // Outside the covered years only weekends are non-working (no exception): a deadline stays computable while the data is extended.
    public bool Covers(DateOnly day) => day.Year >= FirstYearCovered && day.Year <= LastYearCovered;

    public bool IsBankHoliday(DateOnly day) => _holidays.Contains(day);

    public bool IsWorkingDay(DateOnly day) => day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !IsBankHoliday(day);

    public bool IsWithinOperationalHours(DateTimeOffset instant)
    {
        var local = ToUk(instant);
        var time = TimeOnly.FromDateTime(local);
        return IsWorkingDay(DateOnly.FromDateTime(local)) && time >= Opens && time < Closes;
    }

    /// <summary>
    /// The deadline <paramref name="days"/> working days after <paramref name="start"/>, in UTC (offset zero).
    /// </summary>
    /// <remarks>
    /// Take the start's UK local date and time of day. If that date is a working day, the deadline is the same UK time of
    /// day on the Nth working day after it, whether or not the start was inside operational hours (Monday 20:00 + 1 =
    /// Tuesday 20:00). If it is not a working day, the start moves to 08:00 on the next working day, which is day 0:
    /// Saturday 14:00 + 1 = Tuesday 08:00. Zero days returns the (moved) start. The UK offset is the one in force on the
    /// deadline's date, so a deadline keeps its wall-clock time across BST/GMT changes.
    /// </remarks>
    public DateTimeOffset AddWorkingDays(DateTimeOffset start, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        var local = ToUk(start);
        var day = DateOnly.FromDateTime(local);
        var time = TimeOnly.FromDateTime(local);
        if (!IsWorkingDay(day))
        {
            day = NextWorkingDay(day);
            time = Opens;
        }

        for (var i = 0; i < days; i++)
        {
            day = NextWorkingDay(day);
        }

        return ToUtc(day, time);
    }

    /// <inheritdoc cref="AddOperationalHours(DateTimeOffset, TimeSpan)"/>
    public DateTimeOffset AddOperationalHours(DateTimeOffset start, int hours)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(hours);
        return AddOperationalHours(start, TimeSpan.FromHours(hours));
    }

    /// <summary>
    /// The instant by which the given amount of operational time has elapsed after <paramref name="start"/>, in UTC (offset zero).
    /// </summary>
    /// <remarks>
    /// Only time between 08:00 and 18:00 UK local time on working days counts. A start outside those hours begins at the next
    /// opening: Friday 17:00 + 3 h = Monday 10:00 (Tuesday 10:00 if Monday is a bank holiday). A deadline that falls exactly
    /// at closing is 18:00 that day, not 08:00 the next.
    /// </remarks>
    public DateTimeOffset AddOperationalHours(DateTimeOffset start, TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        var local = ToUk(start);
        var day = DateOnly.FromDateTime(local);
        var time = TimeOnly.FromDateTime(local);
        if (!IsWorkingDay(day) || time >= Closes)
        {
            day = NextWorkingDay(day);
            time = Opens;
        }
        else if (time < Opens)
        {
            time = Opens;
        }

        var remaining = duration;
        while (true)
        {
            var available = Closes - time;
            if (remaining <= available)
            {
                return ToUtc(day, time.Add(remaining));
            }

            remaining -= available;
            day = NextWorkingDay(day);
            time = Opens;
        }
    }

    /// <summary>When a response window that opened at <paramref name="start"/> lapses, in UTC (offset zero).</summary>
    public DateTimeOffset Deadline(DateTimeOffset start, ResponseWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        return window.Unit switch
        {
            WindowUnit.WorkingDays => AddWorkingDays(start, window.Amount),
            WindowUnit.OperationalHours => AddOperationalHours(start, window.Amount),
            _ => throw new ArgumentOutOfRangeException(nameof(window), window.Unit, "Unknown response window unit."),
        };
    }

    private DateOnly NextWorkingDay(DateOnly day)
    {
        do
        {
            day = day.AddDays(1);
        }
        while (!IsWorkingDay(day));

        return day;
    }

    private static DateTime ToUk(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Uk).DateTime;

    // Working-day times are never in a clock-change gap or overlap: UK clocks change at 01:00 UTC on Sundays.
    private static DateTimeOffset ToUtc(DateOnly day, TimeOnly time) =>
        new(TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(time, DateTimeKind.Unspecified), Uk), TimeSpan.Zero);

    private static DateOnly[] ReadShippedHolidays()
    {
        using var stream = typeof(OperationalCalendar).Assembly.GetManifestResourceStream(ShippedResource)
            ?? throw new InvalidOperationException($"The bank holiday data {ShippedResource} is missing from Sdes.Domain.");
        using var reader = new StreamReader(stream);
        var list = new List<DateOnly>();
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            var comment = line.IndexOf('#', StringComparison.Ordinal);
            var text = (comment >= 0 ? line[..comment] : line).Trim();
            if (text.Length == 0)
            {
                continue;
            }

            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                throw new InvalidOperationException($"Line {number} of {ShippedResource} is not a yyyy-MM-dd date: '{text}'.");
            }

            list.Add(day);
        }

        return [.. list];
    }
}
