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

    // Every audit action a capability writes has its name here (a test reads the audit calls in src to make sure).
    private static readonly Dictionary<string, string> AuditActions = new()
    {
        ["account.bulk_open"] = "批量开通账号",
        ["account.create"] = "新建账号",
        ["account.disable"] = "停用账号",
        ["account.enable"] = "启用账号",
        ["account.reset_password"] = "重置密码",
        ["checkpoint.device_enrolled"] = "查验设备启用",
        ["checkpoint.device_enrolment_created"] = "生成设备开通码",
        ["checkpoint.device_key_rotated"] = "更换设备密钥",
        ["checkpoint.device_rate_limited"] = "设备扫码过频被限",
        ["checkpoint.device_revoked"] = "吊销查验设备",
        ["checkpoint.devices_registered"] = "登记查验设备",
        ["checkpoint.risk_area_added"] = "新增风险地区",
        ["checkpoint.risk_area_ended"] = "解除风险地区",
        ["checkpoint.rules_published"] = "发布查验规则",
        ["checkpoint.trace_contacts"] = "追踪密接人员",
        ["checkpoint.trace_person"] = "查询人员行程",
        ["checkpoint.trace_place"] = "查询场所到访",
        ["lab.result_corrected"] = "更正检测结果",
        ["resident.citizen_code"] = "签发市民码",
        ["resident.citizen_code_sheet"] = "打印市民码",
        ["resident.citizen_codes_revoked"] = "作废市民码",
        ["resident.export"] = "导出",
        ["resident.import"] = "批量导入",
        ["resident.list"] = "查看人员名单",
        ["resident.read"] = "查看人员详情",
        ["resident.reveal_identity"] = "查看完整证件号",
        ["resident.reveal_refused"] = "查看完整证件号未成功",
        ["quarantine.board"] = "查看隔离点房间",
        ["quarantine.certificate"] = "打印解除隔离证明",
        ["quarantine.referrals"] = "查看待转运名单",
        ["quarantine.rooms_import"] = "导入隔离点房间",
        ["quarantine.site_create"] = "新建隔离点",
        ["quarantine.transfer_create"] = "新建转运单",
        ["quarantine.transfer_read"] = "查看转运单",
        ["resident.transfer_accepted"] = "同意迁入",
        ["resident.transfer_declined"] = "拒绝迁入",
        ["resident.transfer_requested"] = "申请迁入",
        ["resident.write"] = "新增或修改",
        ["sampling.not_sampled_list"] = "查看未采样名单",
        ["sampling.round_edited"] = "修改采样轮次",
        ["sampling.round_retired"] = "停用采样轮次",
        ["sampling.site_edited"] = "修改采样点",
        ["sampling.site_retired"] = "停用采样点",
        ["sampling.team_edited"] = "修改采样队",
        ["sampling.team_retired"] = "停用采样队",
        ["tasks.door_to_door"] = "派发上门排查任务",
        ["screening.push"] = "导入大数据推送",
        ["screening.decide"] = "研判处置排查对象",
        ["screening.handover"] = "移交排查对象",
        ["screening.accept"] = "接收移交的排查对象",
        ["screening.identify"] = "核实排查对象身份",
        ["screening.case_read"] = "查看排查对象",
        ["screening.policy"] = "发布排查处置规则",
        ["tasks.list"] = "查看待办任务名单",
    };

    public static IReadOnlyCollection<string> AuditActionKeys => AuditActions.Keys;

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
