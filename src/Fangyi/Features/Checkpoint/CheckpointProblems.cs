using Fangyi.Core.Http;

namespace Fangyi.Features.Checkpoint;

// Refusals of the checkpoint, with the sentence for the person at the door and the prompt a kiosk speaks.
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

    // The problem details with the prompt a kiosk speaks for it.
    public static Microsoft.AspNetCore.Mvc.ProblemDetails WithPrompt(this ApiProblem problem, string promptKey)
    {
        var details = problem.ToDetails();
        details.Extensions["promptKey"] = promptKey;
        details.Extensions["prompt"] = Prompts.Texts[promptKey];
        return details;
    }
}
