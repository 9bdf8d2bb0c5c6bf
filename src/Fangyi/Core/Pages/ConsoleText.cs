using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Fangyi.Core.Identity;
using Fangyi.Core.Jurisdiction;

namespace Fangyi.Core.Pages;

/// <summary>How the console words things for its users: Chinese names for roles, documents and actions, China time.</summary>
public static class ConsoleText
{
    // China keeps one time zone and no daylight saving, whatever zone the server runs in.
    private static readonly TimeSpan ChinaTime = TimeSpan.FromHours(8);

    private static readonly Dictionary<string, string> AuditActions = new()
    {
        ["resident.list"] = "查看人员名单",
        ["resident.read"] = "查看人员详情",
        ["resident.reveal_identity"] = "查看完整证件号",
        ["resident.write"] = "新增或修改",
        ["resident.import"] = "批量导入",
        ["resident.export"] = "导出",
    };

    /// <summary>The import columns by the names the error report uses, as the template heads them.</summary>
    public static readonly IReadOnlyDictionary<string, string> ImportColumns = new Dictionary<string, string>
    {
        ["doc_type"] = "证件类型",
        ["id_number"] = "证件号码",
        ["name"] = "姓名",
        ["phone"] = "手机号",
        ["division"] = "区划代码",
        ["registered"] = "户籍类型",
        ["tags"] = "标签",
        ["username"] = "用户名",
        ["role"] = "角色",
    };

    public const string ResidentTemplateHeader = "证件类型,证件号码,姓名,手机号,区划代码,户籍类型,标签";
    public const string AccountTemplateHeader = "用户名,姓名,角色,区划代码";

    public static string RoleName(string role) => Roles.Names.GetValueOrDefault(role, role);

    public static string GenderName(string? gender) => gender switch { "M" => "男", "F" => "女", _ => "" };

    public static string DocTypeName(string docType) => DocTypes.Names.GetValueOrDefault(docType, docType);

    public static string ActionName(string action) => AuditActions.GetValueOrDefault(action, action);

    public static string ColumnName(string column) => ImportColumns.GetValueOrDefault(column, column);

    public static string Time(long unixMilliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds).ToOffset(ChinaTime).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>A datetime-local field's value ("2026-03-14T08:00"), read as China time.</summary>
    public static DateTimeOffset? ParseLocalTime(string? text) =>
        DateTime.TryParseExact(text?.Trim(), ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? new DateTimeOffset(local, ChinaTime)
            : null;

    /// <summary>The value a datetime-local field shows for an instant, in China time.</summary>
    public static string LocalTimeInput(DateTimeOffset at) => at.ToOffset(ChinaTime).ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture);

    public static string ShortTime(long unixMilliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds).ToOffset(ChinaTime).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string Date(DateTimeOffset at) => at.ToOffset(ChinaTime).ToString("yyyy年M月d日", CultureInfo.InvariantCulture);

    public static string Code(long code) => code.ToString(CultureInfo.InvariantCulture);

    public static string DisplayName(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.GivenName) is { Length: > 0 } name ? name : user.Username();

    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(Roles.Admin);

    public static bool MustChangePassword(this ClaimsPrincipal user) => user.HasClaim(c => c.Type == FangyiClaims.MustChangePassword);

    public static string Json(object value) => JsonSerializer.Serialize(value, JsonSerializerOptions.Web);
}
