using Fangyi.Core.Http;

namespace Fangyi.Features.Tasks;

/// <summary>Every refusal the to-do list gives, with the sentence the worker's phone or the console shows.</summary>
public static class TasksProblems
{
    // A task outside the caller's village reads as one that does not exist: whether it exists is not theirs to learn.
    public static readonly ApiProblem TaskUnknown = new("task_unknown", 404, "任务不存在或不在您的辖区");
    public static readonly ApiProblem TaskClosed = new("task_closed", 409, "该任务已完成或已撤销");
    public static readonly ApiProblem MarkInvalid = new("task_mark_invalid", 400, "不支持的任务操作");
    public static readonly ApiProblem MarkNotForKind = new("task_mark_not_for_kind", 409, "该类任务不能这样标记");
    public static readonly ApiProblem ReasonInvalid = new("task_reason_invalid", 400, "请选择上门情况：外出、已在外地采样、卧床、拒绝或查无此人");
    public static readonly ApiProblem NoteTooLong = new("task_note_too_long", 400, "备注过长（200字以内）");
    public static readonly ApiProblem ClientIdMissing = new("client_id_missing", 400, "缺少操作编号 clientId");
    public static readonly ApiProblem RoundUnknown = new("round_unknown", 404, "采样轮次不存在");
    public static readonly ApiProblem RoundNotRunning = new("round_not_running", 409, "该轮次不在采样时间内，不能派发上门排查");
    public static readonly ApiProblem DivisionOutside = new("division_outside", 404, "该区划不在您的辖区");
    public static readonly ApiProblem DueInvalid = new("task_due_invalid", 400, "完成时限须晚于现在");
}
