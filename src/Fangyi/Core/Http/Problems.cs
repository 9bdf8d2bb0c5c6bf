namespace Fangyi.Core.Http;

/// <summary>The platform-wide refusals. Features define their own next to their code.</summary>
public static class Problems
{
    public static readonly ApiProblem Validation = new("validation_failed", 400, "提交的数据不正确");
    public static readonly ApiProblem BatchItemInvalid = new("batch_item_invalid", 400, "批量提交中有无法识别的条目，整批未保存");
    public static readonly ApiProblem NotFound = new("not_found", 404, "未找到该记录");
    public static readonly ApiProblem Unauthenticated = new("unauthenticated", 401, "请先登录");
    public static readonly ApiProblem Forbidden = new("forbidden", 403, "无权进行此操作");
    public static readonly ApiProblem PasswordChangeRequired = new("password_change_required", 403, "首次登录请先修改密码");
    public static readonly ApiProblem TooManyRequests = new("too_many_requests", 429, "请求过于频繁，请稍后再试");
    public static readonly ApiProblem PayloadTooLarge = new("payload_too_large", 413, "提交的内容过大");
    public static readonly ApiProblem Internal = new("internal_error", 500, "系统繁忙，请稍后再试");
    public static readonly ApiProblem Unavailable = new("store_unavailable", 503, "数据暂时无法保存，请稍后重试");
    public static readonly ApiProblem OutsideJurisdiction = new("outside_jurisdiction", 403, "不在您的管辖范围内");
}
