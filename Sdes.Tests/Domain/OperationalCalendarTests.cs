using Sdes.Domain.Common;
using Sdes.Domain.Processes;

namespace Sdes.Tests.Domain;

public sealed class OperationalCalendarTests
{
    private static readonly OperationalCalendar Calendar = OperationalCalendar.Default;

    private static DateTimeOffset Utc(string iso) => DateTimeOffset.Parse(iso, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2024-03-29")] // Good Friday
    [InlineData("2024-04-01")] // Easter Monday
    [InlineData("2025-04-21")]
    [InlineData("2026-04-03")]
    [InlineData("2026-08-31")]
    [InlineData("2026-12-28")] // Boxing Day substitute
    [InlineData("2027-03-26")]
    [InlineData("2027-12-27")] // Christmas substitute
    [InlineData("2027-12-28")] // Boxing Day substitute
    [InlineData("2028-01-03")] // New Year substitute
    [InlineData("2028-04-14")]
    public void IsWorkingDay_OnABankHoliday_IsFalse(string day)
    {
        var date = DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Calendar.IsBankHoliday(date));
        Assert.False(Calendar.IsWorkingDay(date));
    }

    [Theory]
    [InlineData("2026-11-25", true)]
    [InlineData("2026-11-28", false)] // Saturday
    [InlineData("2026-11-29", false)] // Sunday
    [InlineData("2026-12-24", true)]
    public void IsWorkingDay_OnOrdinaryDays_FollowsTheWeek(string day, bool expected) =>
        Assert.Equal(expected, Calendar.IsWorkingDay(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("2026-11-23T10:00:00Z", 1, "2026-11-24T10:00:00Z")] // Monday to Tuesday
    [InlineData("2026-11-27T10:00:00Z", 1, "2026-11-30T10:00:00Z")] // over a weekend
    [InlineData("2026-04-02T09:00:00Z", 1, "2026-04-07T09:00:00Z")] // Thursday 10:00 BST over Easter 2026
    [InlineData("2027-12-23T12:00:00Z", 2, "2027-12-29T12:00:00Z")] // over Christmas 2027's substitute days
    [InlineData("2026-10-23T09:00:00Z", 1, "2026-10-26T10:00:00Z")] // Friday 10:00 BST -> Monday 10:00 GMT
    [InlineData("2026-03-27T10:00:00Z", 1, "2026-03-30T09:00:00Z")] // Friday 10:00 GMT -> Monday 10:00 BST
    [InlineData("2026-11-28T10:00:00Z", 1, "2026-12-01T08:00:00Z")] // Saturday: counts from Monday's opening
    [InlineData("2026-11-23T10:00:00Z", 5, "2026-11-30T10:00:00Z")]
    public void AddWorkingDays_KeepsTheUkTimeOfDay(string start, int days, string expected) =>
        Assert.Equal(Utc(expected), Calendar.AddWorkingDays(Utc(start), days));

    [Theory]
    [InlineData("2026-11-23T10:00:00Z", 3, "2026-11-23T13:00:00Z")] // within a day
    [InlineData("2026-11-23T17:00:00Z", 3, "2026-11-24T10:00:00Z")] // across the evening
    [InlineData("2026-11-27T17:00:00Z", 3, "2026-11-30T10:00:00Z")] // Friday to Monday
    [InlineData("2026-11-23T06:00:00Z", 1, "2026-11-23T09:00:00Z")] // before opening
    [InlineData("2026-11-23T19:00:00Z", 1, "2026-11-24T09:00:00Z")] // after closing
    [InlineData("2026-10-23T15:00:00Z", 3, "2026-10-26T09:00:00Z")] // Friday 16:00 BST -> Monday 09:00 GMT (clocks go back)
    [InlineData("2026-03-27T17:00:00Z", 2, "2026-03-30T08:00:00Z")] // Friday 17:00 GMT -> Monday 09:00 BST (clocks go forward)
    [InlineData("2026-08-28T16:30:00Z", 1, "2026-09-01T07:30:00Z")] // Friday 17:30 BST over the August bank holiday
    [InlineData("2026-11-23T08:00:00Z", 20, "2026-11-24T18:00:00Z")] // two full days end at Tuesday's close
    public void AddOperationalHours_CountsOnlyOperationalTime(string start, int hours, string expected) =>
        Assert.Equal(Utc(expected), Calendar.AddOperationalHours(Utc(start), hours));

    [Fact]
    public void AddOperationalHours_HonoursAConfiguredExtraHoliday()
    {
        var calendar = new OperationalCalendar([new DateOnly(2026, 11, 30)]);

        Assert.Equal(Utc("2026-12-01T09:00:00Z"), calendar.AddOperationalHours(Utc("2026-11-27T17:00:00Z"), 2));
        Assert.Equal(Utc("2026-11-30T09:00:00Z"), Calendar.AddOperationalHours(Utc("2026-11-27T17:00:00Z"), 2));
    }

    [Fact]
    public void Deadline_DispatchesOnTheWindowUnit()
    {
        var start = Utc("2026-11-27T17:00:00Z");

        Assert.Equal(Utc("2026-11-30T10:00:00Z"), Calendar.Deadline(start, ResponseWindow.OperationalHours(3)));
        Assert.Equal(Utc("2026-12-04T17:00:00Z"), Calendar.Deadline(start, ResponseWindow.WorkingDays(5)));
    }

    [Fact]
    public void Covers_TheShippedYears()
    {
        Assert.Equal(2024, Calendar.FirstYearCovered);
        Assert.Equal(2028, Calendar.LastYearCovered);
        Assert.False(Calendar.Covers(new DateOnly(2029, 1, 1)));
    }

    [Theory]
    [InlineData("2026-11-23T07:59:59Z", false)]
    [InlineData("2026-11-23T08:00:00Z", true)]
    [InlineData("2026-07-06T07:00:00Z", true)] // 08:00 BST
    [InlineData("2026-11-23T17:59:59Z", true)]
    [InlineData("2026-11-23T18:00:00Z", false)]
    [InlineData("2026-11-28T12:00:00Z", false)]
    public void IsWithinOperationalHours_UsesUkTime(string instant, bool expected) =>
        Assert.Equal(expected, Calendar.IsWithinOperationalHours(Utc(instant)));
}
