using Fangyi.Core.Status;

namespace Fangyi.Features.Sampling;

/// <summary>Sampling's words on the console's pages: scans, results and mixings as the people who do them say them.</summary>
public static class SamplingText
{
    // Sampling and custody scans by what the person holding the phone did.
    private static readonly Dictionary<string, string> ScanNames = new()
    {
        [ScanKinds.OpenBox] = "开箱",
        [ScanKinds.OpenTube] = "开管",
        [ScanKinds.AddPerson] = "采样登记",
        [ScanKinds.RemoveLast] = "撤销上一人",
        [ScanKinds.SealTube] = "封管",
        [ScanKinds.SealBox] = "封箱",
        [ScanKinds.PickUp] = "揽收",
        [ScanKinds.HandOver] = "交接",
        [ScanKinds.Receive] = "检测机构接收",
        [ScanKinds.Result] = "录入结果",
    };

    public static string ScanName(string kind) => ScanNames.GetValueOrDefault(kind, kind);

    /// <summary>A sample's result in words; no result yet is 待出结果.</summary>
    public static string ResultName(string? result) => result is null ? "待出结果" : SampleResults.Names.GetValueOrDefault(result, result);

    /// <summary>The badge colour of a result: red for anything positive, green for negative, grey while waiting.</summary>
    public static string ResultBadge(string? result) => result switch
    {
        SampleResults.Negative => "badge-green",
        SampleResults.Positive => "badge-red",
        SampleResults.MixedPositive => "badge-red",
        SampleResults.Invalid => "badge-amber",
        _ => "badge-grey",
    };

    /// <summary>A tube's mixing: 单管 or N混1.</summary>
    public static string MixingName(long capacity) => capacity == 1 ? "单管单采" : $"{capacity}混1";
}
