namespace Fangyi.Features.Checkpoint;

// Place categories (场所类别) with their Chinese names; the rules file gives each its window and colours.
public static class PlaceCategories
{
    public const string Hospital = "hospital";
    public const string Transport = "transport";
    public const string Mall = "mall";
    public const string Residential = "residential";
    public const string Workplace = "workplace";
    public const string School = "school";
    public const string Hotel = "hotel";
    public const string Scenic = "scenic";
    public const string Event = "event";
    public const string Other = "other";

    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        [Hospital] = "医疗机构",
        [Transport] = "交通场站",
        [Mall] = "商场超市",
        [Residential] = "居住小区",
        [Workplace] = "机关企业",
        [School] = "学校",
        [Hotel] = "宾馆酒店",
        [Scenic] = "旅游景区",
        [Event] = "大型活动",
        [Other] = "其他场所",
    };

    // The category key from its key or its Chinese name.
    public static string? Parse(string? text, IReadOnlyCollection<string> known)
    {
        text = text?.Trim() ?? "";
        if (known.Contains(text))
        {
            return text;
        }
        return Names.FirstOrDefault(n => n.Value == text).Key is { } key && known.Contains(key) ? key : null;
    }
}
