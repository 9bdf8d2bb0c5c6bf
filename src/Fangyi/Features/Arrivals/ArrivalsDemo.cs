using Dapper;
using Fangyi.Core.Storage;
using Fangyi.Features.Divisions;
using Fangyi.Features.Residents;

namespace Fangyi.Features.Arrivals;

// The demo city's arrival: the ninth showcase resident came to 司马庄村 from 藁城区 (a high-risk area) three days ago.
public static class ArrivalsDemo
{
    public static async Task SeedAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var store = services.GetRequiredService<Store>();
        await using var connection = await store.OpenAsync(ct);
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM arrivals", cancellationToken: ct)) > 0
            || await ResidentsDemo.ShowcaseIdsAsync(services, ct) is not { } ids)
        {
            return;
        }
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeMilliseconds();
        await using var tx = await connection.BeginTransactionAsync(ct);
        await ArrivalRecords.WriteAsync(connection, tx, [new ArrivalRecord(ids[8], DemoDivisions.Gaocheng + 100, now - 72 * 3_600_000L, DemoDivisions.Simazhuang)], now, ct);
        await tx.CommitAsync(ct);
    }
}
