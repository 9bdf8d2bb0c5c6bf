using Fangyi.Core.Jurisdiction;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fangyi.Features.Accounts;
using Fangyi.Features.Sampling;
using Fangyi.Tests.Support;

namespace Fangyi.Tests.Security;

/// <summary>
/// What the access matrix calls on, all in 司马庄村 (village A): two residents (one sampled, one not), a round of 青县
/// with a site, a box with one tube holding the first resident (received at the lab), a place with two devices, an
/// account, an import job and a risk area. The markers are the strings that only these things carry: a caller
/// outside village A must never be shown one.
/// </summary>
public sealed class MatrixWorld
{
    public const string ResidentName = "矩阵甲某";
    public const string UnsampledName = "矩阵乙某";
    private const string RoundName = "矩阵轮次";
    private const string SiteName = "矩阵采样点";
    private const string PlaceName = "矩阵商厦";
    private const string AccountName = "矩阵账号";

    public long Resident { get; private set; }
    public string ResidentNumber { get; private set; } = "";
    public long Round { get; private set; }
    public long Site { get; private set; }
    // Retired by the matrix's retire calls, so the round, site and team the other calls use stay live.
    public long SpareRound { get; private set; }
    public long SpareSite { get; private set; }
    public long Team { get; private set; }
    public long SpareTeam { get; private set; }
    public long CodeBatch { get; private set; }
    public string Box { get; private set; } = "";
    public string Tube { get; private set; } = "";
    public long Place { get; private set; }
    public string SpareDevice { get; private set; } = "";
    public string RotatedDevice { get; private set; } = "";
    public long Transfer { get; private set; }
    public HttpClient DeviceClient { get; private set; } = null!;
    public long TargetAccount { get; private set; }
    public string ImportJob { get; private set; } = "";
    public long RiskArea { get; private set; }
    public long Task { get; private set; }
    public long Case { get; private set; }
    private static readonly int[] StayTestDays = [1, 14];

    public long QuarantineSite { get; private set; }
    public long SpareRoom { get; private set; }
    public long TransferOrder { get; private set; }
    public long PickedUpResident { get; private set; }
    public long StayingResident { get; private set; }
    public long AwaitingResident { get; private set; }
    public string ReferredNumber { get; private set; } = "";

    public IReadOnlyList<string> Markers => [ResidentName, UnsampledName, RoundName, SiteName, PlaceName, AccountName, Box, Tube];

    public static async Task<MatrixWorld> CreateAsync(TestApp app)
    {
        var w = new MatrixWorld();
        using var city = await app.ClientAsync("m-world-city", Roles.Admin, People.Cangzhou);
        using var county = await app.ClientAsync("m-world-county", Roles.Admin, People.Qingxian);
        var village = People.Code(Villages.Simazhuang);

        w.ResidentNumber = People.NewId();
        w.Resident = (await Ok(await city.PutAsJsonAsync("/api/v1/residents", new { idNumber = w.ResidentNumber, name = ResidentName, phone = "13912345678", division = village }))).GetProperty("id").GetInt64();
        await Ok(await city.PutAsJsonAsync("/api/v1/residents", new { idNumber = People.NewId(), name = UnsampledName, division = village }));

        w.Round = (await Ok(await county.PostAsJsonAsync("/api/v1/sampling/rounds", new
        {
            name = RoundName, division = People.Qingxian, startsAt = DateTimeOffset.UtcNow.AddHours(-1), endsAt = DateTimeOffset.UtcNow.AddDays(1),
        }))).GetProperty("id").GetInt64();
        w.Site = (await Ok(await county.PostAsJsonAsync("/api/v1/sampling/sites", new { name = SiteName, division = Villages.Simazhuang }))).GetProperty("id").GetInt64();
        w.SpareRound = (await Ok(await county.PostAsJsonAsync("/api/v1/sampling/rounds", new
        {
            name = RoundName + "（备用）", division = People.Qingxian, startsAt = DateTimeOffset.UtcNow.AddHours(-1), endsAt = DateTimeOffset.UtcNow.AddDays(1),
        }))).GetProperty("id").GetInt64();
        w.SpareSite = (await Ok(await county.PostAsJsonAsync("/api/v1/sampling/sites", new { name = SiteName + "（备用）", division = Villages.Simazhuang }))).GetProperty("id").GetInt64();
        w.Team = (await Ok(await county.PostAsJsonAsync($"/api/v1/sampling/sites/{w.Site}/teams", new { name = "矩阵采样队", members = Array.Empty<string>() }))).GetProperty("id").GetInt64();
        w.SpareTeam = (await Ok(await county.PostAsJsonAsync($"/api/v1/sampling/sites/{w.Site}/teams", new { name = "矩阵备用队", members = Array.Empty<string>() }))).GetProperty("id").GetInt64();
        var tubes = await Ok(await county.PostAsJsonAsync("/api/v1/sampling/codes", new { type = "tube", count = 2 }));
        var boxes = await Ok(await county.PostAsJsonAsync("/api/v1/sampling/codes", new { type = "box", count = 2 }));
        w.CodeBatch = tubes.GetProperty("id").GetInt64();
        w.Tube = new SampleCode(CodeType.Tube, tubes.GetProperty("firstSerial").GetInt64()).ToString();
        w.Box = new SampleCode(CodeType.Box, boxes.GetProperty("firstSerial").GetInt64()).ToString();
        var step = 0;
        async Task Scan(object fields)
        {
            var scan = JsonSerializer.SerializeToNode(fields, JsonSerializerOptions.Web)!.AsObject();
            scan["clientId"] = $"world-{++step}";
            await Ok(await county.PostAsJsonAsync("/api/v1/scans", scan));
        }
        await Scan(new { action = "box.open", box = w.Box, roundId = w.Round, siteId = w.Site });
        await Scan(new { action = "tube.open", box = w.Box, tube = w.Tube, capacity = 10 });
        await Scan(new { action = "sample.add", tube = w.Tube, person = w.ResidentNumber });
        await Scan(new { action = "tube.seal", tube = w.Tube });
        await Scan(new { action = "box.seal", box = w.Box });
        await Scan(new { action = "box.pickup", box = w.Box });
        await Scan(new { action = "box.receive", box = w.Box, tubesCounted = 1 });

        w.Place = (await Ok(await city.PostAsJsonAsync("/api/v1/checkpoint/places", new { name = PlaceName, category = "mall", division = Villages.Simazhuang }))).GetProperty("id").GetInt64();
        var devices = (await Ok(await city.PostAsJsonAsync("/api/v1/checkpoint/devices", new { placeId = w.Place, count = 3 }))).GetProperty("registered");
        w.DeviceClient = app.Anonymous();
        w.DeviceClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Device", $"{devices[0].GetProperty("deviceId").GetString()}.{devices[0].GetProperty("secret").GetString()}");
        w.SpareDevice = devices[1].GetProperty("deviceId").GetString()!;
        w.RotatedDevice = devices[2].GetProperty("deviceId").GetString()!;

        // 沧县 asks to take over a 司马庄村 resident: a transfer request held by village A's side.
        var moving = People.NewId();
        await Ok(await city.PutAsJsonAsync("/api/v1/residents", new { idNumber = moving, name = "迁出某", division = village }));
        using var cangxian = await app.ClientAsync("m-world-cangxian", Roles.Admin, People.Cangxian);
        w.Transfer = (await Ok(await cangxian.PutAsJsonAsync("/api/v1/residents", new { idNumber = moving, name = "迁出某", division = People.Code(Villages.Dongguan) }))).GetProperty("transferId").GetInt64();

        Assert.True(await app.Get<AccountService>().CreateAsync([new AccountService.NewAccount("m-target", AccountName, Roles.Sampler, Villages.Simazhuang, TestApp.Password, false)]));
        w.TargetAccount = (await app.Get<AccountService>().FindAsync("m-target"))!.Id;

        using var form = new MultipartFormDataContent();
        using var file = new ByteArrayContent(Encoding.UTF8.GetBytes($"证件号码,姓名,居住地区划代码\n{People.NewId()},矩阵导入某,{village}\n123,坏行,{village}\n"));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "world.csv");
        w.ImportJob = (await Ok(await city.PostAsync("/api/v1/residents/import", form))).GetProperty("jobId").GetString()!;

        // 矩阵乙某 has not been sampled: a door-to-door task in village A.
        await Ok(await county.PostAsJsonAsync("/api/v1/tasks/door-to-door", new { roundId = w.Round, division = Villages.Simazhuang }));
        w.Task = (await Ok(await county.GetAsync("/api/v1/tasks?kind=door_to_door")))[0].GetProperty("id").GetInt64();

        // 矩阵甲某 is named by a big-data push: a screening case in village A.
        await Ok(await city.PostAsJsonAsync("/api/v1/screening/pushes", new { reason = "时空伴随", rows = new[] { new { idNumber = w.ResidentNumber } } }));
        w.Case = (await Ok(await county.GetAsync("/api/v1/screening/cases")))[0].GetProperty("id").GetInt64();

        // A quarantine site in village A with a room kept free, three people referred from village A: one on a
        // transfer order, one checked in, one awaiting transfer.
        w.QuarantineSite = (await Ok(await county.PostAsJsonAsync("/api/v1/quarantine/sites", new { name = "矩阵隔离点", division = Villages.Simazhuang, address = "矩阵路1号" }))).GetProperty("id").GetInt64();
        await Ok(await county.PostAsJsonAsync($"/api/v1/quarantine/sites/{w.QuarantineSite}/rooms", new { building = "1", floor = 1, number = "101", beds = 1, kind = "单人间" }));
        w.SpareRoom = (await Ok(await county.PostAsJsonAsync($"/api/v1/quarantine/sites/{w.QuarantineSite}/rooms", new { building = "1", floor = 1, number = "102", beds = 2, kind = "家庭间" }))).GetProperty("id").GetInt64();
        var referred = new long[3];
        for (var i = 0; i < 3; i++)
        {
            var number = People.NewId();
            referred[i] = (await Ok(await city.PutAsJsonAsync("/api/v1/residents", new { idNumber = number, name = $"矩阵隔离{i}", division = village }))).GetProperty("id").GetInt64();
            await Ok(await county.PostAsJsonAsync("/api/v1/quarantine/referrals", new { idNumber = number, reason = "密切接触者", days = 14, testDays = StayTestDays }));
        }
        w.ReferredNumber = People.NewId();
        await Ok(await city.PutAsJsonAsync("/api/v1/residents", new { idNumber = w.ReferredNumber, name = "矩阵待隔离", division = village }));
        (w.PickedUpResident, w.StayingResident, w.AwaitingResident) = (referred[0], referred[1], referred[2]);
        w.TransferOrder = (await Ok(await county.PostAsJsonAsync("/api/v1/transfers", new { plate = "冀J·00001", team = "矩阵转运组", siteId = w.QuarantineSite, residentIds = new[] { referred[0] } }))).GetProperty("id").GetInt64();
        await Ok(await county.PostAsJsonAsync("/api/v1/quarantine/scans", new { clientId = "m-world-checkin", kind = "checkin", siteId = w.QuarantineSite, residentIds = new[] { referred[1] } }));

        w.RiskArea = (await Ok(await city.PostAsJsonAsync("/api/v1/checkpoint/risk-areas", new { division = People.Cangxian, level = "medium", name = "矩阵已有风险区", startsAt = DateTimeOffset.UtcNow }))).GetProperty("id").GetInt64();
        return w;
    }

    private static async Task<JsonElement> Ok(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
