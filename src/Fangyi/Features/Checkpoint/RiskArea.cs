using Fangyi.Core.Jurisdiction;

namespace Fangyi.Features.Checkpoint;

// A medium- or high-risk area (中/高风险地区): a division at any level (a whole county, a township, a village),
// so every division whose code starts with its prefix is in it, for a date range (open-ended while in force).
public sealed record RiskArea
{
    public long Id { get; init; }
    public long Division { get; init; }
    public string Level { get; init; } = "";
    public string Name { get; init; } = "";
    public long StartsAt { get; init; }
    public long? EndsAt { get; init; }
    public long CreatedAt { get; init; }

    public static readonly IReadOnlyDictionary<string, string> LevelNames = new Dictionary<string, string> { ["medium"] = "中风险", ["high"] = "高风险" };

    public bool Covers(long division) => Scope.Of(Division).Contains(division);
}
