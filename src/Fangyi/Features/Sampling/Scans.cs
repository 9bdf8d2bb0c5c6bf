using System.Text.Json.Serialization;
using Fangyi.Core.Http;
using Fangyi.Core.Jurisdiction;
using Fangyi.Features.Residents;

namespace Fangyi.Features.Sampling;

/// <summary>
/// The sampling and chain-of-custody scans. Each is an ingest item of its kind; the payload carries what the
/// scan said, checked for form before it is queued, and the account's jurisdiction for the state checks that
/// only the handler can make.
/// </summary>
public abstract record Scan
{
    [JsonIgnore]
    public Scope Scope { get; init; }

    [JsonIgnore]
    public long AccountId { get; init; }

    /// <summary>Where the phone was, if it said ("38.59,116.84"): kept in the event log with the scan.</summary>
    public string? Location { get; init; }
}

public sealed record OpenBox(string Box, long RoundId, long SiteId) : Scan;

public sealed record OpenTube(string Box, string Tube, int Capacity) : Scan;

public sealed record AddPerson(string Tube, PersonRef Person) : Scan;

public sealed record RemoveLast(string Tube) : Scan;

public sealed record SealTube(string Tube) : Scan;

public sealed record SealBox(string Box) : Scan;

public sealed record PickUp(string Box) : Scan;

public sealed record HandOver(string Box, string? To) : Scan;

public sealed record Receive(string Box, int? TubesCounted) : Scan;

public sealed record TubeResult(string Tube, string Result, double? Ct) : Scan;

/// <summary>
/// A person as scanned: by identity number (look-up hashes under every live key, and a resident ready to be
/// registered if the platform has never met them) or by citizen code (its opaque subject).
/// </summary>
public sealed record PersonRef(string Masked, [property: JsonIgnore] byte[][] Hashes, [property: JsonIgnore] byte[]? Subject, [property: JsonIgnore] PreparedResident? Unregistered);

public static class ScanKinds
{
    public const string OpenBox = "box.open";
    public const string OpenTube = "tube.open";
    public const string AddPerson = "sample.add";
    public const string RemoveLast = "sample.remove_last";
    public const string SealTube = "tube.seal";
    public const string SealBox = "box.seal";
    public const string PickUp = "box.pickup";
    public const string HandOver = "box.handover";
    public const string Receive = "box.receive";
    public const string Result = "tube.result";

    public static readonly IReadOnlyCollection<string> All = [OpenBox, OpenTube, AddPerson, RemoveLast, SealTube, SealBox, PickUp, HandOver, Receive, Result];
}

public static class BoxStates
{
    public const string Open = "open";                // 开箱
    public const string Sealed = "sealed";            // 已封箱
    public const string InTransit = "in_transit";     // 转运中
    public const string Received = "received";        // 已接收
    public const string Testing = "testing";          // 检测中

    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        [Open] = "采样中", [Sealed] = "已封箱", [InTransit] = "转运中", [Received] = "已接收", [Testing] = "检测中",
    };
}

public static class TubeStates
{
    public const string Open = "open";
    public const string Sealed = "sealed";
    public const string Boxed = "boxed";
    public const string Received = "received";
    public const string Resulted = "resulted";

    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        [Open] = "采样中", [Sealed] = "已封管", [Boxed] = "已装箱", [Received] = "已接收", [Resulted] = "已出结果",
    };
}

public static class SampleResults
{
    public const string Negative = "negative";               // 阴性
    public const string Positive = "positive";               // 阳性
    public const string MixedPositive = "mixed_positive";    // 混管阳性待复核
    public const string Invalid = "invalid";                 // 无效，需重采

    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        [Negative] = "阴性", [Positive] = "阳性", [MixedPositive] = "混管阳性待复核", [Invalid] = "样本无效，请重新采样",
    };
}

/// <summary>Every refusal a sampler, courier or lab can meet, with the sentence their phone shows.</summary>
public static class SamplingProblems
{
    public static readonly ApiProblem TubeCodeInvalid = new("tube_code_invalid", 400, "试管码无效，请重新扫描");
    public static readonly ApiProblem BoxCodeInvalid = new("box_code_invalid", 400, "转运箱码无效，请重新扫描");
    public static readonly ApiProblem CodeNotIssued = new("code_not_issued", 400, "该条码不是本平台发放的，请更换");
    public static readonly ApiProblem CapacityInvalid = new("capacity_invalid", 400, "混采模式只能是单管、5混1、10混1或20混1");
    public static readonly ApiProblem PersonInvalid = new("person_invalid", 400, "证件号码或市民码无效");
    public static readonly ApiProblem PersonUnknown = new("person_unknown", 404, "未找到该市民码对应的人员");
    public static readonly ApiProblem RoundUnknown = new("round_unknown", 404, "采样轮次不存在");
    public static readonly ApiProblem RoundClosed = new("round_closed", 409, "该轮次不在采样时间内");
    public static readonly ApiProblem SiteUnknown = new("site_unknown", 404, "采样点不存在");
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
