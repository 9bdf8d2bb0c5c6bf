namespace Fangyi.Core.Jurisdiction;

/// <summary>A statistical division (行政区划): 12-digit code, name, level and parent.</summary>
public sealed record Division(long Code, string Name, DivisionLevel Level, long? Parent)
{
    public static readonly IReadOnlyDictionary<DivisionLevel, string> LevelNames = new Dictionary<DivisionLevel, string>
    {
        [DivisionLevel.Province] = "省级",
        [DivisionLevel.City] = "地级",
        [DivisionLevel.County] = "县级",
        [DivisionLevel.Township] = "乡级",
        [DivisionLevel.Village] = "村级",
    };

    public static DivisionLevel? ParseLevel(string text) => text.Trim().ToLowerInvariant() switch
    {
        "province" or "1" => DivisionLevel.Province,
        "city" or "2" => DivisionLevel.City,
        "county" or "3" => DivisionLevel.County,
        "township" or "town" or "4" => DivisionLevel.Township,
        "village" or "5" => DivisionLevel.Village,
        _ => null,
    };

    /// <summary>How many leading digits of the code name this division: 2, 4, 6, 9 or 12.</summary>
    public static int PrefixDigits(DivisionLevel level) => level switch
    {
        DivisionLevel.Province => 2,
        DivisionLevel.City => 4,
        DivisionLevel.County => 6,
        DivisionLevel.Township => 9,
        _ => 12,
    };

    /// <summary>The level a code's trailing zeros imply, for codes that arrive without a level.</summary>
    public static DivisionLevel LevelOf(long code) =>
        code % 10_000_000_000 == 0 ? DivisionLevel.Province
        : code % 100_000_000 == 0 ? DivisionLevel.City
        : code % 1_000_000 == 0 ? DivisionLevel.County
        : code % 1_000 == 0 ? DivisionLevel.Township
        : DivisionLevel.Village;

    public static bool IsWellFormed(long code) => code is >= 100_000_000_000 and <= 999_999_999_999;
}
