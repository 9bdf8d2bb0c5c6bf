using System.Globalization;

namespace Fangyi.Features.Quarantine;

/// <summary>Release certificate numbers (解除隔离证明编号): the site, the stay's start day and the person, so one stay has one number.</summary>
public static class Certificates
{
    public static string Number(long siteId, long checkedInAt, long residentId) =>
        string.Create(CultureInfo.InvariantCulture, $"JC{siteId:D4}-{QuarantineDays.DayNumber(checkedInAt)}-{residentId:D8}");
}
