using Fangyi.Features.Checkpoint;
using Fangyi.Features.Residents;
using Fangyi.Features.Sampling;
using static Fangyi.Features.Sampling.SamplingCounters;

namespace Fangyi.Features.Dashboard;

// Chinese column names for the numbers of a view, in the order a reader expects; numbers of later capabilities follow by name.
public static class ScreenLabels
{
    private static readonly (string Key, string Label)[] Known =
    [
        (ResidentCounters.Residents, "实有人口"), (People, "已采人数"), (Samples, "采样人次"),
        (ResultNegative, "阴性(人)"), (ResultPositive, "阳性(人)"), (ResultMixedPositive, "混管阳性待复核(人)"), (ResultInvalid, "样本无效(人)"),
        .. TubeStates.Names.Select(s => (TubesPrefix + s.Key, "试管-" + s.Value)),
        .. BoxStates.Names.Select(s => (BoxesPrefix + s.Key, "转运箱-" + s.Value)),
        (TubesNegative, "阴性管"), (TubesPositive, "阳性管(单采)"), (TubesMixedPositive, "阳性管(混采)"), (TubesInvalid, "无效管"),
        (LabBacklogPeople, "检测积压(人)"),
        (ToLab + ".p50", "送检用时P50(分钟)"), (ToLab + ".p90", "送检用时P90(分钟)"),
        (InLab + ".p50", "检测用时P50(分钟)"), (InLab + ".p90", "检测用时P90(分钟)"),
        (Total + ".p50", "全程用时P50(分钟)"), (Total + ".p90", "全程用时P90(分钟)"),
        (CheckpointCounters.Checks, "今日查验(次)"), (CheckpointCounters.NonGreen, "今日非绿码(次)"), (CheckpointCounters.DevicesOnline, "在线设备"),
    ];

    public static IReadOnlyList<(string Key, string Label)> Columns(IEnumerable<string> present)
    {
        var keys = present.ToHashSet(StringComparer.Ordinal);
        static bool Derived(string key) => key.EndsWith(".count", StringComparison.Ordinal) || key.EndsWith(".p50", StringComparison.Ordinal) || key.EndsWith(".p90", StringComparison.Ordinal);
        // A turnaround column stays while nothing was measured yet, so every export of a round has the same shape.
        bool Has(string key) => keys.Contains(key) || (Derived(key) && keys.Contains(key[..key.LastIndexOf('.')] + ".count"));
        var columns = Known.Where(k => Has(k.Key)).ToList();
        columns.AddRange(keys.Where(k => !Derived(k) && Known.All(c => c.Key != k)).Order(StringComparer.Ordinal).Select(k => (k, k)));
        return columns;
    }
}
