using Fangyi.Core.Http;

namespace Fangyi.Features.Sampling;

/// <summary>Every refusal a sampler, courier or lab can meet, with the sentence their phone shows.</summary>
public static class SamplingProblems
{
    public static readonly ApiProblem TubeCodeInvalid = new("tube_code_invalid", 400, "试管码无效，请重新扫描");
    public static readonly ApiProblem BoxCodeInvalid = new("box_code_invalid", 400, "转运箱码无效，请重新扫描");
    public static readonly ApiProblem CodeNotIssued = new("code_not_issued", 400, "该条码不是本平台发放的，请更换");
    public static readonly ApiProblem CapacityInvalid = new("capacity_invalid", 400, "混采模式只能是单管、5混1、10混1或20混1");
    public static readonly ApiProblem PersonInvalid = new("person_invalid", 400, "证件号码或市民码无效");
    public static readonly ApiProblem PersonUnknown = new("person_unknown", 404, "未找到该市民码对应的人员");
    public static readonly ApiProblem PersonNotRegistered = new("person_not_registered", 409, "人口库中没有此人，请登记姓名和手机号");
    public static readonly ApiProblem StrangerNameInvalid = new("stranger_name_invalid", 400, "姓名过长（50字以内）");
    public static readonly ApiProblem StrangerPhoneInvalid = new("stranger_phone_invalid", 400, "请填写正确的手机号码");
    public static readonly ApiProblem RoundUnknown = new("round_unknown", 404, "采样轮次不存在");
    public static readonly ApiProblem RoundClosed = new("round_closed", 409, "该轮次不在采样时间内");
    public static readonly ApiProblem SiteUnknown = new("site_unknown", 404, "采样点不存在");
    public static readonly ApiProblem SiteRetired = new("site_retired", 409, "该采样点已停用，请选择其他采样点");
    public static readonly ApiProblem SiteOutsideRound = new("site_outside_round", 409, "该采样点不在本轮次范围内");
    public static readonly ApiProblem NotYourSite = new("not_your_site", 403, "您不是该采样点的采样人员");
    public static readonly ApiProblem BoxUnknown = new("box_unknown", 404, "转运箱未开箱，请先扫描开箱");
    public static readonly ApiProblem BoxInUse = new("box_in_use", 409, "该转运箱已在其他采样点使用");
    public static readonly ApiProblem BoxNotOpen = new("box_not_open", 409, "转运箱已封箱，不能再装入试管");
    public static readonly ApiProblem BoxAlreadySealed = new("box_already_sealed", 409, "转运箱已封箱，不能重复封箱");
    public static readonly ApiProblem BoxEmpty = new("box_empty", 409, "转运箱内没有试管，不能封箱");
    public static readonly ApiProblem BoxHasOpenTube = new("box_has_open_tube", 409, "箱内还有未封管的试管，请先封管");
    public static readonly ApiProblem BoxNotSealed = new("box_not_sealed", 409, "转运箱尚未封箱，不能转运");
    public static readonly ApiProblem BoxNotPickedUp = new("box_not_picked_up", 409, "转运箱未经转运员揽收，请先扫码揽收");
    public static readonly ApiProblem BoxNotInTransit = new("box_not_in_transit", 409, "转运箱不在转运中");
    public static readonly ApiProblem BoxAlreadyPickedUp = new("box_already_picked_up", 409, "转运箱已揽收，正在转运中");
    public static readonly ApiProblem BoxNotReceived = new("box_not_received", 409, "转运箱尚未接收，请先扫码接收");
    public static readonly ApiProblem BoxAlreadyReconciled = new("box_already_reconciled", 409, "该转运箱已核对完毕");
    public static readonly ApiProblem TubeListInvalid = new("tube_list_invalid", 400, "核对清单中有无效的试管码");
    public static readonly ApiProblem TubeRejected = new("tube_rejected", 409, "该试管接收时已登记为缺失或破损，不能录入结果");
    public static readonly ApiProblem TubeNotResulted = new("tube_not_resulted", 409, "该试管还没有检测结果，请直接录入结果");
    public static readonly ApiProblem CorrectionSame = new("correction_same", 409, "更正后的结果与原结果相同");
    public static readonly ApiProblem CorrectionReasonMissing = new("correction_reason_missing", 400, "更正结果须填写原因（200字以内）");
    public static readonly ApiProblem BoxAlreadyReceived = new("box_already_received", 409, "转运箱已被接收");
    public static readonly ApiProblem TubeUnknown = new("tube_unknown", 404, "试管未开管，请先扫描试管");
    public static readonly ApiProblem TubeInOtherBox = new("tube_in_other_box", 409, "该试管已装入其他转运箱");
    public static readonly ApiProblem TubeSealed = new("tube_sealed", 409, "试管已封管，不能再加入人员");
    public static readonly ApiProblem TubeFull = new("tube_full", 409, "试管已满，请封管后换新试管");
    public static readonly ApiProblem TubeEmpty = new("tube_empty", 409, "试管内还没有人员");
    public static readonly ApiProblem PersonInTube = new("person_in_tube", 409, "此人已在本试管中");
    public static readonly ApiProblem TubeNotReceived = new("tube_not_received", 409, "试管尚未被检测机构接收");
    public static readonly ApiProblem ResultConflict = new("result_conflict", 409, "该试管已有不同的检测结果");
    public static readonly ApiProblem ResultInvalid = new("result_invalid", 400, "检测结果只能是阴性、阳性或无效");
    public static readonly ApiProblem OutsideJurisdiction = Problems.OutsideJurisdiction;
}
