using Fangyi.Core.Http;

namespace Fangyi.Features.Checkpoint;

/// <summary>Place categories (场所类别) with their Chinese names; the rules file gives each its window and colours.</summary>
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

    /// <summary>The category key from its key or its Chinese name.</summary>
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

/// <summary>The one verdict a check gives.</summary>
public static class Verdicts
{
    public const string Pass = "pass";                                 // 通行
    public const string Check = "check";                               // 人工核查 (colour, travel, abnormal result)
    public const string ResultTimedOut = "result_timed_out";           // 核酸结果超时
    public const string ResultPending = "result_pending";              // 已采样，结果未出
    public const string NoResult = "no_result";                        // 无核酸记录
    public const string ResultInvalid = "result_invalid";              // 样本无效
    public const string VaccinationRequired = "vaccination_required";  // 未完成接种
    public const string NotFound = "not_found";                        // 查无此人
}

/// <summary>
/// What a device says and speaks. Every answer carries a prompt key so the kiosk can play a recording of it; the
/// list is served at GET /api/v1/checkpoint/prompts for the kiosk to preload.
/// </summary>
public static class Prompts
{
    public const string Pass = "pass";
    public const string NotGreen = "not_green";
    public const string RedCode = "red_code";
    public const string RiskArea = "risk_area";
    public const string Positive = "positive";
    public const string ResultTimedOut = "result_timed_out";
    public const string ResultPending = "result_pending";
    public const string NoResult = "no_result";
    public const string ResultInvalid = "result_invalid";
    public const string VaccinationRequired = "vaccination_required";
    public const string NotFound = "not_found";
    public const string Rescan = "rescan";
    public const string IdInvalid = "id_invalid";
    public const string CodeInvalid = "code_invalid";
    public const string CodeExpired = "code_expired";
    public const string DeviceRefused = "device_refused";
    public const string TooFast = "too_fast";

    public static readonly IReadOnlyDictionary<string, string> Texts = new Dictionary<string, string>
    {
        [Pass] = "绿码通行",
        [NotGreen] = "非绿码请核查",
        [RedCode] = "红码人员，请立即核查",
        [RiskArea] = "有中高风险地区旅居史，请核查",
        [Positive] = "核酸检测异常，请立即核查",
        [ResultTimedOut] = "你的核酸结果已超时",
        [ResultPending] = "核酸结果未出，请人工核查",
        [NoResult] = "无核酸检测记录，请人工核查",
        [ResultInvalid] = "核酸样本无效，请重新采样",
        [VaccinationRequired] = "未完成疫苗接种，请人工核查",
        [NotFound] = "查无此人，请人工核查",
        [Rescan] = "无法识别，请重新扫描",
        [IdInvalid] = "证件号码有误，请重新输入",
        [CodeInvalid] = "二维码无效，请人工核查",
        [CodeExpired] = "二维码已过期，请刷新后重新出示",
        [DeviceRefused] = "设备未授权，请联系管理员",
        [TooFast] = "扫码过于频繁，请稍候",
    };
}

/// <summary>Refusals of the checkpoint, with the sentence for the person at the door and the prompt a kiosk speaks.</summary>
public static class CheckpointProblems
{
    public static readonly ApiProblem InputMissing = new("checkpoint.input_missing", 400, "请扫描二维码或输入证件号码");
    public static readonly ApiProblem InputUnrecognised = new("checkpoint.input_unrecognised", 422, "无法识别的证件或二维码，请重新扫描");
    public static readonly ApiProblem IdNumberInvalid = new("idnumber.invalid", 422, "证件号码有误，请核对后重新输入");
    public static readonly ApiProblem CodeMalformed = new("code.malformed", 422, "二维码不完整或已损坏，请重新扫描");
    public static readonly ApiProblem CodeSignatureInvalid = new("code.signature_invalid", 422, "二维码验证失败，可能是伪造或已更换");
    public static readonly ApiProblem CodeExpired = new("code.expired", 422, "二维码已过期，请刷新后重新出示");
    public static readonly ApiProblem CodeNotYetValid = new("code.not_yet_valid", 422, "二维码时间异常，请核对设备时间");
    public static readonly ApiProblem CodeRevoked = new("code.revoked", 422, "二维码已作废");
    public static readonly ApiProblem CodeKeyRetired = new("code.key_retired", 422, "二维码的签名密钥已停用，请重新领取");
    public static readonly ApiProblem CodeWrongKind = new("code.wrong_kind", 422, "这不是市民码或健康码，请出示正确的二维码");
    public static readonly ApiProblem DeviceUnknown = new("device.unknown", 401, "设备未登记或密钥错误");
    public static readonly ApiProblem DeviceRevoked = new("device.revoked", 401, "设备已停用");
    public static readonly ApiProblem DeviceRateLimited = new("device.rate_limited", 429, "查验过于频繁，请稍候再扫");
    public static readonly ApiProblem EnrolmentInvalid = new("device.enrolment_invalid", 400, "开通码无效、已使用或已过期，请向管理员重新获取");
    public static readonly ApiProblem PlaceUnknown = new("place.unknown", 404, "场所不存在");
    public static readonly ApiProblem CategoryUnknown = new("place.category_unknown", 400, "场所类别不存在");
    public static readonly ApiProblem PersonUnknown = new("person.unknown", 404, "查无此人");
    public static readonly ApiProblem ColourInvalid = new("colour.invalid", 400, "健康码颜色只能是绿、黄、红");
    public static readonly ApiProblem DoseInvalid = new("vaccination.dose_invalid", 400, "接种剂次应为1至9");
    public static readonly ApiProblem DateInvalid = new("date.invalid", 400, "日期或时间无效");
    public static readonly ApiProblem DivisionUnknown = new("division.unknown", 400, "区划代码不存在");
    public static readonly ApiProblem CardInvalid = new("social_security.card_invalid", 400, "社保卡号格式不正确");
    public static readonly ApiProblem RulesInvalid = new("rules.invalid", 400, "查验规则格式不正确");
    public static readonly ApiProblem RulesVersionExists = new("rules.version_exists", 409, "该规则版本号已存在，请使用新的版本号");
    public static readonly ApiProblem CityAdminOnly = new("checkpoint.city_admin_only", 403, "仅市级及以上管理员可修改");
    public static readonly ApiProblem TooMany = new("checkpoint.too_many", 400, "一次提交的条数过多");

    /// <summary>The problem details with the prompt a kiosk speaks for it.</summary>
    public static Microsoft.AspNetCore.Mvc.ProblemDetails WithPrompt(this ApiProblem problem, string promptKey)
    {
        var details = problem.ToDetails();
        details.Extensions["promptKey"] = promptKey;
        details.Extensions["prompt"] = Prompts.Texts[promptKey];
        return details;
    }
}
