using Fangyi.Core.Jurisdiction;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fangyi.Tests.Support;
using System.Diagnostics.CodeAnalysis;

namespace Fangyi.Tests.Security;

/// <summary>
/// Every operation of the OpenAPI document, called by every role bound to two villages, two townships and two
/// counties, by a device key and anonymously, against the table below of who may call it and how far their
/// jurisdiction reaches. An operation missing from the table fails the test: a new endpoint must say who may call it.
/// </summary>
public class AccessMatrixTests
{
    /// <summary>The divisions the callers are bound to; the world's people, boxes and places live in village A.</summary>
    private static readonly (string Name, long Code)[] Seats =
    [
        ("village A", Villages.Simazhuang),     // 青县清州镇司马庄村
        ("village B", Villages.Xicheng),        // 青县清州镇西城居委会
        ("township A", People.Qingzhou),        // 青县清州镇
        ("township B", 130922101000),           // 青县金牛镇
        ("county A", People.Qingxian),          // 青县
        ("county B", People.Cangxian),          // 沧县
    ];

    private static readonly Dictionary<char, string> RoleLetters = new()
    {
        ['A'] = Roles.Admin,
        ['C'] = Roles.Commander,
        ['S'] = Roles.Sampler,
        ['K'] = Roles.Courier,
        ['L'] = Roles.Lab,
        ['V'] = Roles.VillageWorker,
        ['Q'] = Roles.QuarantineStaff,
    };

    /// <summary>How an operation's reach is judged for a caller whose role may call it.</summary>
    private enum Reach
    {
        /// <summary>No jurisdiction involved (the division tree, prompts, one's own account).</summary>
        Any,

        /// <summary>About one thing in <see cref="Op.Subject"/>: outside the caller's area it is refused (400, 403 or 404), naming nothing.</summary>
        Area,

        /// <summary>A list: outside the area it answers, but with none of the world's things in it.</summary>
        Filtered,

        /// <summary>Rows each judged alone: outside the area every row is refused.</summary>
        Rows,
    }

    private enum Subject
    {
        VillageA,

        /// <summary>A round of 青县: it concerns everyone inside the county and everyone above it.</summary>
        CountyA,

        /// <summary>Something held by 青县 itself (a batch of codes it was issued): only accounts whose area holds the county.</summary>
        CountyAItself,

        /// <summary>City-wide settings (rules, risk areas): no county or lower account reaches them.</summary>
        City,
    }

    private sealed record Caller(string Label, string? Role, long Division, HttpClient Client);

    private sealed record Call(HttpMethod Method, string Path, HttpContent? Body = null);

    /// <param name="Who">Role letters (see <see cref="RoleLetters"/>), or "public" (anyone, no account), "signed-in" (any account), "device".</param>
    private sealed record Op(string Who, Reach Reach, Func<MatrixWorld, Caller, Call> Make, Subject Subject = Subject.VillageA, bool EndsSession = false);

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json");

    [SuppressMessage("Reliability", "CA2000", Justification = "MultipartFormDataContent.Add takes ownership of the part: disposing the form disposes it.")]
    private static MultipartFormDataContent File(string name, string csv)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", name);
        return form;
    }

    [SuppressMessage("Reliability", "CA2000", Justification = "MultipartFormDataContent.Add takes ownership of the part: disposing the form disposes it.")]
    private static MultipartFormDataContent PushFile(MatrixWorld w)
    {
        var form = File("push.csv", $"身份证号,姓名\n{w.ResidentNumber},{MatrixWorld.ResidentName}\n");
        var reason = new StringContent("时空伴随");
        form.Add(reason, "reason");
        return form;
    }

    private static Call Get(string path) => new(HttpMethod.Get, path);

    private static Call Post(string path, object? body = null) => new(HttpMethod.Post, path, Json(body ?? new { }));

    private static Call Patch(string path, object body) => new(HttpMethod.Patch, path, Json(body));

    private static int _unique;

    private static string Unique(string prefix) => $"{prefix}{Interlocked.Increment(ref _unique)}";

    /// <summary>A scan each chain role may make, on the world's box or tube (refused by state once done, never by role).</summary>
    private static object ScanFor(MatrixWorld w, Caller c) => c.Role switch
    {
        Roles.Courier => new { clientId = Unique("m-"), action = "box.pickup", box = w.Box },
        Roles.Lab => new { clientId = Unique("m-"), action = "box.receive", box = w.Box, tubesCounted = 1 },
        _ => new { clientId = Unique("m-"), action = "tube.seal", tube = w.Tube },
    };

    /// <summary>A quarantine step each role may make: the site's staff and admins a health check-in, the transfer team a pick-up.</summary>
    private static object QuarantineStepFor(MatrixWorld w, Caller c) => c.Role == Roles.VillageWorker
        ? new { clientId = Unique("mq-"), kind = "pickup", orderId = w.TransferOrder, residentIds = new[] { w.PickedUpResident } }
        : new { clientId = Unique("mq-"), kind = "health", residentIds = new[] { w.StayingResident }, temperature = 36.5 };

    private static readonly Dictionary<string, Op> Table = new()
    {
        // Quarantine (隔离点, 转运): admins set up sites and refer; site staff read the board and check people in; transfer teams scan.
        ["GET /api/v1/quarantine/sites"] = new("A Q", Reach.Filtered, (w, _) => Get("/api/v1/quarantine/sites")),
        ["GET /api/v1/quarantine/sites/{id}"] = new("A Q", Reach.Area, (w, _) => Get($"/api/v1/quarantine/sites/{w.QuarantineSite}")),
        ["POST /api/v1/quarantine/sites"] = new("A", Reach.Area, (w, _) => Post("/api/v1/quarantine/sites", new { name = "矩阵新隔离点", division = Villages.Simazhuang, address = "矩阵路2号" })),
        ["POST /api/v1/quarantine/sites/{id}/rooms"] = new("A", Reach.Area, (w, _) => Post($"/api/v1/quarantine/sites/{w.QuarantineSite}/rooms", new { building = "2", floor = 1, number = Unique("r"), beds = 1, kind = "单人间" })),
        ["POST /api/v1/quarantine/sites/{id}/rooms/import"] = new("A", Reach.Area, (w, _) => new(HttpMethod.Post, $"/api/v1/quarantine/sites/{w.QuarantineSite}/rooms/import",
            File("rooms.csv", $"楼栋,楼层,房间号,床位数,房型\n3,1,{Unique("r")},1,单人间\n"))),
        ["PATCH /api/v1/quarantine/rooms/{id}"] = new("A", Reach.Area, (w, _) => Patch($"/api/v1/quarantine/rooms/{w.SpareRoom}", new { beds = 2 })),
        ["POST /api/v1/quarantine/referrals"] = new("A", Reach.Area, (w, _) => Post("/api/v1/quarantine/referrals", new { idNumber = w.ReferredNumber, reason = "密切接触者", days = 14, testDays = new[] { 1 } })),
        ["GET /api/v1/quarantine/referrals"] = new("A V", Reach.Filtered, (w, _) => Get("/api/v1/quarantine/referrals")),
        ["POST /api/v1/quarantine/scans"] = new("A V Q", Reach.Area, (w, c) => Post("/api/v1/quarantine/scans", QuarantineStepFor(w, c))),
        ["POST /api/v1/quarantine/scans/batch"] = new("A V Q", Reach.Rows, (w, c) => Post("/api/v1/quarantine/scans/batch", new[] { QuarantineStepFor(w, c) })),
        ["POST /api/v1/transfers"] = new("A V", Reach.Area, (w, _) => Post("/api/v1/transfers", new { plate = "冀J·00002", team = "矩阵转运组", siteId = w.QuarantineSite, residentIds = new[] { w.AwaitingResident } })),
        ["GET /api/v1/transfers"] = new("A V", Reach.Filtered, (w, _) => Get("/api/v1/transfers")),
        ["GET /api/v1/quarantine/stays/{residentId}/certificate"] = new("A Q", Reach.Area, (w, _) => Get($"/api/v1/quarantine/stays/{w.StayingResident}/certificate")),
        ["GET /api/v1/transfers/{id}"] = new("A V Q", Reach.Area, (w, _) => Get($"/api/v1/transfers/{w.TransferOrder}")),

        // Residents (实有人口): names and masked numbers for admins and village workers; writes, exports and the full number for admins.
        ["GET /api/v1/residents"] = new("A V", Reach.Filtered, (w, _) => Get("/api/v1/residents?limit=1000")),
        ["POST /api/v1/residents/search"] = new("A V", Reach.Filtered, (w, _) => Post("/api/v1/residents/search", new { q = w.ResidentNumber })),
        ["GET /api/v1/residents/{id}"] = new("A V", Reach.Area, (w, _) => Get($"/api/v1/residents/{w.Resident}")),
        ["GET /api/v1/residents/{id}/identity"] = new("A", Reach.Area, (w, _) => Get($"/api/v1/residents/{w.Resident}/identity")),
        ["GET /api/v1/residents/{id}/audit"] = new("A", Reach.Area, (w, _) => Get($"/api/v1/residents/{w.Resident}/audit")),
        ["PUT /api/v1/residents"] = new("A", Reach.Area, (w, _) => new(HttpMethod.Put, "/api/v1/residents",
            Json(new { idNumber = w.ResidentNumber, name = MatrixWorld.ResidentName, division = People.Code(Villages.Simazhuang) }))),
        ["GET /api/v1/residents/export"] = new("A", Reach.Filtered, (w, _) => Get("/api/v1/residents/export?format=csv")),
        ["POST /api/v1/residents/export"] = new("A", Reach.Filtered, (w, _) => Post("/api/v1/residents/export", new { format = "csv" })),
        // Transfer requests (迁入申请): seen by both sides and the admins above them, decided by the holding side.
        ["GET /api/v1/residents/transfers"] = new("A", Reach.Filtered, (w, _) => Get("/api/v1/residents/transfers")),
        ["POST /api/v1/residents/transfers/{id}/accept"] = new("A", Reach.Area, (w, _) => Post($"/api/v1/residents/transfers/{w.Transfer}/accept")),
        ["POST /api/v1/residents/transfers/{id}/decline"] = new("A", Reach.Area, (w, _) => Post($"/api/v1/residents/transfers/{w.Transfer}/decline")),
        ["POST /api/v1/residents/import"] = new("A", Reach.Filtered, (w, _) => new(HttpMethod.Post, "/api/v1/residents/import",
            File("residents.csv", $"证件号码,姓名,居住地区划代码\n{w.ResidentNumber},{MatrixWorld.ResidentName},{Villages.Simazhuang}\n"))),
        // An import's progress and error report belong to whoever started it (here the world's city admin).
        ["GET /api/v1/imports/{id}"] = new("", Reach.Any, (w, _) => Get($"/api/v1/imports/{w.ImportJob}")),
        ["GET /api/v1/imports/{id}/errors.csv"] = new("", Reach.Any, (w, _) => Get($"/api/v1/imports/{w.ImportJob}/errors.csv")),

        // Citizen codes (市民码).
        ["POST /api/v1/residents/{id}/citizen-code"] = new("A V", Reach.Area, (w, _) => Post($"/api/v1/residents/{w.Resident}/citizen-code")),
        ["POST /api/v1/residents/{id}/citizen-codes/revoke"] = new("A", Reach.Area, (w, _) => Post($"/api/v1/residents/{w.Resident}/citizen-codes/revoke", new { reason = "矩阵" })),
        ["POST /api/v1/public/citizen-code/refresh"] = new("public", Reach.Any, (w, _) => Post("/api/v1/public/citizen-code/refresh", new { code = "FY1:NOTACODE" })),
        ["GET /api/v1/public/code-revocations"] = new("public", Reach.Any, (w, _) => Get("/api/v1/public/code-revocations?since=0")),
        ["GET /.well-known/fangyi-code-keys"] = new("public", Reach.Any, (w, _) => Get("/.well-known/fangyi-code-keys")),
        ["GET /api/v1/citizen-codes/sheet"] = new("A V", Reach.Area, (w, _) => Get($"/api/v1/citizen-codes/sheet?division={Villages.Simazhuang}")),
        ["POST /api/v1/public/citizen-code"] = new("public", Reach.Any, (w, _) => Post("/api/v1/public/citizen-code", new { idNumber = People.NewId(), name = "某某" })),
        ["POST /api/v1/public/results"] = new("public", Reach.Any, (w, _) => Post("/api/v1/public/results", new { idNumber = People.NewId(), name = "某某" })),
        ["POST /api/v1/public/results/by-code"] = new("public", Reach.Any, (w, _) => Post("/api/v1/public/results/by-code", new { code = "FY1:NOTACODE" })),

        // Sampling (核酸采样): admins manage; the chain's roles scan and follow boxes; labs enter results; counts for commanders.
        ["POST /api/v1/sampling/rounds"] = new("A", Reach.Area, (w, _) => Post("/api/v1/sampling/rounds",
            new { name = "矩阵新轮次", division = Villages.Simazhuang, startsAt = DateTimeOffset.UtcNow, endsAt = DateTimeOffset.UtcNow.AddDays(1) })),
        ["POST /api/v1/sampling/sites"] = new("A", Reach.Area, (w, _) => Post("/api/v1/sampling/sites", new { name = "矩阵新采样点", division = Villages.Simazhuang })),
        ["POST /api/v1/sampling/sites/{id}/teams"] = new("A", Reach.Area, (w, _) => Post($"/api/v1/sampling/sites/{w.Site}/teams", new { name = Unique("矩阵队"), members = Array.Empty<string>() })),
        ["PATCH /api/v1/sampling/rounds/{id}"] = new("A", Reach.Area, (w, _) => Patch($"/api/v1/sampling/rounds/{w.Round}", new { }), Subject.CountyAItself),
        ["POST /api/v1/sampling/rounds/{id}/retire"] = new("A", Reach.Area, (w, _) => Post($"/api/v1/sampling/rounds/{w.SpareRound}/retire"), Subject.CountyAItself),
        ["PATCH /api/v1/sampling/sites/{id}"] = new("A", Reach.Area, (w, _) => Patch($"/api/v1/sampling/sites/{w.Site}", new { address = "矩阵地址" })),
        ["POST /api/v1/sampling/sites/{id}/retire"] = new("A", Reach.Area, (w, _) => Post($"/api/v1/sampling/sites/{w.SpareSite}/retire")),
        ["PATCH /api/v1/sampling/sites/{site}/teams/{id}"] = new("A", Reach.Area, (w, _) => Patch($"/api/v1/sampling/sites/{w.Site}/teams/{w.Team}", new { name = "矩阵采样队" })),
        ["POST /api/v1/sampling/sites/{site}/teams/{id}/retire"] = new("A", Reach.Area, (w, _) => Post($"/api/v1/sampling/sites/{w.Site}/teams/{w.SpareTeam}/retire")),
        ["POST /api/v1/sampling/codes"] = new("A", Reach.Any, (w, _) => Post("/api/v1/sampling/codes", new { type = "tube", count = 1 })),
        ["GET /api/v1/sampling/codes/{id}/labels"] = new("A", Reach.Area, (w, _) => Get($"/api/v1/sampling/codes/{w.CodeBatch}/labels"), Subject.CountyAItself),
        ["GET /api/v1/sampling/rounds"] = new("A C S K L V", Reach.Filtered, (w, _) => Get("/api/v1/sampling/rounds"), Subject.CountyA),
        ["GET /api/v1/sampling/sites"] = new("A C S K L V", Reach.Filtered, (w, _) => Get("/api/v1/sampling/sites")),
        ["GET /api/v1/sampling/boxes/{code}/history"] = new("A S K L", Reach.Area, (w, _) => Get($"/api/v1/sampling/boxes/{w.Box}/history")),
        ["GET /api/v1/sampling/tubes/{code}/history"] = new("A S K L", Reach.Area, (w, _) => Get($"/api/v1/sampling/tubes/{w.Tube}/history")),
        ["POST /api/v1/scans"] = new("A S K L", Reach.Area, (w, c) => Post("/api/v1/scans", ScanFor(w, c))),
        ["POST /api/v1/scans/batch"] = new("A S K L", Reach.Rows, (w, c) => Post("/api/v1/scans/batch", new[] { ScanFor(w, c) })),
        ["POST /api/v1/lab/results"] = new("A L", Reach.Rows, (w, _) => Post("/api/v1/lab/results", new[] { new { tube = w.Tube, result = "negative" } })),
        ["POST /api/v1/lab/results/import"] = new("A L", Reach.Rows, (w, _) => new(HttpMethod.Post, "/api/v1/lab/results/import", File("results.csv", $"tube,result\n{w.Tube},negative\n"))),
        ["GET /api/v1/lab/worklist"] = new("A L", Reach.Filtered, (w, _) => Get("/api/v1/lab/worklist")),
        ["POST /api/v1/lab/corrections"] = new("A L", Reach.Area, (w, _) => Post("/api/v1/lab/corrections", new { tube = w.Tube, result = "negative", reason = "矩阵更正" })),
        ["GET /api/v1/sampling/labs"] = new("A S K L", Reach.Any, (w, _) => Get("/api/v1/sampling/labs")),
        ["GET /api/v1/sampling/rounds/{id}/coverage"] = new("A C V", Reach.Filtered, (w, _) => Get($"/api/v1/sampling/rounds/{w.Round}/coverage"), Subject.CountyA),
        ["GET /api/v1/sampling/rounds/{id}/not-sampled"] = new("A V", Reach.Filtered, (w, _) => Get($"/api/v1/sampling/rounds/{w.Round}/not-sampled?format=json")),
        ["GET /api/v1/sampling/retest-tasks"] = new("A V", Reach.Filtered, (w, _) => Get("/api/v1/sampling/retest-tasks")),

        // Tasks (待办任务): the village worker's list of their village, and the admins above it; marks judged task by task.
        // Screening (待排查人员库): village workers work their village's cases; pushes and the rules are an admin's. The
        // handover and assignment name the case's own village, which is refused as a target, so the case stays put for every caller.
        ["POST /api/v1/screening/pushes"] = new("A", Reach.Rows, (w, _) => Post("/api/v1/screening/pushes", new { reason = "时空伴随", rows = new[] { new { idNumber = w.ResidentNumber } } })),
        ["POST /api/v1/screening/pushes/import"] = new("A", Reach.Any, (w, _) => new(HttpMethod.Post, "/api/v1/screening/pushes/import", PushFile(w))),
        ["POST /api/v1/screening/door"] = new("A V", Reach.Rows, (w, _) => Post("/api/v1/screening/door", new { clientId = Unique("d-"), idNumber = w.ResidentNumber })),
        ["GET /api/v1/screening/cases"] = new("A V", Reach.Filtered, (w, _) => Get("/api/v1/screening/cases?state=all")),
        ["GET /api/v1/screening/cases/{id}"] = new("A V", Reach.Area, (w, _) => Get($"/api/v1/screening/cases/{w.Case}")),
        ["POST /api/v1/screening/cases/{id}/verify"] = new("A V", Reach.Area, (w, _) => Post($"/api/v1/screening/cases/{w.Case}/verify", new { clientId = Unique("s-"), reached = false, method = "call" })),
        ["POST /api/v1/screening/cases/{id}/decide"] = new("A V", Reach.Area, (w, _) => Post($"/api/v1/screening/cases/{w.Case}/decide", new { clientId = Unique("s-"), category = "cleared", clearReason = "核实无接触" })),
        ["POST /api/v1/screening/cases/{id}/handover"] = new("A V", Reach.Area, (w, _) => Post($"/api/v1/screening/cases/{w.Case}/handover", new { clientId = Unique("s-"), toDivision = Villages.Simazhuang })),
        ["POST /api/v1/screening/cases/{id}/accept"] = new("A V", Reach.Area, (w, _) => Post($"/api/v1/screening/cases/{w.Case}/accept", new { clientId = Unique("s-") })),
        ["POST /api/v1/screening/cases/{id}/assign"] = new("A V", Reach.Area, (w, _) => Post($"/api/v1/screening/cases/{w.Case}/assign", new { clientId = Unique("s-"), toDivision = Villages.Simazhuang })),
        ["POST /api/v1/screening/cases/{id}/identify"] = new("A V", Reach.Area, (w, _) => Post($"/api/v1/screening/cases/{w.Case}/identify", new { clientId = Unique("s-"), idNumber = w.ResidentNumber })),
        ["GET /api/v1/screening/summary"] = new("A V", Reach.Any, (w, _) => Get("/api/v1/screening/summary")),
        ["GET /api/v1/screening/policy"] = new("A V", Reach.Any, (w, _) => Get("/api/v1/screening/policy")),
        ["POST /api/v1/screening/policy"] = new("A", Reach.Any, (w, _) => Post("/api/v1/screening/policy", new { version = "" })),

        ["GET /api/v1/tasks"] = new("A V", Reach.Filtered, (w, _) => Get("/api/v1/tasks?state=all")),
        ["GET /api/v1/tasks/{id}"] = new("A V", Reach.Area, (w, _) => Get($"/api/v1/tasks/{w.Task}")),
        ["POST /api/v1/tasks/door-to-door"] = new("A V", Reach.Area, (w, _) => Post("/api/v1/tasks/door-to-door", new { roundId = w.Round, division = Villages.Simazhuang })),
        ["POST /api/v1/tasks/marks"] = new("A V", Reach.Area, (w, _) => Post("/api/v1/tasks/marks", new { clientId = Unique("t-"), taskId = w.Task, action = "visited", reason = "away" })),
        ["POST /api/v1/tasks/marks/batch"] = new("A V", Reach.Rows, (w, _) => Post("/api/v1/tasks/marks/batch", new[] { new { clientId = Unique("t-"), taskId = w.Task, action = "visited", reason = "away" } })),

        // Checkpoint (四合一查验): devices verify; admins keep places, devices and facts; the city keeps rules and risk areas; only admins trace.
        ["POST /api/v1/checkpoint/verify"] = new("device", Reach.Any, (w, _) => Post("/api/v1/checkpoint/verify", new { input = w.ResidentNumber, clientId = Unique("v-") })),
        ["POST /api/v1/checkpoint/heartbeat"] = new("device", Reach.Any, (w, _) => Post("/api/v1/checkpoint/heartbeat")),
        ["GET /api/v1/checkpoint/prompts"] = new("public", Reach.Any, (w, _) => Get("/api/v1/checkpoint/prompts")),
        ["GET /api/v1/checkpoint/places"] = new("A", Reach.Filtered, (w, _) => Get("/api/v1/checkpoint/places")),
        ["POST /api/v1/checkpoint/places"] = new("A", Reach.Area, (w, _) => Post("/api/v1/checkpoint/places", new { name = "矩阵新场所", category = "mall", division = Villages.Simazhuang })),
        ["GET /api/v1/checkpoint/devices"] = new("A", Reach.Filtered, (w, _) => Get("/api/v1/checkpoint/devices")),
        ["POST /api/v1/checkpoint/devices"] = new("A", Reach.Area, (w, _) => Post("/api/v1/checkpoint/devices", new { placeId = w.Place, count = 1 })),
        ["POST /api/v1/checkpoint/devices/import"] = new("A", Reach.Rows, (w, _) => new(HttpMethod.Post, "/api/v1/checkpoint/devices/import", File("devices.csv", $"place_id,name\n{w.Place},矩阵设备\n"))),
        ["POST /api/v1/checkpoint/devices/{deviceId}/revoke"] = new("A", Reach.Area, (w, _) => Post($"/api/v1/checkpoint/devices/{w.SpareDevice}/revoke")),
        ["POST /api/v1/checkpoint/devices/{deviceId}/rotate"] = new("A", Reach.Area, (w, _) => Post($"/api/v1/checkpoint/devices/{w.RotatedDevice}/rotate")),
        ["POST /api/v1/checkpoint/devices/{deviceId}/enrolment"] = new("A", Reach.Area, (w, _) => Post($"/api/v1/checkpoint/devices/{w.RotatedDevice}/enrolment")),
        ["POST /api/v1/checkpoint/enrol"] = new("public", Reach.Any, (w, _) => Post("/api/v1/checkpoint/enrol", new { code = "ABCD2345" })),
        ["GET /api/v1/checkpoint/rules"] = new("A", Reach.Any, (w, _) => Get("/api/v1/checkpoint/rules")),
        ["GET /api/v1/checkpoint/rules/versions"] = new("A", Reach.Any, (w, _) => Get("/api/v1/checkpoint/rules/versions")),
        ["POST /api/v1/checkpoint/rules"] = new("A", Reach.Area, (w, _) => Post("/api/v1/checkpoint/rules", new { }), Subject.City),
        ["GET /api/v1/checkpoint/risk-areas"] = new("A", Reach.Any, (w, _) => Get("/api/v1/checkpoint/risk-areas")),
        ["POST /api/v1/checkpoint/risk-areas"] = new("A", Reach.Area, (w, _) => Post("/api/v1/checkpoint/risk-areas",
            new { division = People.Cangxian, level = "medium", name = "矩阵风险区", startsAt = DateTimeOffset.UtcNow }), Subject.City),
        ["POST /api/v1/checkpoint/risk-areas/{id}/end"] = new("A", Reach.Area, (w, _) => Post($"/api/v1/checkpoint/risk-areas/{w.RiskArea}/end", new { endsAt = DateTimeOffset.UtcNow.AddDays(30) }), Subject.City),
        ["POST /api/v1/checkpoint/trace/person"] = new("A", Reach.Area, (w, _) => Post("/api/v1/checkpoint/trace/person", new { residentId = w.Resident })),
        ["POST /api/v1/checkpoint/trace/contacts"] = new("A", Reach.Area, (w, _) => Post("/api/v1/checkpoint/trace/contacts", new { residentId = w.Resident })),
        ["GET /api/v1/checkpoint/trace/places/{placeId}"] = new("A", Reach.Area, (w, _) => Get($"/api/v1/checkpoint/trace/places/{w.Place}")),
        ["POST /api/v1/checkpoint/colours"] = new("A", Reach.Area, (w, _) => Post("/api/v1/checkpoint/colours",
            new { clientId = Unique("c-"), idNumber = w.ResidentNumber, colour = "green", at = DateTimeOffset.UtcNow.AddYears(-1), reason = "矩阵" })),
        ["POST /api/v1/checkpoint/colours/batch"] = new("A", Reach.Rows, (w, _) => Post("/api/v1/checkpoint/colours/batch",
            new[] { new { clientId = Unique("c-"), idNumber = w.ResidentNumber, colour = "green", at = DateTimeOffset.UtcNow.AddYears(-1), reason = "矩阵" } })),
        ["POST /api/v1/checkpoint/vaccinations"] = new("A", Reach.Area, (w, _) => Post("/api/v1/checkpoint/vaccinations",
            new { clientId = Unique("d-"), idNumber = w.ResidentNumber, dose = 1, date = "2021-05-01", vaccine = "矩阵" })),
        ["POST /api/v1/checkpoint/vaccinations/import"] = new("A", Reach.Rows, (w, _) => new(HttpMethod.Post, "/api/v1/checkpoint/vaccinations/import",
            File("doses.csv", $"id_number,dose,date,vaccine\n{w.ResidentNumber},2,2021-06-01,矩阵\n"))),
        ["POST /api/v1/checkpoint/arrivals"] = new("A", Reach.Area, (w, _) => Post("/api/v1/checkpoint/arrivals",
            new { clientId = Unique("r-"), idNumber = w.ResidentNumber, from = 110101000000, arrivedAt = DateTimeOffset.UtcNow.AddYears(-1) })),
        ["POST /api/v1/checkpoint/social-security"] = new("A", Reach.Area, (w, _) => Post("/api/v1/checkpoint/social-security",
            new { clientId = Unique("s-"), idNumber = w.ResidentNumber, cardNumber = "A12345678" })),
        ["POST /api/v1/checkpoint/social-security/import"] = new("A", Reach.Rows, (w, _) => new(HttpMethod.Post, "/api/v1/checkpoint/social-security/import",
            File("cards.csv", $"id_number,card_number\n{w.ResidentNumber},A12345678\n"))),

        // Accounts (账号): one's own session for everyone signed in; accounts of the area for its admins.
        ["POST /api/v1/auth/login"] = new("public", Reach.Any, (w, _) => Post("/api/v1/auth/login", new { username = "nobody", password = "wrong-password-1" })),
        ["POST /api/v1/auth/token"] = new("public", Reach.Any, (w, _) => Post("/api/v1/auth/token", new { username = "nobody", password = "wrong-password-1" })),
        ["POST /api/v1/auth/refresh"] = new("public", Reach.Any, (w, _) => Post("/api/v1/auth/refresh", new { refreshToken = "not-a-token" })),
        ["POST /api/v1/auth/logout"] = new("public", Reach.Any, (w, _) => Post("/api/v1/auth/logout"), EndsSession: true),
        ["GET /api/v1/auth/me"] = new("signed-in", Reach.Any, (w, _) => Get("/api/v1/auth/me")),
        ["POST /api/v1/auth/password"] = new("signed-in", Reach.Any, (w, _) => Post("/api/v1/auth/password", new { oldPassword = "not-my-password-1", newPassword = "Another-pass-2026" })),
        ["GET /api/v1/accounts"] = new("A", Reach.Filtered, (w, _) => Get("/api/v1/accounts")),
        ["POST /api/v1/accounts"] = new("A", Reach.Area, (w, _) => Post("/api/v1/accounts",
            new { username = Unique("matrix-new-"), displayName = "矩阵新账号", role = Roles.Sampler, division = Villages.Simazhuang })),
        ["POST /api/v1/accounts/import"] = new("A", Reach.Rows, (w, _) => new(HttpMethod.Post, "/api/v1/accounts/import",
            File("accounts.csv", $"username,name,role,division\n{Unique("matrix-imp-")},矩阵导入,采样员,{Villages.Simazhuang}\n"))),
        ["POST /api/v1/accounts/{id}/reset-password"] = new("A", Reach.Area, (w, _) => Post($"/api/v1/accounts/{w.TargetAccount}/reset-password")),
        ["POST /api/v1/accounts/{id}/disable"] = new("A", Reach.Area, (w, _) => Post($"/api/v1/accounts/{w.TargetAccount}/disable")),
        ["POST /api/v1/accounts/{id}/enable"] = new("A", Reach.Area, (w, _) => Post($"/api/v1/accounts/{w.TargetAccount}/enable")),

        // Big screen (指挥大屏): numbers for commanders and admins, of their own area.
        ["GET /api/v1/dashboard/view"] = new("A C", Reach.Area, (w, _) => Get($"/api/v1/dashboard/view?round={w.Round}&division={Villages.Simazhuang}")),
        ["GET /api/v1/dashboard/export"] = new("A C", Reach.Area, (w, _) => Get($"/api/v1/dashboard/export?round={w.Round}&division={Villages.Simazhuang}")),
        ["GET /api/v1/dashboard/daily.pdf"] = new("A C", Reach.Area, (w, _) => Get($"/api/v1/dashboard/daily.pdf?round={w.Round}&division={Villages.Simazhuang}")),

        // Divisions and addresses (行政区划/标准地址): public knowledge, for every account.
        ["GET /api/v1/divisions"] = new("signed-in", Reach.Any, (w, _) => Get("/api/v1/divisions")),
        ["GET /api/v1/divisions/{code}"] = new("signed-in", Reach.Any, (w, _) => Get($"/api/v1/divisions/{Villages.Simazhuang}")),
        ["GET /api/v1/divisions/{code}/children"] = new("signed-in", Reach.Any, (w, _) => Get($"/api/v1/divisions/{People.Qingzhou}/children")),
        ["GET /api/v1/divisions/{code}/path"] = new("signed-in", Reach.Any, (w, _) => Get($"/api/v1/divisions/{Villages.Simazhuang}/path")),
        ["GET /api/v1/divisions/search"] = new("signed-in", Reach.Any, (w, _) => Get("/api/v1/divisions/search?q=司马庄")),
        ["POST /api/v1/addresses/resolve"] = new("signed-in", Reach.Any, (w, _) => Post("/api/v1/addresses/resolve", new { address = "沧州市青县清州镇司马庄村3排5号" })),
    };

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task EveryOperation_AnswersEachRoleDivisionDeviceAndStranger_AsTheTableSays(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await MatrixWorld.CreateAsync(app);

        using var documentClient = app.Anonymous();
        var document = await documentClient.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var operations = new List<string>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var method in path.Value.EnumerateObject())
            {
                operations.Add($"{method.Name.ToUpperInvariant()} {path.Name}");
            }
        }
        var missing = operations.Where(o => !Table.ContainsKey(o)).ToList();
        Assert.True(missing.Count == 0, "Operations no one has said who may call: " + string.Join(", ", missing));
        var stale = Table.Keys.Where(k => !operations.Contains(k)).ToList();
        Assert.True(stale.Count == 0, "The table names operations the host no longer has: " + string.Join(", ", stale));

        var callers = new List<Caller>();
        foreach (var (letter, role) in RoleLetters)
        {
            foreach (var (seat, division) in Seats)
            {
                var username = $"m-{role}-{division}";
                callers.Add(new Caller($"{role}@{seat}", role, division, await app.ClientAsync(username, role, division)));
            }
        }
        callers.Add(new Caller("device", "device", 0, world.DeviceClient));
        callers.Add(new Caller("anonymous", null, 0, app.Anonymous()));

        var faults = new List<string>();
        foreach (var (name, op) in Table.Where(t => !t.Value.EndsSession).Concat(Table.Where(t => t.Value.EndsSession)))
        {
            foreach (var caller in callers)
            {
                // A call that ends its session gets a session of its own, so the callers' shared clients stay signed in.
                using var own = op.EndsSession && caller.Role is not (null or "device")
                    ? await app.SignInAsync($"m-{caller.Role}-{caller.Division}", TestApp.Password)
                    : null;
                var client = own ?? caller.Client;
                var call = op.Make(world, caller);
                var sent = call.Path + (call.Body is null ? "" : await call.Body.ReadAsStringAsync());
                using var request = new HttpRequestMessage(call.Method, call.Path) { Content = call.Body };
                using var response = await client.SendAsync(request);
                var status = (int)response.StatusCode;
                var body = await response.Content.ReadAsStringAsync();
                if (Judge(op, caller, status, body, world.Markers.Where(m => !sent.Contains(m, StringComparison.Ordinal))) is { } fault)
                {
                    faults.Add($"{name} as {caller.Label}: {fault} ({status} {Shorten(body)})");
                }
            }
        }
        Assert.True(faults.Count == 0, $"{faults.Count} cells differ from the table:\n" + string.Join("\n", faults));
    }

    private static string Shorten(string body) => body.Length > 160 ? body[..160] + "…" : body;

    /// <summary>Null when the answer is what the table expects of this caller, else what is wrong.</summary>
    /// <param name="markers">The world's strings the caller did not send itself: echoing a caller's own tube code tells it nothing.</param>
    private static string? Judge(Op op, Caller caller, int status, string body, IEnumerable<string> markers)
    {
        if (status >= 500)
        {
            return "a server error";
        }
        if (body.Contains("   at ", StringComparison.Ordinal))
        {
            return "a stack trace";
        }
        var mayCall = op.Who switch
        {
            "public" => true,
            "device" => caller.Role == "device",
            "signed-in" => caller.Role is not (null or "device"),
            _ => caller.Role is { } role && op.Who.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(l => RoleLetters[l[0]] == role),
        };
        if (op.Who == "public")
        {
            // Open to anyone: whatever it answers (401 for a wrong password, 404 for someone it cannot prove) is its own answer.
            return null;
        }
        if (!mayCall)
        {
            // An operation no caller may reach (another account's import) may also answer as if there were nothing.
            return status is 401 or 403 || (op.Who.Length == 0 && status == 404) ? null : "should be refused (401/403)";
        }
        var inside = op.Reach == Reach.Any || caller.Role == "device" || Reaches(caller.Division, op.Subject);
        if (inside)
        {
            // A resident's public look-up answers 404 for someone it cannot prove: that is its answer, not a refusal of the caller.
            return status is 401 or 403 || (status == 404 && op.Who != "public") ? "should be allowed" : null;
        }
        var leaks = markers.FirstOrDefault(m => body.Contains(m, StringComparison.Ordinal));
        if (leaks is not null)
        {
            return $"names {leaks} outside its area";
        }
        return op.Reach switch
        {
            Reach.Area => status is 400 or 403 or 404 ? null : "should be refused outside the area",
            Reach.Filtered => status is >= 200 and < 300 or 403 or 404 ? null : "should answer without the area's things",
            Reach.Rows => status is 400 or 403 or 404 || RowsAllRefused(body) ? null : "a row outside the area was accepted",
            _ => null,
        };
    }

    private static bool Reaches(long seat, Subject subject)
    {
        var scope = Fangyi.Core.Jurisdiction.Scope.Of(seat);
        return subject switch
        {
            Subject.VillageA => scope.Contains(Villages.Simazhuang),
            // A round or code batch of 青县 concerns everyone inside it and everyone above it.
            Subject.CountyA => scope.Contains(People.Qingxian) || Fangyi.Core.Jurisdiction.Scope.Of(People.Qingxian).Contains(seat),
            Subject.CountyAItself => scope.Contains(People.Qingxian),
            _ => scope.Contains(People.Cangzhou),
        };
    }

    /// <summary>Every row outcome in the answer says it was not accepted (as the batch and import endpoints answer).</summary>
    private static bool RowsAllRefused(string body)
    {
        try
        {
            var root = JsonDocument.Parse(body).RootElement;
            var rows = root.ValueKind == JsonValueKind.Array ? root
                : root.TryGetProperty("rows", out var r) ? r
                : root.TryGetProperty("errors", out var e) && root.TryGetProperty("imported", out var imported) && imported.GetInt32() == 0 ? e
                : default;
            if (rows.ValueKind != JsonValueKind.Array)
            {
                return root.TryGetProperty("opened", out var opened) && opened.GetArrayLength() == 0
                    || root.TryGetProperty("registered", out var registered) && registered.GetArrayLength() == 0;
            }
            return rows.EnumerateArray().All(row => !row.TryGetProperty("accepted", out var accepted) || accepted.ValueKind == JsonValueKind.False);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
