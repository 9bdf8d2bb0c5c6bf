namespace Fangyi.Features.Screening;

/// <summary>
/// One decision a worker can take on a verified case (密接, 次密接, 高风险地区来返, 排除...): what it does to the person
/// and for how long, and on which days of it they are tested (day 1 = the day of the decision or of check-in).
/// </summary>
public sealed record PolicyCategory
{
    public string Name { get; init; } = "";

    /// <summary>centralised (集中隔离, then home monitoring), home_isolation, monitoring, or cleared.</summary>
    public string Action { get; init; } = "";

    public int Days { get; init; }

    public int MonitorDays { get; init; }

    public IReadOnlyList<int> TestDays { get; init; } = [];
}
