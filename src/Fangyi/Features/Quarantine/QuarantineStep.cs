using System.Text.Json.Serialization;
using Fangyi.Core.Jurisdiction;

namespace Fangyi.Features.Quarantine;

/// <summary>
/// One step of quarantine as an ingest item's payload: who (resident ids, never an ID number), where (a site, a
/// transfer order) and what the step carries. The caller's jurisdiction rides along unlogged; the handler checks the
/// site or order against it, whatever the phone believed.
/// </summary>
public sealed record QuarantineStep
{
    public long[] Residents { get; init; } = [];
    public long? SiteId { get; init; }
    public long? OrderId { get; init; }

    // A referral made at the console, or a walk-in's stay: the village of residence, reason, days and test days.
    public long? Division { get; init; }
    public string? Source { get; init; }
    public string? Reason { get; init; }
    public int Days { get; init; }
    public int[] TestDays { get; init; } = [];
    public bool WalkIn { get; init; }

    // A health check-in: the temperature in tenths of a degree, symptoms as said.
    public int TemperatureTenths { get; init; }
    public string? Symptoms { get; init; }

    // Where a transfer step happened, when the phone knew.
    public double? Lat { get; init; }
    public double? Lon { get; init; }

    [JsonIgnore]
    public Scope Scope { get; init; }
}
