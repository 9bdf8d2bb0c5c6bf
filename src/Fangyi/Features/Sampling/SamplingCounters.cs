using Fangyi.Core.Storage;
using Dapper;
using Fangyi.Core.Counters;
using Fangyi.Core.Ingest;

using Fangyi.Core.Status;

namespace Fangyi.Features.Sampling;

/// <summary>
/// Sampling's counters per round: samples, people and results where people live; boxes and tubes per custody state,
/// the lab's backlog and turnaround where the site is; samples per ten minutes. Counted from the changes the
/// sampling handler notes on each accepted scan, and recounted from the boxes, tubes and samples tables at start.
/// </summary>
public sealed partial class SamplingCounters : ICounterContributor
{
    private readonly Metric _samples, _people, _backlog;
    private readonly Dictionary<string, Metric> _results = [];
    private readonly Dictionary<string, Metric> _tubeResults = [];
    private readonly Dictionary<string, Metric> _boxes = [];
    private readonly Dictionary<string, Metric> _tubes = [];
    private readonly Histogram _toLab, _inLab, _total;
    private readonly Series _perTenMinutes;

    public SamplingCounters(CounterLayout layout)
    {
        const PeriodKind round = PeriodKind.Round;
        _samples = layout.Define(Samples, round);
        _people = layout.Define(People, round);
        foreach (var result in new[] { SampleResults.Negative, SampleResults.Positive, SampleResults.MixedPositive, SampleResults.Invalid })
        {
            _results[result] = layout.Define("results." + result, round);
            _tubeResults[result] = layout.Define("tubes_result." + result, round);
        }
        foreach (var state in BoxStates.Names.Keys)
        {
            _boxes[state] = layout.Define(BoxesPrefix + state, round);
        }
        foreach (var state in TubeStates.Names.Keys)
        {
            _tubes[state] = layout.Define(TubesPrefix + state, round);
        }
        _backlog = layout.Define(LabBacklogPeople, round);
        _toLab = layout.DefineHistogram(ToLab, round, TurnaroundBounds);
        _inLab = layout.DefineHistogram(InLab, round, TurnaroundBounds);
        _total = layout.DefineHistogram(Total, round, TurnaroundBounds);
        _perTenMinutes = layout.DefineSeries(PerTenMinutes, round, TenMinutes);
    }

    public IReadOnlyCollection<string> Kinds => ScanKinds.All;

    public void Count(PendingItem item, CounterWriter counters)
    {
        foreach (var change in item.Changes)
        {
            if (change is CustodyChange custody)
            {
                Count(custody, counters);
            }
        }
    }

    /// <summary>One change as deltas; public so a benchmark can feed the board without a store.</summary>
    public void Count(CustodyChange change, CounterWriter counters)
    {
        var round = Period.Round(change.RoundId);
        var site = change.Division;
        switch (change)
        {
            case BoxOpened:
                counters.Add(round, site, _boxes[BoxStates.Open]);
                break;
            case TubeOpened:
                counters.Add(round, site, _tubes[TubeStates.Open]);
                break;
            case PersonSampled c:
                counters.Add(round, c.Residence, _samples);
                counters.AddAt(round, c.Residence, _perTenMinutes, c.At);
                if (c.FirstInRound)
                {
                    counters.Add(round, c.Residence, _people);
                }
                break;
            case SampleRemoved c:
                counters.Add(round, c.Residence, _samples, -1);
                counters.AddAt(round, c.Residence, _perTenMinutes, c.SampledAt, -1);
                if (c.PersonGone)
                {
                    counters.Add(round, c.Residence, _people, -1);
                }
                if (c.CountedAt is { } other)
                {
                    counters.Add(round, other, _people);
                }
                break;
            case TubeSealed:
                Move(counters, round, site, _tubes[TubeStates.Open], _tubes[TubeStates.Sealed], 1);
                break;
            case BoxSealed c:
                Move(counters, round, site, _boxes[BoxStates.Open], _boxes[BoxStates.Sealed], 1);
                Move(counters, round, site, _tubes[TubeStates.Sealed], _tubes[TubeStates.Boxed], c.Tubes);
                break;
            case BoxPickedUp:
                Move(counters, round, site, _boxes[BoxStates.Sealed], _boxes[BoxStates.InTransit], 1);
                break;
            case BoxReceived c:
                Move(counters, round, site, _boxes[BoxStates.InTransit], _boxes[BoxStates.Received], 1);
                foreach (var tube in c.Tubes)
                {
                    Move(counters, round, site, _tubes[tube.FromState], _tubes[TubeStates.Received], 1);
                    counters.Add(round, site, _backlog, tube.People);
                    if (tube.SealedAt is { } sealedAt)
                    {
                        counters.Observe(round, site, _toLab, c.At - sealedAt);
                    }
                }
                break;
            case BoxReconciled c:
                foreach (var tube in c.Rejected)
                {
                    Move(counters, round, site, _tubes[TubeStates.Received], _tubes[TubeStates.Rejected], 1);
                    counters.Add(round, site, _backlog, -tube.People);
                }
                foreach (var box in c.Box)
                {
                    Move(counters, round, site, _boxes[box.From], _boxes[box.To], 1);
                }
                break;
            case ResultCorrected c:
                Move(counters, round, site, _tubeResults[TubeResultKey(c.OldResult, c.Mixed)], _tubeResults[TubeResultKey(c.NewResult, c.Mixed)], 1);
                foreach (var sample in c.Before)
                {
                    counters.Add(round, sample.Residence, _results[sample.Result], -1);
                }
                foreach (var sample in c.Samples)
                {
                    counters.Add(round, sample.Residence, _results[sample.Result]);
                }
                break;
            case TubeResulted c:
                Move(counters, round, site, _tubes[TubeStates.Received], _tubes[TubeStates.Resulted], 1);
                counters.Add(round, site, _backlog, -c.People);
                counters.Add(round, site, _tubeResults[c.Result == SampleResults.Positive && c.Mixed ? SampleResults.MixedPositive : c.Result]);
                foreach (var sample in c.Samples)
                {
                    counters.Add(round, sample.Residence, _results[sample.Result]);
                }
                foreach (var box in c.Box)
                {
                    Move(counters, round, site, _boxes[box.From], _boxes[box.To], 1);
                }
                if (c.ReceivedAt is { } receivedAt)
                {
                    counters.Observe(round, site, _inLab, c.At - receivedAt);
                }
                if (c.SealedAt is { } sealedAt2)
                {
                    counters.Observe(round, site, _total, c.At - sealedAt2);
                }
                break;
        }
    }

    private static string TubeResultKey(string result, bool mixed) => result == SampleResults.Positive && mixed ? SampleResults.MixedPositive : result;

    private static void Move(CounterWriter counters, Period round, long division, Metric from, Metric to, long amount)
    {
        counters.Add(round, division, from, -amount);
        counters.Add(round, division, to, amount);
    }

    private sealed class SampleGroup
    {
        public long Round { get; init; }
        public long Division { get; init; }
        public long Bucket { get; init; }
        public string? Result { get; init; }
        public bool Repeat { get; init; }
        public long N { get; init; }
    }

    private sealed class TubeGroup
    {
        public long Round { get; init; }
        public long Division { get; init; }
        public string State { get; init; } = "";
        public string? Result { get; init; }
        public long Mixed { get; init; }
        public long N { get; init; }
        public long People { get; init; }
    }

    private sealed class BinGroup
    {
        public long Round { get; init; }
        public long Division { get; init; }
        public long Bin { get; init; }
        public long N { get; init; }
    }

    private sealed class BoxGroup
    {
        public long Round { get; init; }
        public long Division { get; init; }
        public string State { get; init; } = "";
        public long N { get; init; }
    }

    /// <summary>Grouped scans of the state tables: the same numbers the deltas keep, from what is stored.</summary>
    public async Task RecountAsync(Store store, CounterWriter counters, CancellationToken ct)
    {
        await using var connection = await store.OpenAsync(ct);
        var width = _perTenMinutes.Width;
        foreach (var g in await connection.QueryAsync<SampleGroup>(new CommandDefinition(
            $"""
            SELECT round_id AS Round, division AS Division, sampled_at / {width} AS Bucket, result AS Result, repeat_in_round AS Repeat, COUNT(*) AS N
            FROM samples WHERE removed = FALSE
            GROUP BY round_id, division, sampled_at / {width}, result, repeat_in_round
            """, cancellationToken: ct, commandTimeout: 0)))
        {
            var round = Period.Round(g.Round);
            counters.Add(round, g.Division, _samples, g.N);
            counters.AddAt(round, g.Division, _perTenMinutes, g.Bucket * width, g.N);
            if (!g.Repeat)
            {
                counters.Add(round, g.Division, _people, g.N);
            }
            if (g.Result is not null && _results.TryGetValue(g.Result, out var result))
            {
                counters.Add(round, g.Division, result, g.N);
            }
        }
        foreach (var g in await connection.QueryAsync<TubeGroup>(new CommandDefinition(
            """
            SELECT round_id AS Round, division AS Division, state AS State, result AS Result, CASE WHEN capacity > 1 THEN 1 ELSE 0 END AS Mixed, COUNT(*) AS N, SUM(people) AS People
            FROM tubes GROUP BY round_id, division, state, result, CASE WHEN capacity > 1 THEN 1 ELSE 0 END
            """, cancellationToken: ct, commandTimeout: 0)))
        {
            var round = Period.Round(g.Round);
            counters.Add(round, g.Division, _tubes[g.State], g.N);
            if (g.State == TubeStates.Received)
            {
                counters.Add(round, g.Division, _backlog, g.People);
            }
            if (g.Result is not null)
            {
                counters.Add(round, g.Division, _tubeResults[g.Result == SampleResults.Positive && g.Mixed == 1 ? SampleResults.MixedPositive : g.Result], g.N);
            }
        }
        foreach (var (histogram, from, to) in new[] { (_toLab, "sealed_at", "received_at"), (_inLab, "received_at", "resulted_at"), (_total, "sealed_at", "resulted_at") })
        {
            var bin = Bins($"{to} - {from}", histogram);
            foreach (var g in await connection.QueryAsync<BinGroup>(new CommandDefinition(
                $"SELECT round_id AS Round, division AS Division, {bin} AS Bin, COUNT(*) AS N FROM tubes WHERE {from} IS NOT NULL AND {to} IS NOT NULL GROUP BY round_id, division, {bin}",
                cancellationToken: ct, commandTimeout: 0)))
            {
                counters.Add(Period.Round(g.Round), g.Division, new Metric(histogram.First + (int)g.Bin, histogram.Name, PeriodKind.Round), g.N);
            }
        }
        foreach (var g in await connection.QueryAsync<BoxGroup>(new CommandDefinition(
            "SELECT round_id AS Round, division AS Division, state AS State, COUNT(*) AS N FROM boxes GROUP BY round_id, division, state", cancellationToken: ct, commandTimeout: 0)))
        {
            counters.Add(Period.Round(g.Round), g.Division, _boxes[g.State], g.N);
        }
    }

    // The histogram's bin of a duration, in SQL: the same bins Histogram.BinOf gives.
    private static string Bins(string expression, Histogram histogram) =>
        "CASE " + string.Concat(histogram.Bounds.Select((bound, i) => $"WHEN {expression} < {bound} THEN {i} ")) + $"ELSE {histogram.Bounds.Count} END";
}
