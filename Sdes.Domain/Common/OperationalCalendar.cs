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

    private static readonly Lazy<OperationalCalendar> DefaultCalendar = new(() => new OperationalCalendar());
    private static readonly TimeZoneInfo Uk = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    private readonly HashSet<DateOnly> _holidays;

    /// <summary>The shipped bank holidays plus any configured extra dates (e.g. a one-off royal holiday).</summary>
    public OperationalCalendar(IEnumerable<DateOnly>? extraHolidays = null)
        : this(ShippedHolidays().Concat(extraHolidays ?? []).ToHashSet())
    {
    }

    private OperationalCalendar(HashSet<DateOnly> holidays)
    {
        _holidays = holidays;
        FirstYearCovered = _holidays.Count == 0 ? 0 : _holidays.Min().Year;
        LastYearCovered = _holidays.Count == 0 ? 0 : _holidays.Max().Year;
    }

    public static OperationalCalendar Default => DefaultCalendar.Value;

    public static OperationalCalendar WithHolidays(IEnumerable<DateOnly> holidays) => new(holidays.ToHashSet());

    public int FirstYearCovered { get; }
    public int LastYearCovered { get; }

    /// <summary>Outside the covered years only weekends are known; callers can warn that holiday data needs extending.</summary>
    public bool Covers(DateOnly day) => day.Year >= FirstYearCovered && day.Year <= LastYearCovered;

    public bool IsBankHoliday(DateOnly day) => _holidays.Contains(day);

    public bool IsWorkingDay(DateOnly day) => day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !IsBankHoliday(day);

    public bool IsWithinOperationalHours(DateTimeOffset instant)
    {
        var local = ToUk(instant);
        var time = TimeOnly.FromDateTime(local);
        return IsWorkingDay(DateOnly.FromDateTime(local)) && time >= Opens && time < Closes;
    }

    /// <summary>The same UK time of day on the Nth working day after the start's day. A start on a non-working day counts
    /// from the next working day's opening (08:00), so Saturday + 1 working day = Tuesday 08:00 (Monday being day 0).</summary>
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

    public DateTimeOffset AddOperationalHours(DateTimeOffset start, int hours) => AddOperationalHours(start, TimeSpan.FromHours(hours));

    /// <summary>Counts only time between 08:00 and 18:00 UK on working days. A start outside those hours begins at the next
    /// opening: Friday 17:00 + 3 h = Monday 10:00 (Tuesday if Monday is a bank holiday).</summary>
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

    public DateTimeOffset Deadline(DateTimeOffset start, ResponseWindow window) => window.Unit switch
    {
        WindowUnit.WorkingDays => AddWorkingDays(start, window.Amount),
        WindowUnit.OperationalHours => AddOperationalHours(start, window.Amount),
        _ => throw new ArgumentOutOfRangeException(nameof(window)),
    };

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

    private static IEnumerable<DateOnly> ShippedHolidays()
    {
        using var stream = typeof(OperationalCalendar).Assembly.GetManifestResourceStream("Sdes.Domain.bank-holidays-england-and-wales.txt")
            ?? throw new InvalidOperationException("The bank holiday data is missing from Sdes.Domain.");
        using var reader = new StreamReader(stream);
        var list = new List<DateOnly>();
        while (reader.ReadLine() is { } line)
        {
            line = line.Trim();
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                list.Add(DateOnly.ParseExact(line, "yyyy-MM-dd", CultureInfo.InvariantCulture));
            }
        }

        return list;
    }
}
