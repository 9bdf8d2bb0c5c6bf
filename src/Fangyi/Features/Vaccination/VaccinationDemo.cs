using Dapper;
using Fangyi.Core.Storage;
using Fangyi.Features.Residents;

namespace Fangyi.Features.Vaccination;

// The demo city's doses: two for each showcase resident but the eighth and the tenth (none), three for the first.
public static class VaccinationDemo
{
    private static readonly int[] Vaccinated = [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11];

    public static async Task SeedAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var store = services.GetRequiredService<Store>();
        await using var connection = await store.OpenAsync(ct);
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM vaccinations", cancellationToken: ct)) > 0
            || await ResidentsDemo.ShowcaseIdsAsync(services, ct) is not { } ids)
        {
            return;
        }
        const long day = 86_400_000;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeMilliseconds();
        var doses = Vaccinated.SelectMany(p => Enumerable.Range(1, p == 0 ? 3 : 2).Select(dose => new DoseRecord(ids[p], dose, now - (400 - dose * 30) * day, "新冠病毒灭活疫苗（Vero细胞）"))).ToList();
        await using var tx = await connection.BeginTransactionAsync(ct);
        await VaccinationRecords.WriteAsync(connection, tx, doses, now, ct);
        await tx.CommitAsync(ct);
    }
}
