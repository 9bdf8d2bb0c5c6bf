using Dapper;
using Fangyi.Core.Identity;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Status;
using Fangyi.Core.Storage;
using Fangyi.Features.Divisions;
using Fangyi.Features.Residents;

namespace Fangyi.Features.Checkpoint;

// The demo city's checkpoints: a place of every category in 青县, a kiosk device at each with the documented key
// DeviceSecret (D000001 is the mall, D000002 the hospital), the showcase residents' health-code
// colours, and a high-risk area. Seeded once, into a store that has no places yet; with the samples, doses, travel
// and card the other capabilities seed, every verdict appears.
public static class CheckpointDemo
{
    public const string DeviceSecret = "fangyi-demo-2026";

    private const long Hour = 3_600_000;

    private sealed record DemoPlace(string Name, string Category, long Division);

    // The mall first and the hospital second, so that the two kiosks most worth trying are D000001 and D000002.
    private static readonly DemoPlace[] Places =
    [
        new("青县华联商厦", PlaceCategories.Mall, DemoDivisions.Qingzhou),
        new("青县人民医院", PlaceCategories.Hospital, DemoDivisions.Qingzhou),
        new("青县汽车站", PlaceCategories.Transport, DemoDivisions.Qingzhou),
        new("司马庄小区", PlaceCategories.Residential, DemoDivisions.Simazhuang),
        new("青县政务服务中心", PlaceCategories.Workplace, DemoDivisions.Qingzhou),
        new("青县第一中学", PlaceCategories.School, DemoDivisions.Qingzhou),
        new("青县宾馆", PlaceCategories.Hotel, DemoDivisions.Qingzhou),
        new("盘古文化园", PlaceCategories.Scenic, DemoDivisions.Qingzhou),
        new("青县体育馆大型活动", PlaceCategories.Event, DemoDivisions.Qingzhou),
        new("青县农贸市场", PlaceCategories.Other, DemoDivisions.Qingzhou),
    ];

    // What each of the showcase residents shows at a door (in population order).
    private static readonly string[] Scenarios =
    [
        "绿码，20小时前阴性，3剂：各场所均通行",
        "绿码，30小时前阴性：商场通行，医院（24小时）提示超时",
        "绿码，80小时前阴性：核酸结果已超时",
        "黄码（省平台）：非绿码请核查",
        "红码（省平台）：红码人员请核查",
        "混管阳性待复核（本地结果使颜色变红）",
        "5小时前已采样，结果未出",
        "无核酸检测记录",
        "3天前自高风险地区（石家庄市藁城区）抵达",
        "未接种疫苗：大型活动场所提示需接种",
        "样本无效，需重新采样",
        $"社保卡 {ResidentsDemo.DemoCard} 已关联：刷卡通行",
    ];

    public static async Task SeedAsync(IServiceProvider services, TextWriter banner, CancellationToken ct = default)
    {
        var store = services.GetRequiredService<Store>();
        var tree = services.GetRequiredService<DivisionDirectory>().Tree;
        var clock = services.GetRequiredService<TimeProvider>();
        long placeCount;
        await using (var connection = await store.OpenAsync(ct))
        {
            placeCount = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM places", cancellationToken: ct));
        }
        if (placeCount == 0)
        {
            var places = services.GetRequiredService<PlaceDirectory>();
            var devices = services.GetRequiredService<DeviceRegistry>();
            foreach (var p in Places)
            {
                var place = await places.CreateAsync(p.Name, p.Category, p.Division, tree.PathName(p.Division), ct);
                await devices.RegisterAsync(place, [($"{p.Name} 入口查验设备", DeviceSecret)], null, ct);
            }
            if (await ResidentsDemo.ShowcaseIdsAsync(services, ct) is { } ids)
            {
                await SeedFactsAsync(services, store, tree, clock, ids, ct);
            }
        }

        var rules = services.GetRequiredService<CheckpointRules>().Current;
        await banner.WriteLineAsync($"演示查验设备（Authorization: Device <设备号>.{DeviceSecret}；平板打开 /kiosk#device=D000001.{DeviceSecret} 即为该设备的查验页）：");
        for (var i = 0; i < Places.Length; i++)
        {
            var rule = rules.For(Places[i].Category);
            await banner.WriteLineAsync($"  {DeviceRegistry.IdOf(i + 1)}  {Places[i].Name}（{PlaceCategories.Names[Places[i].Category]}，核酸{(rule.WindowHours is { } h ? $"{h}小时" : "不查")}）");
        }
        await banner.WriteLineAsync("演示查验人员（证件号码 → 查验时所见）：");
        var people = ResidentsDemo.Population(tree, Scenarios.Length).ToList();
        for (var i = 0; i < Scenarios.Length; i++)
        {
            await banner.WriteLineAsync($"  {people[i].IdNumber}  {Scenarios[i]}");
        }
        var hb1 = services.GetRequiredService<Hb1HealthCodes>();
        await banner.WriteLineAsync("演示健康码（HB1，绿码，一年有效）：" + hb1.Issue(hb1.FirstKeyId, DocTypes.ResidentId, people[0].IdNumber!, people[0].Name!, HealthColour.Green, clock.GetUtcNow(), TimeSpan.FromDays(365)));
    }

    // A yellow and a red code from the provincial feed, and 藁城区 a high-risk area since ten days ago.
    private static async Task SeedFactsAsync(IServiceProvider services, Store store, DivisionTree tree, TimeProvider clock, long[] ids, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await store.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO health_colours (resident_id, colour, reason, since, updated_at) VALUES (@id, @colour, @reason, @since, @now)",
            new[]
            {
                new { id = ids[3], colour = "yellow", reason = "密接的密接", since = now - 48 * Hour, now },
                new { id = ids[4], colour = "red", reason = "密切接触者", since = now - 24 * Hour, now },
            }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO risk_areas (division, level, name, starts_at, ends_at, created_at) VALUES (@division, 'high', @name, @starts, NULL, @now)",
            new { division = DemoDivisions.Gaocheng, name = tree.PathName(DemoDivisions.Gaocheng) is { Length: > 0 } name ? name : "石家庄市藁城区", starts = now - 10 * 24 * Hour, now },
            tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        await services.GetRequiredService<RiskAreas>().LoadAsync(ct);
    }
}
