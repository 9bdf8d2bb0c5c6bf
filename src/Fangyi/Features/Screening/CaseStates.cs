namespace Fangyi.Features.Screening;

/// <summary>
/// Where a case stands: in the pool until verified and decided, then awaiting transfer (centralised quarantine),
/// isolating at home, monitored, or cleared; merged cases point at the case they became.
/// </summary>
public static class CaseStates
{
    public const string Open = "open";                          // 待排查
    public const string AwaitingTransfer = "awaiting_transfer"; // 待转运
    public const string Quarantined = "quarantined";            // 集中隔离中
    public const string HomeIsolation = "home_isolation";       // 居家隔离
    public const string Monitoring = "monitoring";              // 居家健康监测
    public const string Cleared = "cleared";                    // 已排除
    public const string Released = "released";                  // 已解除管控
    public const string Hospital = "hospital";                  // 已转运医院
    public const string Merged = "merged";                      // 已合并

    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        [Open] = "待排查",
        [AwaitingTransfer] = "待转运",
        [Quarantined] = "集中隔离中",
        [HomeIsolation] = "居家隔离",
        [Monitoring] = "居家健康监测",
        [Cleared] = "已排除",
        [Released] = "已解除管控",
        [Hospital] = "已转运医院",
        [Merged] = "已合并",
    };

    /// <summary>The states a case is still worked in: shown in the pools, counted as live.</summary>
    public static readonly IReadOnlyList<string> Live = [Open, AwaitingTransfer, Quarantined, HomeIsolation, Monitoring];
}
