using Dapper;
using Fangyi.Core.Storage;
using Fangyi.Features.Divisions;

namespace Fangyi.Features.Quarantine;

// The demo city's quarantine site: a hotel in 青县清州镇 with two buildings, 40 single rooms and 10 family rooms of
// three beds, that allows families. Seeded once, into a store with no sites yet.
public static class QuarantineDemo
{
    public const string SiteName = "青县隔离观察酒店";

    public static async Task SeedAsync(IServiceProvider services, TextWriter banner, CancellationToken ct)
    {
        var store = services.GetRequiredService<Store>();
        await using var connection = await store.OpenAsync(ct);
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM quarantine_sites", cancellationToken: ct)) > 0)
        {
            return;
        }
        await using var tx = await connection.BeginTransactionAsync(ct);
        var site = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO quarantine_sites (name, division, address, families, created_at) VALUES (@name, @division, '青县清州镇兴华路88号', 1, @now) RETURNING id",
            new { name = SiteName, division = DemoDivisions.Qingzhou, now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, tx, cancellationToken: ct));
        var rooms = Enumerable.Range(0, 40).Select(i => ("1号楼", i / 10 + 2, $"{i / 10 + 2}{i % 10 + 1:D2}", 1, RoomKinds.SingleRoom))
            .Concat(Enumerable.Range(0, 10).Select(i => ("2号楼", i / 5 + 1, $"{i / 5 + 1}{i % 5 + 1:D2}", 3, RoomKinds.FamilyRoom))).ToList();
        await connection.ExecuteEachAsync(tx,
            "INSERT INTO quarantine_rooms (site_id, building, floor, number, beds, kind, retired) VALUES (@site, @building, @floor, @number, @beds, @kind, 0)",
            ["site", "building", "floor", "number", "beds", "kind"], rooms, r => [site, r.Item1, r.Item2, r.Item3, r.Item4, r.Item5], ct);
        await tx.CommitAsync(ct);
        await banner.WriteLineAsync($"  quarantine: {SiteName}, {rooms.Count} rooms, {rooms.Sum(r => r.Item4)} beds");
    }
}
