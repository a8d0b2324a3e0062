using System.Globalization;

namespace Sdes.App.Features.Shared;

/// <summary>We store UTC and show UK local time.</summary>
public static class UkTime
{
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
    private static readonly CultureInfo EnGb = CultureInfo.GetCultureInfo("en-GB");

    public static DateTimeOffset ToUk(DateTimeOffset utc) => TimeZoneInfo.ConvertTime(utc, Zone);

    public static string Format(DateTimeOffset utc) => ToUk(utc).ToString("d MMM yyyy HH:mm", EnGb);

    /// <summary>The UTC instant at which a UK calendar day begins.</summary>
    public static DateTimeOffset StartOfDay(DateOnly day) =>
        new(TimeZoneInfo.ConvertTimeToUtc(day.ToDateTime(TimeOnly.MinValue), Zone), TimeSpan.Zero);
}
