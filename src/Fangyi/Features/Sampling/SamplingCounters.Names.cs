namespace Fangyi.Features.Sampling;

/// <summary>Sampling's metric names, which the big screen and the daily report read.</summary>
public sealed partial class SamplingCounters
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
    public const string BoxesPrefix = "boxes.";                       // boxes.open, boxes.sealed ... (BoxStates)
    public const string TubesPrefix = "tubes.";                       // tubes.open ... tubes.resulted (TubeStates)
    public const string TubesNegative = "tubes_result.negative";
    public const string TubesPositive = "tubes_result.positive";
    public const string TubesMixedPositive = "tubes_result.mixed_positive";
    public const string TubesInvalid = "tubes_result.invalid";
    public const string LabBacklogPeople = "lab.backlog_people";       // people in tubes received, not yet resulted
    public const string ToLab = "tat.to_lab";                         // sealed → received (histogram, ms)
    public const string InLab = "tat.in_lab";                         // received → resulted
    public const string Total = "tat.total";                          // sealed → resulted

    public const long TenMinutes = 600_000;

    // Turnaround bins, in minutes: fine while the lab keeps up, coarse once it does not.
    public static readonly long[] TurnaroundBounds = new long[] { 1, 2, 5, 10, 15, 20, 30, 45, 60, 90, 120, 150, 180, 240, 300, 360, 480, 600, 720, 960, 1200, 1440, 2160, 2880, 4320 }
        .Select(m => m * 60_000).ToArray();
}
