namespace Fangyi.Features.Dashboard;

/// <summary>
/// The metric names the big screen shows, whoever counts them. A capability that counts one of these (the checkpoint's
/// checks, devices online) lights its tile up by defining it in its <see cref="Core.Counters.ICounterContributor"/>;
/// until then the tile shows "—", never a made-up zero.
/// </summary>
public static class DashboardMetrics
{
    // Per round, where people live.
    public const string Samples = "sampling.samples";                 // 采样人次
    public const string People = "sampling.people";                   // 已采人数
    public const string PerTenMinutes = "sampling.per_10min";         // 每10分钟采样人次 (series)
    public const string ResultNegative = "results.negative";
    public const string ResultPositive = "results.positive";
    public const string ResultMixedPositive = "results.mixed_positive";
    public const string ResultInvalid = "results.invalid";

    // Per round, where the site is.
    public const string BoxesPrefix = "boxes.";                       // boxes.open, boxes.sealed ... (Sampling.BoxStates)
    public const string TubesPrefix = "tubes.";                       // tubes.open ... tubes.resulted (Sampling.TubeStates)
    public const string TubesNegative = "tubes_result.negative";
    public const string TubesPositive = "tubes_result.positive";
    public const string TubesMixedPositive = "tubes_result.mixed_positive";
    public const string TubesInvalid = "tubes_result.invalid";
    public const string LabBacklogPeople = "lab.backlog_people";       // people in tubes received, not yet resulted
    public const string ToLab = "tat.to_lab";                         // sealed → received (histogram, ms)
    public const string InLab = "tat.in_lab";                         // received → resulted
    public const string Total = "tat.total";                          // sealed → resulted

    // All time.
    public const string ResidentCount = "residents";                      // 实有人口 (denominator of coverage)
    public const string DevicesOnline = "devices.online";             // 在线设备 (a contributor keeps it as a level)

    // Per day, counted by the checkpoint (Features/Checkpoint/CheckpointCounters).
    public const string Checks = "checkpoint.checks";
    public const string ChecksNonGreen = "checkpoint.non_green";
    public const string ChecksPerMinute = "checkpoint.per_minute";    // series, one-minute buckets

    public const long TenMinutes = 600_000;

    /// <summary>Turnaround bins, in minutes: fine while the lab keeps up, coarse once it does not.</summary>
    public static readonly long[] TurnaroundBounds = new long[] { 1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 150, 180, 240, 300, 360, 480, 600, 720, 960, 1200, 1440, 2160, 2880, 4320 }
        .Select(m => m * 60_000).ToArray();
}
