using Fangyi.Core.Pages;
using Fangyi.Core.Storage;
using System.Globalization;
using System.Text.Json;
using Fangyi.Features.Accounts;
using Fangyi.Features.Residents;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fangyi.Features.Sampling;

// The chain of custody of one box or tube, from the history API: its state, the tubes and the people in it
// (masked), and every scan on it in order, accepted or refused. Any staff account; outside the jurisdiction a
// code does not exist here.
[Microsoft.AspNetCore.Authorization.Authorize(Policy = SamplingPolicies.Custody)]
public sealed class CustodyModel(Store store, ResidentLookups residents, AccountService accounts) : PageModel
{
    public sealed record TubeLine(string Code, string State, string StateName, long Capacity, long People, string? Result);

    public sealed record PersonLine(string Tube, string Name, string IdMasked, long SampledAt, bool RepeatInRound, string? Result);

    public sealed record Step(long At, string Kind, string Subject, string? Username, string? Device, bool Accepted, string Summary);

    public bool IsBox { get; private set; }

    public string Code { get; private set; } = "";

    public bool Found { get; private set; }

    public string State { get; private set; } = "";

    public string StateName { get; private set; } = "";

    // The box a tube is in.
    public string? Box { get; private set; }

    public string? Discrepancy { get; private set; }

    public List<(string Label, string Value)> Facts { get; } = [];

    public List<TubeLine> Tubes { get; } = [];

    public List<PersonLine> People { get; } = [];

    public List<Step> Steps { get; } = [];

    // The stations of a box's or tube's life, passed or ahead, with the time each was passed where it is kept.
    public List<(string Name, bool Passed, long? At)> Stations { get; } = [];

    private Dictionary<long, string> _rounds = [];
    private Dictionary<long, string> _sites = [];

    public async Task<IActionResult> OnGetAsync(string kind, string code, CancellationToken ct)
    {
        IsBox = kind == "boxes";
        Code = code.Trim().ToUpperInvariant();
        var answer = IsBox
            ? (await SamplingApi.BoxHistoryAsync(Code, HttpContext, store, residents, accounts, ct)).Result
            : (await SamplingApi.TubeHistoryAsync(Code, HttpContext, store, residents, accounts, ct)).Result;
        if ((IsBox ? ApiAnswer.Value<SamplingApi.BoxHistory>(answer) : (object?)ApiAnswer.Value<SamplingApi.TubeHistory>(answer)) is not { } history)
        {
            // Unknown and outside the jurisdiction answer alike.
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        Found = true;
        _rounds = ((await SamplingApi.ListRounds(HttpContext, store, ct)).Value ?? []).ToDictionary(r => r.Id, r => r.Name);
        _sites = (await SamplingApi.SitesAsync(HttpContext, store, retired: true, ct)).ToDictionary(s => s.Id, s => s.Name);
        // Read as the API's JSON: the page shows exactly what the history endpoint answers.
        var json = JsonSerializer.SerializeToElement(history, JsonSerializerOptions.Web);
        Read(json);
        return Page();
    }

    private void Read(JsonElement json)
    {
        var current = json.GetProperty("current");
        State = Text(current, "state") ?? "";
        StateName = Text(current, "stateName") ?? State;
        if (IsBox)
        {
            Discrepancy = Text(current, "discrepancy");
            Facts.Add(("试管数", Number(current, "tubes") + " 管"));
            Facts.Add(("人数", Number(current, "people") + " 人"));
            if (Long(current, "receivedTubes") is { } counted)
            {
                Facts.Add(("实收试管", counted + " 管"));
            }
            // A lab may receive a box it collected itself, with no courier pick-up in between.
            var received = Long(current, "receivedAt");
            Stations.AddRange([
                ("开箱", true, Long(current, "openedAt")),
                ("封箱", Long(current, "sealedAt") is not null, Long(current, "sealedAt")),
                ("揽收", Long(current, "pickedAt") is not null, Long(current, "pickedAt")),
                ("接收", received is not null, received),
                ("检测", State == BoxStates.Testing, null),
            ]);
        }
        else
        {
            Box = Text(current, "box");
            var capacity = Long(current, "capacity") ?? 0;
            Facts.Add(("混采方式", SamplingText.MixingName(capacity)));
            Facts.Add(("人数", $"{Number(current, "people")} / {capacity} 人"));
            Facts.Add(("检测结果", SamplingText.ResultName(Text(current, "result"))));
            if (current.TryGetProperty("ct", out var ctValue) && ctValue.ValueKind == JsonValueKind.Number)
            {
                Facts.Add(("CT值", ctValue.GetDouble().ToString("0.##", CultureInfo.InvariantCulture)));
            }
            Stations.AddRange([
                ("开管", true, Long(current, "openedAt")),
                ("封管", Long(current, "sealedAt") is not null, Long(current, "sealedAt")),
                ("装箱", State is TubeStates.Boxed or TubeStates.Received or TubeStates.Resulted, null),
                ("接收", Long(current, "receivedAt") is not null, Long(current, "receivedAt")),
                ("出结果", Long(current, "resultedAt") is not null, Long(current, "resultedAt")),
            ]);
        }
        foreach (var tube in json.GetProperty("tubes").EnumerateArray())
        {
            Tubes.Add(new TubeLine(Text(tube, "code") ?? "", Text(tube, "state") ?? "", Text(tube, "stateName") ?? "", Long(tube, "capacity") ?? 0, Long(tube, "people") ?? 0, Text(tube, "result")));
        }
        foreach (var person in json.GetProperty("people").EnumerateArray())
        {
            People.Add(new PersonLine(Text(person, "tube") ?? "", Text(person, "name") ?? "", Text(person, "idMasked") ?? "", Long(person, "sampledAt") ?? 0,
                person.TryGetProperty("repeatInRound", out var repeat) && repeat.ValueKind == JsonValueKind.True, Text(person, "result")));
        }
        foreach (var e in json.GetProperty("events").EnumerateArray())
        {
            var kind = Text(e, "kind") ?? "";
            var accepted = e.GetProperty("accepted").GetBoolean();
            using var payload = JsonDocument.Parse(Text(e, "payload") ?? "{}");
            using var outcome = JsonDocument.Parse(Text(e, "outcome") ?? "{}");
            var body = outcome.RootElement.TryGetProperty("b", out var b) ? b : outcome.RootElement;
            Steps.Add(new Step(Long(e, "at") ?? 0, kind, Text(e, "subject") ?? "", Text(e, "username"), Text(e, "deviceId"), accepted,
                accepted ? Summary(kind, payload.RootElement, body) : Refusal(kind, payload.RootElement, body)));
        }
    }

    // What an accepted scan did, in a line.
    private string Summary(string kind, JsonElement payload, JsonElement body) => kind switch
    {
        ScanKinds.OpenBox => $"{Named(_rounds, Long(payload, "roundId"), "轮次")}，{Named(_sites, Long(payload, "siteId"), "采样点")}",
        ScanKinds.OpenTube => $"试管 {Text(payload, "tube")} 装入转运箱 {Text(payload, "box")}（{SamplingText.MixingName(Long(payload, "capacity") ?? 0)}）",
        ScanKinds.AddPerson => $"{Text(body, "name")} {Text(body, "idMasked")}，第 {Number(body, "count")}/{Number(body, "capacity")} 人"
            + (body.TryGetProperty("repeatInRound", out var repeat) && repeat.ValueKind == JsonValueKind.True ? "（本轮重复采样）" : ""),
        ScanKinds.RemoveLast => $"撤销后管内 {Number(body, "count")} 人",
        ScanKinds.SealTube => $"管内 {Number(body, "count")} 人",
        ScanKinds.SealBox => $"箱内 {Number(body, "tubes")} 管 {Number(body, "people")} 人",
        ScanKinds.PickUp => Text(payload, "location") is { Length: > 0 } at ? $"地点：{at}" : "",
        ScanKinds.HandOver => $"交接给 {Text(payload, "to") ?? "下一环节"}" + (Text(payload, "location") is { Length: > 0 } place ? $"，地点：{place}" : ""),
        ScanKinds.Receive => (Long(payload, "tubesCounted") is { } counted ? $"清点 {counted} 管" : "未清点，按登记数") + (Text(body, "discrepancy") is { Length: > 0 } d ? $"；{d}" : ""),
        ScanKinds.Result => SamplingText.ResultName(Text(payload, "result")) + (payload.TryGetProperty("ct", out var ctValue) && ctValue.ValueKind == JsonValueKind.Number
            ? $"，CT值 {ctValue.GetDouble().ToString("0.##", CultureInfo.InvariantCulture)}" : ""),
        _ => "",
    };

    // Why a scan was refused, with whom it concerned when that is a person.
    private static string Refusal(string kind, JsonElement payload, JsonElement body)
    {
        var reason = Text(body, "title") ?? "已拒绝";
        if (Text(body, "detail") is { Length: > 0 } detail)
        {
            reason += "：" + detail;
        }
        return kind == ScanKinds.AddPerson && payload.TryGetProperty("person", out var person) && Text(person, "masked") is { } masked ? $"{masked}，{reason}" : reason;
    }

    private static string Named(Dictionary<long, string> names, long? id, string what) =>
        id is { } key && names.TryGetValue(key, out var name) ? name : $"{what} #{id}";

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Long(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;

    private static string Number(JsonElement e, string name) => Long(e, name)?.ToString(CultureInfo.InvariantCulture) ?? "–";
}
