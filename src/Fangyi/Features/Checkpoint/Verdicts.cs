namespace Fangyi.Features.Checkpoint;

// The one verdict a check gives.
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
