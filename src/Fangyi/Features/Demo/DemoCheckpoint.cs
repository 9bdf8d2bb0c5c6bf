using Fangyi.Core.Jurisdiction;
using Dapper;
using Fangyi.Core.Storage;
using Fangyi.Core.Identity;
using Fangyi.Core.Status;
using Fangyi.Features.Checkpoint;
using Fangyi.Features.Divisions;
using Fangyi.Features.Sampling;

namespace Fangyi.Features.Demo;

/// <summary>
/// The demo city's checkpoints: a place of every category in 青县, a kiosk device at each with the documented key
/// <see cref="DeviceSecret"/> (D000001 is the mall, D000002 the hospital), and a dozen demo residents whose colour,
/// samples, doses and travel make every verdict appear. Seeded once, into a store that has no places yet.
/// </summary>
public static class DemoCheckpoint
{
    public const string DeviceSecret = "fangyi-demo-2026";

    private sealed record DemoPlace(string Name, string Category, long Division);

    // The mall first and the hospital second, so that the two kiosks most worth trying are D000001 and D000002.
    // The scenarios (by index) that have had their doses.
    private static readonly int[] Vaccinated = [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11];

    private static readonly DemoPlace[] Places =
    [
        new("青县华联商厦", PlaceCategories.Mall, DemoCity.Qingzhou),
        new("青县人民医院", PlaceCategories.Hospital, DemoCity.Qingzhou),
        new("青县汽车站", PlaceCategories.Transport, DemoCity.Qingzhou),
        new("司马庄小区", PlaceCategories.Residential, DemoCity.Simazhuang),
        new("青县政务服务中心", PlaceCategories.Workplace, DemoCity.Qingzhou),
        new("青县第一中学", PlaceCategories.School, DemoCity.Qingzhou),
        new("青县宾馆", PlaceCategories.Hotel, DemoCity.Qingzhou),
        new("盘古文化园", PlaceCategories.Scenic, DemoCity.Qingzhou),
        new("青县体育馆大型活动", PlaceCategories.Event, DemoCity.Qingzhou),
        new("青县农贸市场", PlaceCategories.Other, DemoCity.Qingzhou),
    ];

    /// <summary>石家庄市藁城区: a high-risk area in the demo, from ten days ago.</summary>
    public const long RiskCounty = 130109000000;

    public const string DemoCard = "A12345678";

    /// <summary>What each of the first twelve demo residents shows at a door (in population order).</summary>
    public static readonly string[] Scenarios =
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
        $"社保卡 {DemoCard} 已关联：刷卡通行",
    ];

    public static async Task SeedAsync(IServiceProvider services, TextWriter banner)
    {
        var store = services.GetRequiredService<Store>();
        var places = services.GetRequiredService<PlaceDirectory>();
        var devices = services.GetRequiredService<DeviceRegistry>();
        var tree = services.GetRequiredService<DivisionDirectory>().Tree;
        var clock = services.GetRequiredService<TimeProvider>();
        long placeCount;
        await using (var connection = await store.OpenAsync())
        {
            placeCount = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM places");
        }
        if (placeCount == 0)
        {
            foreach (var p in Places)
            {
                var place = await places.CreateAsync(p.Name, p.Category, p.Division, tree.PathName(p.Division));
                await devices.RegisterAsync(place, [($"{p.Name} 入口查验设备", DeviceSecret)], null);
            }
            await SeedPeopleAsync(services, store, tree, clock);
        }

        var rules = services.GetRequiredService<CheckpointRules>().Current;
        await banner.WriteLineAsync($"演示查验设备（Authorization: Device <设备号>.{DeviceSecret}；平板打开 /kiosk#device=D000001.{DeviceSecret} 即为该设备的查验页）：");
        for (var i = 0; i < Places.Length; i++)
        {
            var rule = rules.For(Places[i].Category);
            await banner.WriteLineAsync($"  {DeviceRegistry.IdOf(i + 1)}  {Places[i].Name}（{PlaceCategories.Names[Places[i].Category]}，核酸{(rule.WindowHours is { } h ? $"{h}小时" : "不查")}）");
        }
        await banner.WriteLineAsync("演示查验人员（证件号码 → 查验时所见）：");
        var people = DemoCity.Population(tree, Scenarios.Length).ToList();
        for (var i = 0; i < Scenarios.Length; i++)
        {
            await banner.WriteLineAsync($"  {people[i].IdNumber}  {Scenarios[i]}");
        }
        var hb1 = services.GetRequiredService<Hb1HealthCodes>();
        await banner.WriteLineAsync("演示健康码（HB1，绿码，一年有效）：" + hb1.Issue(hb1.FirstKeyId, DocTypes.ResidentId, people[0].IdNumber!, people[0].Name!, HealthColour.Green, clock.GetUtcNow(), TimeSpan.FromDays(365)));
    }

    private static async Task SeedPeopleAsync(IServiceProvider services, Store store, DivisionTree tree, TimeProvider clock)
    {
        var keys = services.GetRequiredService<KeyRing>();
        var issued = services.GetRequiredService<IssuedCodes>();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        const long hour = 3_600_000;
        var people = DemoCity.Population(tree, Scenarios.Length).ToList();
        await using var connection = await store.OpenAsync();
        var ids = new long[people.Count];
        for (var i = 0; i < people.Count; i++)
        {
            var args = new DynamicParameters();
            var where = store.Dialect.InList("id_hash", keys.LookupHashes(DocTypes.ResidentId, people[i].IdNumber!), args, "h");
            ids[i] = await connection.ExecuteScalarAsync<long?>($"SELECT id FROM residents WHERE {where}", args) ?? 0;
        }
        if (ids.Any(id => id == 0))
        {
            return;
        }

        // Samples as a demo round would leave them: one single tube each, in one box, results as the scenarios need.
        (int Person, long HoursAgo, string? Result)[] samples =
        [
            (0, 20, "negative"), (1, 30, "negative"), (2, 80, "negative"), (3, 10, "negative"), (4, 10, "negative"), (5, 6, "mixed_positive"),
            (6, 5, null), (8, 10, "negative"), (9, 10, "negative"), (10, 8, "invalid"), (11, 10, "negative"),
        ];
        var tubes = (await issued.IssueAsync(CodeType.Tube, samples.Length, DemoCity.Qingxian, "演示查验试管码", 0)).Codes().ToList();
        var box = (await issued.IssueAsync(CodeType.Box, 1, DemoCity.Qingxian, "演示查验转运箱码", 0)).Codes().Single();
        await using var tx = await connection.BeginTransactionAsync();
        var round = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO rounds (name, division, starts_at, ends_at, ratio_low, ratio_medium, ratio_high, created_at) VALUES ('演示轮次', @division, @starts, @ends, 10, 5, 1, @now) RETURNING id",
            new { division = DemoCity.Cangzhou, starts = now - 96 * hour, ends = now + 30 * 24 * hour, now }, tx);
        var site = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO sites (name, division, address, created_at) VALUES ('司马庄村委会采样点', @division, '', @now) RETURNING id", new { division = DemoCity.Simazhuang, now }, tx);
        await connection.ExecuteAsync(
            "INSERT INTO boxes (code, round_id, site_id, division, state, tubes, people, opened_at, sealed_at, picked_at, received_at, received_tubes) VALUES (@box, @round, @site, @division, 'testing', @n, @n, @at, @at, @at, @at, @n)",
            new { box, round, site, division = DemoCity.Simazhuang, n = samples.Length, at = now - 96 * hour }, tx);
        for (var i = 0; i < samples.Length; i++)
        {
            var (person, hoursAgo, result) = samples[i];
            var at = now - hoursAgo * hour;
            var tubeResult = result == "mixed_positive" ? "positive" : result;
            await connection.ExecuteAsync(
                """
                INSERT INTO tubes (code, box_code, round_id, site_id, division, capacity, people, state, opened_at, sealed_at, received_at, resulted_at, result)
                VALUES (@tube, @box, @round, @site, @division, @capacity, 1, @state, @at, @at, @received, @resulted, @tubeResult)
                """,
                new
                {
                    tube = tubes[i], box, round, site, division = DemoCity.Simazhuang, capacity = result == "mixed_positive" ? 10 : 1,
                    state = result is null ? "received" : "resulted", at, received = at + hour, resulted = result is null ? (long?)null : at + 4 * hour, tubeResult,
                }, tx);
            await connection.ExecuteAsync(
                "INSERT INTO samples (tube_code, resident_id, division, round_id, sampled_at, removed, repeat_in_round, result, resulted_at) VALUES (@tube, @resident, @division, @round, @at, @no, @no, @result, @resulted)",
                new { tube = tubes[i], resident = ids[person], division = DemoCity.Simazhuang, round, at, no = false, result, resulted = result is null ? (long?)null : at + 4 * hour }, tx);
        }
        await connection.ExecuteAsync(
            "INSERT INTO health_colours (resident_id, colour, reason, since, updated_at) VALUES (@id, @colour, @reason, @since, @now)",
            new[]
            {
                new { id = ids[3], colour = "yellow", reason = "密接的密接", since = now - 48 * hour, now },
                new { id = ids[4], colour = "red", reason = "密切接触者", since = now - 24 * hour, now },
            }, tx);
        await connection.ExecuteAsync(
            "INSERT INTO vaccinations (resident_id, dose, at, vaccine, recorded_at) VALUES (@id, @dose, @at, '新冠病毒灭活疫苗（Vero细胞）', @now)",
            Vaccinated.SelectMany(p => Enumerable.Range(1, p == 0 ? 3 : 2).Select(dose => new { id = ids[p], dose, at = now - (400 - dose * 30) * 24 * hour, now })), tx);
        await connection.ExecuteAsync(
            "INSERT INTO risk_areas (division, level, name, starts_at, ends_at, created_at) VALUES (@RiskCounty, 'high', @name, @starts, NULL, @now)",
            new { RiskCounty, name = tree.PathName(RiskCounty) is { Length: > 0 } name ? name : "石家庄市藁城区", starts = now - 10 * 24 * hour, now }, tx);
        await connection.ExecuteAsync(
            "INSERT INTO arrivals (resident_id, from_division, arrived_at, division, recorded_at) VALUES (@id, @from, @at, @division, @now)",
            new { id = ids[8], from = RiskCounty + 100, at = now - 72 * hour, division = DemoCity.Simazhuang, now }, tx);
        var active = keys.Active;
        await connection.ExecuteAsync(
            "INSERT INTO social_security_cards (card_hash, key_id, card_masked, resident_id, updated_at) VALUES (@hash, @key, @masked, @id, @now)",
            new { hash = KeyRing.Hash(active, StatusIndex.SocialSecurityHashType, DemoCard), key = active.Id, masked = IdNumber.Mask(DemoCard), id = ids[11], now }, tx);
        await tx.CommitAsync();
        await services.GetRequiredService<RiskAreas>().LoadAsync();
    }
}
