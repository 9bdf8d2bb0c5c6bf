using System.Globalization;

namespace Fangyi.Features.Quarantine;

/// <summary>The days of a stay in China time: day 1 is the check-in day, a test day's task is due at its midnight.</summary>
public static class QuarantineDays
{
    public const long Day = 86_400_000;
    private const long China = 8 * 3_600_000;

    /// <summary>The start (China midnight) of the day holding <paramref name="at"/>.</summary>
    public static long DayStart(long at) => (at + China) / Day * Day - China;

    /// <summary>The day as yyyymmdd, for one health check-in a day.</summary>
    public static int DayNumber(long at) =>
        int.Parse(DateTimeOffset.FromUnixTimeMilliseconds(at).ToOffset(TimeSpan.FromHours(8)).ToString("yyyyMMdd", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>When the test of day <paramref name="day"/> of a stay that began at <paramref name="checkedInAt"/> is due: that day's end.</summary>
    public static long TestDue(long checkedInAt, int day) => DayStart(checkedInAt) + day * Day;

    /// <summary>The planned end of a stay of <paramref name="days"/> days: the end of its last day.</summary>
    public static long PlannedEnd(long checkedInAt, int days) => DayStart(checkedInAt) + days * Day;

    public static string Date(long at) => DateTimeOffset.FromUnixTimeMilliseconds(at).ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
