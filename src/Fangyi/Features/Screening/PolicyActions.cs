namespace Fangyi.Features.Screening;

/// <summary>What a policy category does to a person.</summary>
public static class PolicyActions
{
    public const string Centralised = "centralised";       // 集中隔离: awaiting transfer, then a quarantine site
    public const string HomeIsolation = "home_isolation";  // 居家隔离: red at every door until the days end
    public const string Monitoring = "monitoring";         // 居家健康监测: yellow
    public const string Cleared = "cleared";               // 排除: nothing placed

    public static readonly IReadOnlyList<string> All = [Centralised, HomeIsolation, Monitoring, Cleared];
}
