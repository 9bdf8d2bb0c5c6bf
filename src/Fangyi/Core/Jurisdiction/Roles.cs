namespace Fangyi.Core.Jurisdiction;

/// <summary>The roles of the platform (DESIGN.md, "Who uses it"). Every account has one and is bound to a division.</summary>
public static class Roles
{
    public const string Admin = "admin";                     // 管理员 (city / county / township / village)
    public const string Commander = "commander";             // 指挥大屏
    public const string Sampler = "sampler";                 // 采样员
    public const string Courier = "courier";                 // 转运员
    public const string Lab = "lab";                         // 检测机构
    public const string VillageWorker = "village_worker";    // 网格员
    public const string QuarantineStaff = "quarantine_staff"; // 隔离点工作人员

    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        [Admin] = "管理员",
        [Commander] = "指挥人员",
        [Sampler] = "采样员",
        [Courier] = "转运员",
        [Lab] = "检测机构",
        [VillageWorker] = "网格员",
        [QuarantineStaff] = "隔离点工作人员",
    };

    /// <summary>Roles that may open the full identity number of a resident (each opening is audited).</summary>
    public static bool MaySeeFullIdentity(string role) => role == Admin;

    /// <summary>Roles whose accounts are opened in bulk from a sheet.</summary>
    public static readonly IReadOnlySet<string> BulkOpened = new HashSet<string> { Sampler, Courier, Lab, VillageWorker, QuarantineStaff };

    public static string? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        text = text.Trim();
        if (Names.ContainsKey(text))
        {
            return text;
        }
        return Names.FirstOrDefault(n => n.Value == text).Key;
    }
}
