namespace Fangyi.Core.Identity;

/// <summary>The kinds of identity document a resident can be registered with.</summary>
public static class DocTypes
{
    public const string ResidentId = "resident_id";      // 居民身份证
    public const string Passport = "passport";           // 护照
    public const string HkMacauPermit = "hk_macau";      // 港澳居民来往内地通行证
    public const string TaiwanPermit = "taiwan";         // 台湾居民来往大陆通行证
    public const string ForeignPermanent = "foreign_pr"; // 外国人永久居留身份证

    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        [ResidentId] = "居民身份证",
        [Passport] = "护照",
        [HkMacauPermit] = "港澳居民来往内地通行证",
        [TaiwanPermit] = "台湾居民来往大陆通行证",
        [ForeignPermanent] = "外国人永久居留身份证",
    };

    /// <summary>Accepts the English key or the Chinese name; empty means a resident ID card.</summary>
    public static string? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return ResidentId;
        }
        text = text.Trim();
        if (Names.ContainsKey(text))
        {
            return text;
        }
        foreach (var (key, name) in Names)
        {
            if (name == text)
            {
                return key;
            }
        }
        return text switch
        {
            "身份证" => ResidentId,
            "港澳通行证" => HkMacauPermit,
            "台胞证" => TaiwanPermit,
            _ => null,
        };
    }
}
