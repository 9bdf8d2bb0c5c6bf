namespace Fangyi.Features.Quarantine;

/// <summary>States of a stay: in the site, released (解除隔离), or moved to hospital (转院).</summary>
public static class StayStates
{
    public const string In = "in";
    public const string Released = "released";
    public const string ToHospital = "to_hospital";

    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        [In] = "隔离中",
        [Released] = "已解除隔离",
        [ToHospital] = "已转医院",
    };
}
