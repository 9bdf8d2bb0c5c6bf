using Fangyi.Core.Http;

namespace Fangyi.Features.Screening;

/// <summary>Every refusal screening gives, with the sentence the worker's phone or the console shows.</summary>
public static class ScreeningProblems
{
    // A case outside the caller's jurisdiction reads as one that does not exist.
    public static readonly ApiProblem CaseUnknown = new("case_unknown", 404, "排查对象不存在或不在您的辖区");
    public static readonly ApiProblem CaseDecided = new("case_decided", 409, "该排查对象已研判处置");
    public static readonly ApiProblem CaseMerged = new("case_merged", 409, "该排查对象已合并到另一条记录");
    public static readonly ApiProblem CategoryUnknown = new("category_unknown", 400, "研判类别不在现行规则中");
    public static readonly ApiProblem ClearReasonInvalid = new("clear_reason_invalid", 400, "排除须选择现行规则中的排除原因");
    public static readonly ApiProblem NotReached = new("case_not_reached", 409, "尚未联系到本人，不能研判；请先记录核实情况");
    public static readonly ApiProblem NotRegistered = new("case_not_registered", 409, "该人员尚未登记实有人口（无身份信息），请先核实身份证号并登记后再研判管控");
    public static readonly ApiProblem HandoverTarget = new("handover_target_invalid", 400, "请选择要移交的区划（不能是本村）");
    public static readonly ApiProblem NoHandover = new("handover_none", 409, "该排查对象没有待接收的移交");
    public static readonly ApiProblem AssignTarget = new("assign_target_invalid", 400, "只能分派到本辖区内的村（社区）");
    public static readonly ApiProblem AlreadyIdentified = new("case_identified", 409, "该排查对象已有身份信息");
    public static readonly ApiProblem PersonOutside = new("person_outside", 403, "该人员居住地不在您的辖区，请通过区域协查移交");
    public static readonly ApiProblem FindingInvalid = new("finding_invalid", 400, "须填写身份证号或手机号，或姓名和地址");
    public static readonly ApiProblem ReasonMissing = new("reason_missing", 400, "请填写推送原因（如 时空伴随、涉疫场所、来自中高风险区）");
    public static readonly ApiProblem TooManyRows = new("too_many_rows", 413, "一次推送最多1000条，更多请用文件导入");
    public static readonly ApiProblem NoteTooLong = new("note_too_long", 400, "备注过长（200字以内）");
    public static readonly ApiProblem PolicyInvalid = new("policy_invalid", 400, "排查处置规则无效");
    public static readonly ApiProblem PolicyVersionTaken = new("policy_version_taken", 409, "该规则版本已存在，请使用新的版本号");
}
