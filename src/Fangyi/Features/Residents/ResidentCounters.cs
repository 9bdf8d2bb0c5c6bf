using Fangyi.Core.Storage;
using Dapper;
using Fangyi.Core.Counters;
using Fangyi.Core.Ingest;
using Fangyi.Features.Sampling;

namespace Fangyi.Features.Residents;

/// <summary>
/// Residents per division, the denominator of sampling coverage: new residents and moves between divisions, whether
/// through the API, registered on the spot at a sampling site, or by a file import in this host. (An import run by
/// the <c>fangyi</c> command in another process is seen at this host's next start.)
/// </summary>
public sealed class ResidentCounters(CounterLayout layout) : ICounterContributor
{
    /// <summary>实有人口 per division, all time: the denominator of coverage on the big screen.</summary>
    public const string Residents = "residents";

    private readonly Metric _residents = layout.Define(Residents, PeriodKind.Always);

    public IReadOnlyCollection<string> Kinds { get; } = [ResidentUpsertHandler.KindName, ScanKinds.AddPerson];

    public void Count(PendingItem item, CounterWriter counters)
    {
        foreach (var change in item.Changes)
        {
            Count(change, counters);
        }
    }

    public void Count(object change, CounterWriter counters)
    {
        if (change is not ResidentsMoved moved)
        {
            return;
        }
        foreach (var move in moved.Moves)
        {
            if (move.From is { } from)
            {
                counters.Add(Period.Always, from, _residents, -1);
            }
            counters.Add(Period.Always, move.To, _residents);
        }
    }

    private sealed class Group
    {
        public long Division { get; init; }
        public long N { get; init; }
    }

    public async Task RecountAsync(Store store, CounterWriter counters, CancellationToken ct)
    {
        await using var connection = await store.OpenAsync(ct);
        foreach (var g in await connection.QueryAsync<Group>(new CommandDefinition(
            "SELECT division AS Division, COUNT(*) AS N FROM residents GROUP BY division", cancellationToken: ct, commandTimeout: 0)))
        {
            counters.Add(Period.Always, g.Division, _residents, g.N);
        }
    }
}
