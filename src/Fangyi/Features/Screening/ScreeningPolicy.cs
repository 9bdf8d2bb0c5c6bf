namespace Fangyi.Features.Screening;

/// <summary>
/// The screening rules (排查处置规则) as data: one versioned JSON document, kept as screening-policy.json in the data
/// folder (edited there, or posted to POST /api/v1/screening/policy). Each decision records the version it was taken
/// under, so a rule changed later never silently moves the end of a running isolation.
/// </summary>
public sealed record ScreeningPolicy
{
    public string Version { get; init; } = "";

    /// <summary>How long a high-priority case (a positive, a close-contact push) has to be verified.</summary>
    public int VerifyHighHours { get; init; } = 2;

    /// <summary>How long any other case has.</summary>
    public int VerifyNormalHours { get; init; } = 24;

    /// <summary>The reasons of a push or a source row that make a case high priority.</summary>
    public IReadOnlyList<string> HighPriorityReasons { get; init; } = [];

    public Dictionary<string, PolicyCategory> Categories { get; init; } = [];

    /// <summary>Why a case may be cleared (排除).</summary>
    public IReadOnlyList<string> ClearReasons { get; init; } = [];

    public static ScreeningPolicy Defaults => new()
    {
        Version = "default-1",
        VerifyHighHours = 2,
        VerifyNormalHours = 24,
        HighPriorityReasons = ["核酸阳性", "密切接触者", "时空伴随", "涉疫场所"],
        Categories = new()
        {
            ["close_contact"] = new() { Name = "密切接触者", Action = PolicyActions.Centralised, Days = 7, MonitorDays = 3, TestDays = [1, 2, 3, 5, 7] },
            ["positive"] = new() { Name = "核酸阳性", Action = PolicyActions.Centralised, Days = 14, MonitorDays = 7, TestDays = [1, 3, 7, 10, 14] },
            ["secondary_contact"] = new() { Name = "密接的密接", Action = PolicyActions.HomeIsolation, Days = 7, TestDays = [1, 4, 7] },
            ["high_risk_arrival"] = new() { Name = "高风险地区来返", Action = PolicyActions.HomeIsolation, Days = 7, MonitorDays = 3, TestDays = [1, 3, 7] },
            ["medium_risk_arrival"] = new() { Name = "中风险地区来返", Action = PolicyActions.Monitoring, Days = 7, TestDays = [1, 3] },
            ["cleared"] = new() { Name = "排除", Action = PolicyActions.Cleared },
        },
        ClearReasons = ["核实无接触", "非本人", "已离开本市", "已在他地管控", "查无此人"],
    };
}
