using System.Globalization;
using Sdes.Domain.Common;
using Sdes.Domain.Processes;

namespace Sdes.Tests.Domain;

// Expected instants are worked by hand. UK clocks: BST (UTC+1) from 2026-03-29 01:00Z to 2026-10-25 01:00Z, GMT otherwise.
public sealed class OperationalCalendarTests
{
    private static readonly OperationalCalendar Calendar = OperationalCalendar.Default;

    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);

    private static DateOnly Day(string iso) => DateOnly.Parse(iso, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2024-03-29")] // Good Friday
    [InlineData("2024-04-01")] // Easter Monday
    [InlineData("2024-12-26")]
    [InlineData("2025-04-18")] // Good Friday
    [InlineData("2025-04-21")] // Easter Monday
    [InlineData("2025-08-25")]
    [InlineData("2026-04-03")] // Good Friday
    [InlineData("2026-04-06")] // Easter Monday
    [InlineData("2026-08-31")]
    [InlineData("2026-12-25")]
    [InlineData("2026-12-28")] // Boxing Day (Saturday) substitute
    [InlineData("2027-03-26")] // Good Friday
    [InlineData("2027-03-29")] // Easter Monday
    [InlineData("2027-05-03")]
    [InlineData("2027-12-27")] // Christmas Day (Saturday) substitute
    [InlineData("2027-12-28")] // Boxing Day (Sunday) substitute
    [InlineData("2028-01-03")] // New Year's Day (Saturday) substitute
    [InlineData("2028-04-14")] // Good Friday
    [InlineData("2028-04-17")] // Easter Monday
    [InlineData("2028-12-26")]
    public void IsWorkingDay_OnABankHoliday_IsFalse(string day)
    {
        Assert.True(Calendar.IsBankHoliday(Day(day)));
        Assert.False(Calendar.IsWorkingDay(Day(day)));
    }

    [Theory]
    [InlineData(2024)]
    [InlineData(2025)]
    [InlineData(2026)]
    [InlineData(2027)]
    [InlineData(2028)]
    public void IsBankHoliday_EachCoveredYear_HasEightWeekdays(int year)
    {
        var days = Enumerable.Range(0, DateTime.IsLeapYear(year) ? 366 : 365)
            .Select(i => new DateOnly(year, 1, 1).AddDays(i))
            .Where(Calendar.IsBankHoliday)
            .ToList();

        Assert.Equal(8, days.Count);
        Assert.All(days, d => Assert.True(d.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)));
    }

    [Theory]
    [InlineData("2026-11-25", true)]
    [InlineData("2026-11-28", false)] // Saturday
    [InlineData("2026-11-29", false)] // Sunday
    [InlineData("2026-12-24", true)]
    [InlineData("2026-12-29", true)]
    [InlineData("2027-12-29", true)]
    public void IsWorkingDay_OnOrdinaryDays_FollowsTheWeek(string day, bool expected) =>
        Assert.Equal(expected, Calendar.IsWorkingDay(Day(day)));

    [Theory]
    [InlineData("2026-12-26")] // Boxing Day itself falls on a Saturday; the holiday is the Monday
    [InlineData("2027-12-25")]
    [InlineData("2028-01-01")]
    public void IsBankHoliday_OnAWeekendWhoseHolidayMoved_IsFalse(string day) =>
        Assert.False(Calendar.IsBankHoliday(Day(day)));

    [Theory]
    [InlineData("2026-11-23T10:00:00Z", 1, "2026-11-24T10:00:00Z")] // Monday to Tuesday
    [InlineData("2026-11-23T10:00:00Z", 0, "2026-11-23T10:00:00Z")]
    [InlineData("2026-11-23T10:00:00Z", 5, "2026-11-30T10:00:00Z")]
    [InlineData("2026-11-27T10:00:00Z", 1, "2026-11-30T10:00:00Z")] // over a weekend
    [InlineData("2026-04-02T09:00:00Z", 1, "2026-04-07T09:00:00Z")] // Thursday 10:00 BST over Easter 2026
    [InlineData("2026-04-02T09:00:00Z", 2, "2026-04-08T09:00:00Z")]
    [InlineData("2027-12-23T12:00:00Z", 2, "2027-12-29T12:00:00Z")] // over Christmas 2027's substitute days
    [InlineData("2027-12-24T15:00:00Z", 1, "2027-12-29T15:00:00Z")]
    [InlineData("2027-12-31T10:00:00Z", 1, "2028-01-04T10:00:00Z")] // over New Year 2028's substitute day
    [InlineData("2026-10-23T09:00:00Z", 1, "2026-10-26T10:00:00Z")] // Friday 10:00 BST -> Monday 10:00 GMT
    [InlineData("2026-03-27T10:00:00Z", 1, "2026-03-30T09:00:00Z")] // Friday 10:00 GMT -> Monday 10:00 BST
    [InlineData("2026-07-06T10:00:00+02:00", 1, "2026-07-07T08:00:00Z")] // any input offset: Monday 09:00 BST
    [InlineData("2026-07-12T23:30:00Z", 1, "2026-07-13T23:30:00Z")] // Sunday in UTC but Monday 00:30 BST: the UK date counts
    [InlineData("2026-11-23T20:00:00Z", 1, "2026-11-24T20:00:00Z")] // a working day after hours keeps its time of day
    public void AddWorkingDays_FromAWorkingDay_KeepsTheUkTimeOfDay(string start, int days, string expected) =>
        Assert.Equal(At(expected), Calendar.AddWorkingDays(At(start), days));

    [Theory]
    [InlineData("2026-11-28T10:00:00Z", 1, "2026-12-01T08:00:00Z")] // Saturday: Monday 08:00 is day 0
    [InlineData("2026-11-28T10:00:00Z", 0, "2026-11-30T08:00:00Z")]
    [InlineData("2026-03-29T12:00:00Z", 1, "2026-03-31T07:00:00Z")] // Sunday the clocks go forward: Tuesday 08:00 BST
    [InlineData("2026-04-03T10:00:00Z", 1, "2026-04-08T07:00:00Z")] // Good Friday: Tuesday 08:00 BST is day 0
    [InlineData("2026-12-28T15:00:00Z", 1, "2026-12-30T08:00:00Z")] // substitute bank holiday
    public void AddWorkingDays_FromANonWorkingDay_CountsFromTheNextOpening(string start, int days, string expected) =>
        Assert.Equal(At(expected), Calendar.AddWorkingDays(At(start), days));

    [Theory]
    [InlineData("2026-11-23T10:00:00Z", 3, "2026-11-23T13:00:00Z")] // within a day
    [InlineData("2026-11-23T08:00:00Z", 10, "2026-11-23T18:00:00Z")] // a whole day ends at that day's close
    [InlineData("2026-11-23T17:00:00Z", 1, "2026-11-23T18:00:00Z")]
    [InlineData("2026-11-23T17:00:00Z", 3, "2026-11-24T10:00:00Z")] // across the evening
    [InlineData("2026-11-23T08:00:00Z", 20, "2026-11-24T18:00:00Z")]
    [InlineData("2026-11-23T08:00:00Z", 50, "2026-11-27T18:00:00Z")]
    [InlineData("2026-11-23T08:00:00Z", 51, "2026-11-30T09:00:00Z")]
    [InlineData("2026-11-27T17:00:00Z", 3, "2026-11-30T10:00:00Z")] // Friday to Monday
    [InlineData("2026-11-23T06:00:00Z", 1, "2026-11-23T09:00:00Z")] // before opening
    [InlineData("2026-11-23T18:00:00Z", 1, "2026-11-24T09:00:00Z")] // at closing
    [InlineData("2026-11-23T19:00:00Z", 1, "2026-11-24T09:00:00Z")] // after closing
    [InlineData("2026-11-28T12:00:00Z", 2, "2026-11-30T10:00:00Z")] // Saturday
    [InlineData("2026-11-23T15:00:00+05:00", 3, "2026-11-23T13:00:00Z")] // any input offset
    [InlineData("2026-08-28T16:00:00Z", 3, "2026-09-01T09:00:00Z")] // Friday 17:00 BST, Monday a bank holiday: Tuesday 10:00 BST
    [InlineData("2026-08-28T16:30:00Z", 1, "2026-09-01T07:30:00Z")] // Friday 17:30 BST -> Tuesday 08:30 BST
    [InlineData("2026-04-02T16:00:00Z", 2, "2026-04-07T08:00:00Z")] // Thursday 17:00 BST over Easter 2026 -> Tuesday 09:00 BST
    [InlineData("2027-12-24T16:00:00Z", 3, "2027-12-29T09:00:00Z")] // Christmas Eve 2027 16:00 GMT -> Wednesday 09:00 GMT
    public void AddOperationalHours_CountsOnlyOperationalTime(string start, int hours, string expected) =>
        Assert.Equal(At(expected), Calendar.AddOperationalHours(At(start), hours));

    [Theory]
    [InlineData("2026-10-23T15:00:00Z", 3, "2026-10-26T09:00:00Z")] // Friday 16:00 BST -> Monday 09:00 GMT (clocks go back)
    [InlineData("2026-10-23T07:00:00Z", 12, "2026-10-26T10:00:00Z")] // Friday 08:00 BST, 10 h Friday + 2 h Monday GMT
    [InlineData("2026-10-25T00:30:00Z", 1, "2026-10-26T09:00:00Z")] // Sunday 01:30 BST, first of the repeated hour
    [InlineData("2026-10-25T01:30:00Z", 1, "2026-10-26T09:00:00Z")] // Sunday 01:30 GMT, second of the repeated hour
    [InlineData("2026-03-27T17:00:00Z", 2, "2026-03-30T08:00:00Z")] // Friday 17:00 GMT -> Monday 09:00 BST (clocks go forward)
    [InlineData("2026-03-27T08:00:00Z", 10, "2026-03-27T18:00:00Z")] // Friday 08:00 GMT, the whole day
    [InlineData("2026-03-27T08:00:00Z", 11, "2026-03-30T08:00:00Z")] // one more hour: Monday 09:00 BST
    [InlineData("2026-03-29T00:30:00Z", 1, "2026-03-30T08:00:00Z")] // Sunday 00:30 GMT, before the change
    public void AddOperationalHours_AcrossAClockChange_IsExactInUtc(string start, int hours, string expected) =>
        Assert.Equal(At(expected), Calendar.AddOperationalHours(At(start), hours));

    [Theory]
    [InlineData("2026-11-23T10:00:00Z", 90, "2026-11-23T11:30:00Z")]
    [InlineData("2026-11-23T17:30:00Z", 60, "2026-11-24T08:30:00Z")]
    [InlineData("2026-11-23T10:00:00Z", 0, "2026-11-23T10:00:00Z")]
    public void AddOperationalHours_WithATimeSpan_CountsMinutes(string start, int minutes, string expected) =>
        Assert.Equal(At(expected), Calendar.AddOperationalHours(At(start), TimeSpan.FromMinutes(minutes)));

    [Fact]
    public void AddWorkingDaysAndAddOperationalHours_FromAnyOffset_ReturnUtc()
    {
        var start = At("2026-07-06T10:00:00+02:00");

        Assert.Equal(TimeSpan.Zero, Calendar.AddWorkingDays(start, 1).Offset);
        Assert.Equal(TimeSpan.Zero, Calendar.AddOperationalHours(start, 1).Offset);
        Assert.Equal(TimeSpan.Zero, Calendar.Deadline(start, ResponseWindow.WorkingDays(2)).Offset);
    }

    [Fact]
    public void AddWorkingDaysAndAddOperationalHours_WithANegativeAmount_Throw()
    {
        var start = At("2026-11-23T10:00:00Z");

        Assert.Throws<ArgumentOutOfRangeException>(() => Calendar.AddWorkingDays(start, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Calendar.AddOperationalHours(start, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Calendar.AddOperationalHours(start, TimeSpan.FromMinutes(-1)));
    }

    [Fact]
    public void AddOperationalHours_HonoursAConfiguredExtraHoliday()
    {
        var calendar = new OperationalCalendar([new DateOnly(2026, 11, 30)]);

        Assert.Equal(At("2026-12-01T09:00:00Z"), calendar.AddOperationalHours(At("2026-11-27T17:00:00Z"), 2));
        Assert.Equal(At("2026-11-30T09:00:00Z"), Calendar.AddOperationalHours(At("2026-11-27T17:00:00Z"), 2));
    }

    [Fact]
    public void AddWorkingDays_HonoursAConfiguredExtraHoliday()
    {
        var calendar = new OperationalCalendar([new DateOnly(2026, 11, 30)]);

        Assert.Equal(At("2026-12-01T10:00:00Z"), calendar.AddWorkingDays(At("2026-11-27T10:00:00Z"), 1));
    }

    [Fact]
    public void Constructor_WithExtraHolidays_KeepsTheShippedOnesAndTheCoveredYears()
    {
        var calendar = new OperationalCalendar([new DateOnly(2030, 6, 3)]);

        Assert.True(calendar.IsBankHoliday(new DateOnly(2030, 6, 3)));
        Assert.True(calendar.IsBankHoliday(new DateOnly(2026, 12, 28)));
        Assert.Equal(2024, calendar.FirstYearCovered);
        Assert.Equal(2028, calendar.LastYearCovered);
        Assert.False(calendar.Covers(new DateOnly(2029, 6, 4)));
    }

    [Fact]
    public void WithHolidays_UsesOnlyTheGivenDates()
    {
        var calendar = OperationalCalendar.WithHolidays([new DateOnly(2026, 11, 30)]);

        Assert.True(calendar.IsBankHoliday(new DateOnly(2026, 11, 30)));
        Assert.True(calendar.IsWorkingDay(new DateOnly(2026, 12, 25))); // a Friday, not listed here
        Assert.Equal(2026, calendar.FirstYearCovered);
        Assert.Equal(2026, calendar.LastYearCovered);
        Assert.Equal(At("2026-12-01T09:00:00Z"), calendar.AddOperationalHours(At("2026-11-27T17:00:00Z"), 2));
    }

    [Fact]
    public void WithHolidays_WithNone_CoversNoYearAndKnowsOnlyWeekends()
    {
        var calendar = OperationalCalendar.WithHolidays([]);

        Assert.False(calendar.Covers(new DateOnly(2026, 12, 25)));
        Assert.True(calendar.IsWorkingDay(new DateOnly(2026, 12, 25)));
        Assert.False(calendar.IsWorkingDay(new DateOnly(2026, 12, 26)));
    }

    [Theory]
    [InlineData(WindowUnit.OperationalHours, 3, "2026-11-27T17:00:00Z", "2026-11-30T10:00:00Z")]
    [InlineData(WindowUnit.WorkingDays, 5, "2026-11-27T17:00:00Z", "2026-12-04T17:00:00Z")]
    [InlineData(WindowUnit.OperationalHours, 3, "2026-10-23T15:00:00Z", "2026-10-26T09:00:00Z")]
    [InlineData(WindowUnit.WorkingDays, 2, "2026-03-27T10:00:00Z", "2026-03-31T09:00:00Z")] // Friday 10:00 GMT -> Tuesday 10:00 BST
    public void Deadline_DispatchesOnTheWindowUnit(WindowUnit unit, int amount, string start, string expected) =>
        Assert.Equal(At(expected), Calendar.Deadline(At(start), ResponseWindow.Create(amount, unit)));

    [Fact]
    public void Deadline_WithoutAWindow_Throws() =>
        Assert.Throws<ArgumentNullException>(() => Calendar.Deadline(At("2026-11-23T10:00:00Z"), null!));

    [Fact]
    public void Default_IsCachedAndCoversTheShippedYears()
    {
        Assert.Same(OperationalCalendar.Default, OperationalCalendar.Default);
        Assert.Equal(2024, Calendar.FirstYearCovered);
        Assert.Equal(2028, Calendar.LastYearCovered);
        Assert.True(Calendar.Covers(new DateOnly(2024, 1, 1)));
        Assert.True(Calendar.Covers(new DateOnly(2028, 12, 31)));
        Assert.False(Calendar.Covers(new DateOnly(2023, 12, 31)));
        Assert.False(Calendar.Covers(new DateOnly(2029, 1, 1)));
    }

    [Theory]
    [InlineData("2029-01-01", true)] // a Monday; New Year's Day 2029 is not in the shipped data
    [InlineData("2029-01-06", false)] // Saturday
    public void IsWorkingDay_BeyondTheCoveredYears_KnowsOnlyWeekends(string day, bool expected) =>
        Assert.Equal(expected, Calendar.IsWorkingDay(Day(day)));

    [Theory]
    [InlineData("2026-11-23T07:59:59Z", false)]
    [InlineData("2026-11-23T08:00:00Z", true)]
    [InlineData("2026-11-23T09:00:00+01:00", true)]
    [InlineData("2026-11-23T17:59:59Z", true)]
    [InlineData("2026-11-23T18:00:00Z", false)]
    [InlineData("2026-11-28T12:00:00Z", false)] // Saturday
    [InlineData("2026-12-28T12:00:00Z", false)] // bank holiday
    [InlineData("2026-07-06T07:00:00Z", true)] // 08:00 BST
    [InlineData("2026-07-06T06:59:59Z", false)] // 07:59:59 BST
    [InlineData("2026-07-06T16:59:59Z", true)] // 17:59:59 BST
    [InlineData("2026-07-06T17:00:00Z", false)] // 18:00 BST
    [InlineData("2026-03-27T07:30:00Z", false)] // Friday 07:30 GMT
    [InlineData("2026-03-30T07:00:00Z", true)] // Monday 08:00 BST, the day after the clocks go forward
    [InlineData("2026-10-26T07:30:00Z", false)] // Monday 07:30 GMT, the day after the clocks go back
    [InlineData("2026-10-26T17:30:00Z", true)] // Monday 17:30 GMT
    public void IsWithinOperationalHours_UsesUkTime(string instant, bool expected) =>
        Assert.Equal(expected, Calendar.IsWithinOperationalHours(At(instant)));
}
