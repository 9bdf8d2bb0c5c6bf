namespace Fangyi.Features.Checkpoint;

// What a device says and speaks. Every answer carries a prompt key so the kiosk can play a recording of it; the
// list is served at GET /api/v1/checkpoint/prompts for the kiosk to preload.
public static class Prompts
{
    public const string Pass = "pass";
    public const string NotGreen = "not_green";
    public const string RedCode = "red_code";
    public const string RiskArea = "risk_area";
    public const string Positive = "positive";
    public const string MixedPositive = "mixed_positive";
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
        [MixedPositive] = "混管阳性待复核，请立即核查",
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
