using Fangyi.Core.Http;

namespace Fangyi.Features.Quarantine;

/// <summary>Every refusal the quarantine desk, the transfer team and the console can meet, with the sentence they show.</summary>
public static class QuarantineProblems
{
    // A site or order outside the caller's division reads as one that does not exist.
    public static readonly ApiProblem SiteUnknown = new("site_unknown", 404, "隔离点不存在或不在您的辖区");
    public static readonly ApiProblem SiteFull = new("site_full", 409, "隔离点已满，没有空余床位");
    public static readonly ApiProblem FamilyRoomsNotAllowed = new("family_rooms_not_allowed", 409, "该隔离点不接收家庭同住，请逐人入住");
    public static readonly ApiProblem RoomUnknown = new("room_unknown", 404, "房间不存在");
    public static readonly ApiProblem RoomOccupied = new("room_occupied", 409, "房间有人入住，不能停用或减少床位");
    public static readonly ApiProblem RoomDuplicate = new("room_duplicate", 409, "该楼栋已有此房间号");
    public static readonly ApiProblem NameMissing = new("site_name_missing", 400, "请填写隔离点名称（100字以内）");
    public static readonly ApiProblem AddressMissing = new("site_address_missing", 400, "请填写隔离点地址（200字以内）");
    public static readonly ApiProblem DivisionOutside = new("division_outside", 404, "该区划不在您的辖区");
    public static readonly ApiProblem RoomInvalid = new("room_invalid", 400, "房间信息不正确：楼栋、楼层、房间号、床位数（1至10）、房型（单人间或家庭间）");
    public static readonly ApiProblem PersonInvalid = new("person_invalid", 400, "证件号码或市民码无效，请重新扫描");
    public static readonly ApiProblem PersonUnknown = new("person_unknown", 404, "人口库中没有此人");
    public static readonly ApiProblem GroupInvalid = new("group_invalid", 400, "一次入住1至10人，且不能重复");
    public static readonly ApiProblem ReasonMissing = new("reason_missing", 400, "请填写隔离原因（50字以内）");
    public static readonly ApiProblem DaysInvalid = new("days_invalid", 400, "隔离天数应为1至28天，核酸日应在隔离天数之内");
    public static readonly ApiProblem AlreadyCheckedIn = new("already_checked_in", 409, "此人已在隔离点入住");
    public static readonly ApiProblem NotReferred = new("not_referred", 409, "此人不在待转运名单中");
    public static readonly ApiProblem StayOutside = new("stay_unknown", 404, "此人不在您辖区的隔离点");
    public static readonly ApiProblem ReferralUnknown = new("referral_unknown", 404, "所选人员不在您辖区的待转运名单中");
    public static readonly ApiProblem NotInStay = new("not_in_stay", 409, "此人不在隔离中");
    public static readonly ApiProblem ReleaseNotDue = new("release_not_due", 409, "隔离期未满，不能解除隔离");
    public static readonly ApiProblem TestsMissing = new("tests_missing", 409, "尚有核酸日没有单管阴性结果，不能解除隔离");
    public static readonly ApiProblem TestPositive = new("test_positive", 409, "隔离期间核酸阳性，不能解除隔离，请转运至医院");
    public static readonly ApiProblem TemperatureInvalid = new("temperature_invalid", 400, "体温应在34.0至43.0度之间");
    public static readonly ApiProblem HealthCheckDone = new("health_check_done", 409, "此人今天已登记健康状况");
    public static readonly ApiProblem OrderUnknown = new("transfer_order_unknown", 404, "转运单不存在或不在您的辖区");
    public static readonly ApiProblem OrderInvalid = new("transfer_order_invalid", 400, "请填写车牌号、转运组和目的隔离点，并选择待转运人员");
    public static readonly ApiProblem NotOnOrder = new("not_on_order", 409, "此人不在该转运单上，或已接到、已交接");
    public static readonly ApiProblem NotPickedUp = new("not_picked_up", 409, "此人尚未接到，不能交接");
    public static readonly ApiProblem ClientIdMissing = new("client_id_missing", 400, "缺少操作编号 clientId");
    public static readonly ApiProblem CertificateNotIssued = new("certificate_not_issued", 409, "此人尚未解除隔离，没有解除隔离证明");
    public static readonly ApiProblem CertificateUnknown = new("certificate_unknown", 404, "没有该解除隔离证明");
}
