using Dapper;
using Fangyi.Core.Storage;
using Fangyi.Core.Timeline;

namespace Fangyi.Features.Vaccination;

/// <summary>A person's vaccine doses on the person page.</summary>
public sealed class VaccinationTimeline(Store store) : ITimelineSource
{
    private sealed record DoseLine
    {
        public long Dose { get; init; }
        public long At { get; init; }
        public string Vaccine { get; init; } = "";
    }

    public async Task<IReadOnlyList<TimelineEntry>> ForResidentAsync(long residentId, CancellationToken ct)
    {
        await using var connection = await store.OpenAsync(ct);
        var doses = await connection.QueryAsync<DoseLine>(new CommandDefinition(
            "SELECT dose AS Dose, at AS At, vaccine AS Vaccine FROM vaccinations WHERE resident_id = @residentId", new { residentId }, cancellationToken: ct));
        return doses.Select(d => new TimelineEntry(d.At, "接种", $"新冠疫苗第{d.Dose}剂", string.IsNullOrEmpty(d.Vaccine) ? null : d.Vaccine, "ok")).ToList();
    }
}
