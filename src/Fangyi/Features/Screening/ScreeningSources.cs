namespace Fangyi.Features.Screening;

/// <summary>Where a person in the to-be-screened pool came from; one case gathers the entries of every source.</summary>
public static class ScreeningSources
{
    public const string Push = "push";          // 大数据推送
    public const string Assist = "assist";      // 区域协查
    public const string Door = "door";          // 基层排查
    public const string Self = "self";          // 自主申报
    public const string Report = "report";      // 群众举报
    public const string Positive = "positive";  // 核酸阳性 (a positive tube, single or pooled)
    public const string Contact = "contact";    // 场所追踪 (checkpoint tracing)
    public const string Arrival = "arrival";    // 中高风险地区来返

    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        [Push] = "大数据推送",
        [Assist] = "区域协查",
        [Door] = "基层排查",
        [Self] = "自主申报",
        [Report] = "群众举报",
        [Positive] = "核酸阳性",
        [Contact] = "场所追踪",
        [Arrival] = "风险地区来返",
    };
}
