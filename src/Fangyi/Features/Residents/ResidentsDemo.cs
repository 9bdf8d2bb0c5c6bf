using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Dapper;
using Fangyi.Core.Identity;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Status;
using Fangyi.Core.Storage;
using Fangyi.Features.Divisions;

namespace Fangyi.Features.Residents;

/// <summary>
/// The demo city's population: valid identity numbers spread over Cangzhou's villages, the same people for the same
/// seed every time. Its first <see cref="Showcase"/> people are the ones whose samples, colours, doses and travel
/// make every checkpoint verdict appear; the last of them has the social-security card <see cref="DemoCard"/>.
/// </summary>
public static class ResidentsDemo
{
    /// <summary>How many of the first demo residents the other capabilities give a story.</summary>
    public const int Showcase = 12;

    public const string DemoCard = "A12345678";

    private const string Surnames = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文";
    private const string GivenChars = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉宇浩凯健俊帆帅旭宁龙林欣佳琪梓涵子轩一诺雨桐思远博文建国建华志强海燕春梅秋菊冬梅淑珍凤英";

    /// <summary>A deterministic synthetic population: about 85% registered in their county of birth, the rest floating in from elsewhere.</summary>
    [SuppressMessage("Security", "CA5394", Justification = "Seeded Random makes the same demo population every run; nothing here is secret.")]
    public static IEnumerable<ResidentInput> Population(DivisionTree tree, int count, int seed = 2022)
    {
        var random = new Random(seed);
        var villages = tree.Descendants(DemoDivisions.Cangzhou).Where(d => d.Level == DivisionLevel.Village).ToList();
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
            var phone = "1" + "3578"[random.Next(4)] + random.NextInt64(0, 1_000_000_000).ToString("D9", CultureInfo.InvariantCulture);
            var tags = random.Next(20) == 0 ? "重点人群" : random.Next(30) == 0 ? "独居老人" : "";
            yield return new ResidentInput(null, number, name, phone, village.Code.ToString(CultureInfo.InvariantCulture),
                registered ? ResidentRules.RegisteredTag : ResidentRules.FloatingTag, tags);
        }
    }

    /// <summary>The registry's share of the demo: the population into an empty registry, and the showcase's card.</summary>
    public static async Task SeedAsync(IServiceProvider services, int count, CancellationToken ct = default)
    {
        if (await SeedPopulationAsync(services, count, ct) && await ShowcaseIdsAsync(services, ct) is { } ids)
        {
            var store = services.GetRequiredService<Store>();
            var active = services.GetRequiredService<KeyRing>().Active;
            await using var connection = await store.OpenAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            await SocialSecurityCards.WriteAsync(connection, tx,
                [new CardRecord(ids[Showcase - 1], KeyRing.Hash(active, StatusIndex.SocialSecurityHashType, DemoCard), active.Id, IdNumber.Mask(DemoCard))],
                services.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeMilliseconds(), ct);
            await tx.CommitAsync(ct);
        }
    }

    /// <summary>Writes <paramref name="count"/> demo residents into an empty registry; false when it held someone already.</summary>
    public static async Task<bool> SeedPopulationAsync(IServiceProvider services, int count, CancellationToken ct = default)
    {
        var store = services.GetRequiredService<Store>();
        var tree = services.GetRequiredService<DivisionDirectory>().Tree;
        var keys = services.GetRequiredService<KeyRing>();
        await using (var connection = await store.OpenAsync(ct))
        {
            if (await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM residents", cancellationToken: ct)) > 0)
            {
                return false;
            }
        }
        var today = DateOnly.FromDateTime(DateTime.Now);
        foreach (var chunk in Population(tree, count).Chunk(5000))
        {
            var prepared = new PreparedResident[chunk.Length];
            Parallel.For(0, chunk.Length, i => prepared[i] = ResidentRules.Prepare(chunk[i], tree, keys, Scope.Everything, today).Resident!);
            await using var connection = await store.OpenAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            await ResidentWriter.WriteAsync(connection, tx, store.Dialect, prepared, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), needIds: false, ct: ct);
            await tx.CommitAsync(ct);
        }
        return true;
    }

    /// <summary>The resident ids of the first <see cref="Showcase"/> demo residents, in population order; null unless all of them are registered.</summary>
    public static async Task<long[]?> ShowcaseIdsAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var tree = services.GetRequiredService<DivisionDirectory>().Tree;
        var numbers = Population(tree, Showcase).Select(p => p.IdNumber!).ToList();
        var ids = await services.GetRequiredService<ResidentLookups>().IdsByNumberAsync(services.GetRequiredService<KeyRing>(), numbers, ct);
        return ids.Any(id => id == 0) ? null : ids;
    }
}
