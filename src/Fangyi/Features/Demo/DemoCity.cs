using Fangyi.Features.Accounts;
using Fangyi.Core.Storage;
using Dapper;
using Fangyi.Core.Identity;
using Fangyi.Core.Jurisdiction;
using Fangyi.Features.Divisions;
using Fangyi.Features.Residents;
using System.Diagnostics.CodeAnalysis;

namespace Fangyi.Features.Demo;

/// <summary>
/// The demo city: Cangzhou's divisions (shipped), a synthetic population with valid identity numbers spread
/// over its villages, and one account for every role. Seeded once into an empty store; the same seed gives the
/// same city every time.
/// </summary>
public static class DemoCity
{
    public const long Cangzhou = 130900000000;
    public const long Qingxian = 130922000000;      // 青县
    public const long Qingzhou = 130922100000;      // 青县清州镇
    public const long Simazhuang = 130922100238;    // 清州镇司马庄村
    public const string Password = "Fangyi2026";

    public sealed record DemoAccount(string Username, string DisplayName, string Role, long Division);

    public static readonly IReadOnlyList<DemoAccount> Accounts =
    [
        new("admin", "沧州市管理员", Roles.Admin, Cangzhou),
        new("qingxian", "青县管理员", Roles.Admin, Qingxian),
        new("qingzhou", "清州镇管理员", Roles.Admin, Qingzhou),
        new("commander", "沧州市指挥中心", Roles.Commander, Cangzhou),
        new("qx_commander", "青县指挥中心", Roles.Commander, Qingxian),
        new("sampler", "司马庄采样员", Roles.Sampler, Simazhuang),
        new("courier", "青县转运员", Roles.Courier, Qingxian),
        new("lab", "青县检测机构", Roles.Lab, Qingxian),
        new("worker", "司马庄网格员", Roles.VillageWorker, Simazhuang),
        new("quarantine", "青县隔离点", Roles.QuarantineStaff, Qingxian),
    ];

    private static readonly string Surnames = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文";
    private static readonly string GivenChars = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉宇浩凯健俊帆帅旭宁龙林欣佳琪梓涵子轩一诺雨桐思远博文建国建华志强海燕春梅秋菊冬梅淑珍凤英";

    public static async Task SeedAsync(Store store, DivisionTree tree, KeyRing keys, AccountService accounts, int residents, TextWriter banner)
    {
        if (await accounts.FindAsync(Accounts[0].Username) is null)
        {
            await accounts.CreateAsync(Accounts.Select(a => new AccountService.NewAccount(a.Username, a.DisplayName, a.Role, a.Division, Password, MustChangePassword: false)).ToList());
        }
        await using (var connection = await store.OpenAsync())
        {
            var count = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM residents");
            if (count == 0)
            {
                await SeedResidentsAsync(store, tree, keys, residents);
            }
            if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM rounds") == 0 && await accounts.FindAsync("sampler") is { } sampler)
            {
                await SeedRoundAsync(connection, sampler.Id);
            }
        }
        await banner.WriteLineAsync($"演示城市：沧州市 (1309)。演示账号（密码均为 {Password}）：");
        foreach (var a in Accounts)
        {
            await banner.WriteLineAsync($"  {a.Username,-11} {Roles.Names[a.Role],-8} {tree.PathName(a.Division)}");
        }
    }

    /// <summary>
    /// A city-wide round open for a week from the seeding, and a site in 司马庄村 whose team is the demo sampler: what
    /// the sampler app and the big screen need to show something once tube and box codes are issued.
    /// </summary>
    private static async Task SeedRoundAsync(System.Data.Common.DbConnection connection, long samplerId)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using var tx = await connection.BeginTransactionAsync();
        await connection.ExecuteAsync(
            "INSERT INTO rounds (name, division, starts_at, ends_at, ratio_low, ratio_medium, ratio_high, created_at) VALUES (@name, @division, @starts, @ends, 10, 5, 1, @now)",
            new { name = "沧州市第一轮全员核酸", division = Cangzhou, starts = now - 3_600_000, ends = now + 7 * 86_400_000L, now }, tx);
        var site = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO sites (name, division, address, created_at) VALUES (@name, @division, @address, @now) RETURNING id",
            new { name = "司马庄村委会采样点", division = Simazhuang, address = "村委会院内", now }, tx);
        var team = await connection.ExecuteScalarAsync<long>(
            "INSERT INTO teams (site_id, name, division) VALUES (@site, @name, @division) RETURNING id", new { site, name = "司马庄第1采样队", division = Simazhuang }, tx);
        await connection.ExecuteAsync("INSERT INTO team_members (team_id, account_id) VALUES (@team, @samplerId)", new { team, samplerId }, tx);
        await tx.CommitAsync();
    }

    /// <summary>A deterministic synthetic population: about 85% registered in their county of birth, the rest floating in from elsewhere.</summary>
    [SuppressMessage("Security", "CA5394", Justification = "Seeded Random makes the same demo population every run; nothing here is secret.")]
    public static IEnumerable<ResidentInput> Population(DivisionTree tree, int count, int seed = 2022)
    {
        var random = new Random(seed);
        var villages = tree.Descendants(Cangzhou).Where(d => d.Level == DivisionLevel.Village).ToList();
        var counties = tree.All.Where(d => d.Level == DivisionLevel.County && tree.RegionExists((int)(d.Code / 1_000_000))).Select(d => (int)(d.Code / 1_000_000)).Order().ToList();
        var used = new HashSet<string>();
        for (var i = 0; i < count; i++)
        {
            var village = villages[random.Next(villages.Count)];
            var registered = random.NextDouble() < 0.85;
            var region = registered ? (int)(village.Code / 1_000_000) : counties[random.Next(counties.Count)];
            string number;
            do
            {
                var birth = new DateOnly(1940, 1, 1).AddDays(random.Next(365 * 82));
                number = IdNumber.Make(region, birth, random.Next(1, 1000));
            }
            while (!used.Add(number));
            var name = string.Concat(Surnames[random.Next(Surnames.Length)].ToString(), GivenChars[random.Next(GivenChars.Length)].ToString(),
                random.Next(3) > 0 ? GivenChars[random.Next(GivenChars.Length)].ToString() : "");
            var phone = "1" + "3578"[random.Next(4)] + random.NextInt64(0, 1_000_000_000).ToString("D9", System.Globalization.CultureInfo.InvariantCulture);
            var tags = random.Next(20) == 0 ? "重点人群" : random.Next(30) == 0 ? "独居老人" : "";
            yield return new ResidentInput(null, number, name, phone, village.Code.ToString(System.Globalization.CultureInfo.InvariantCulture),
                registered ? ResidentRules.RegisteredTag : ResidentRules.FloatingTag, tags);
        }
    }

    private static async Task SeedResidentsAsync(Store store, DivisionTree tree, KeyRing keys, int count)
    {
        var today = DateOnly.FromDateTime(DateTime.Now);
        foreach (var chunk in Population(tree, count).Chunk(5000))
        {
            var prepared = new PreparedResident[chunk.Length];
            Parallel.For(0, chunk.Length, i => prepared[i] = ResidentRules.Prepare(chunk[i], tree, keys, Scope.Everything, today).Resident!);
            await using var connection = await store.OpenAsync();
            await using var tx = await connection.BeginTransactionAsync();
            await ResidentWriter.WriteAsync(connection, tx, store.Dialect, prepared, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), needIds: false);
            await tx.CommitAsync();
        }
    }
}
