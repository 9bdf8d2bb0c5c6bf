using System.Diagnostics.CodeAnalysis;

namespace Fangyi.Core.Counters;

/// <summary>What a counter is counted over: a sampling round, a calendar day (checks, arrivals), or all time (residents).</summary>
[SuppressMessage("Design", "CA1028", Justification = "A byte keeps the in-memory status index and counter keys small; millions of them are held.")]
public enum PeriodKind : byte
{
    Always,
    Round,
    Day,
}

public readonly record struct Period(PeriodKind Kind, long Id)
{
    public static Period Always { get; } = new(PeriodKind.Always, 0);

    public static Period Round(long id) => new(PeriodKind.Round, id);

    /// <summary>A day as yyyymmdd, in the platform's local time.</summary>
    public static Period Day(DateOnly day) => new(PeriodKind.Day, day.Year * 10_000L + day.Month * 100 + day.Day);

    public override string ToString() => Kind switch
    {
        PeriodKind.Always => "always",
        PeriodKind.Round => $"round:{Id}",
        _ => $"day:{Id}",
    };
}

/// <summary>One number kept per division and period (of its kind), by its index in the layout.</summary>
public readonly record struct Metric(int Index, string Name, PeriodKind Kind);

/// <summary>
/// A distribution kept as counts in fixed bins (one metric per bin), so it rolls up the tree like any counter and a
/// division's median or 90th percentile is read from a constant number of bins. Bounds are exclusive upper bounds.
/// </summary>
public sealed class Histogram(string name, PeriodKind kind, int first, long[] bounds)
{
    public string Name { get; } = name;
    public PeriodKind Kind { get; } = kind;
    public int First { get; } = first;
    public IReadOnlyList<long> Bounds { get; } = bounds;
    public int Bins => bounds.Length + 1;

    public int BinOf(long value)
    {
        var i = Array.BinarySearch(bounds, value);
        // Exact hit on a bound belongs to the bin above it (bounds are exclusive).
        return i >= 0 ? i + 1 : ~i;
    }

    public long Count(ReadOnlySpan<long> values)
    {
        long total = 0;
        for (var b = 0; b < Bins; b++)
        {
            total += values[First + b];
        }
        return total;
    }

    /// <summary>The q-quantile, interpolated inside its bin; the open last bin answers its lower bound. Null when empty.</summary>
    public double? Quantile(ReadOnlySpan<long> values, double q)
    {
        var total = Count(values);
        if (total == 0)
        {
            return null;
        }
        var rank = q * total;
        double seen = 0;
        for (var b = 0; b < Bins; b++)
        {
            var n = values[First + b];
            if (n > 0 && seen + n >= rank)
            {
                var low = b == 0 ? 0 : bounds[b - 1];
                if (b == bounds.Length)
                {
                    return low;
                }
                return low + (bounds[b] - low) * Math.Clamp((rank - seen) / n, 0, 1);
            }
            seen += n;
        }
        return bounds.Length == 0 ? 0 : bounds[^1];
    }
}

/// <summary>A count per time bucket of fixed width (samples per 10 minutes), kept per division and period.</summary>
public sealed record Series(int Index, string Name, PeriodKind Kind, long Width);

/// <summary>
/// The metrics, histograms and series every contributor defines at start. The board sizes its per-division cells
/// from it, so it is frozen once the board exists.
/// </summary>
public sealed class CounterLayout
{
    private readonly List<Metric> _metrics = [];
    private readonly Dictionary<string, int> _byName = new(StringComparer.Ordinal);
    private readonly List<Histogram> _histograms = [];
    private readonly List<Series> _series = [];
    private bool _frozen;

    public int MetricCount => _metrics.Count;
    public IReadOnlyList<Metric> Metrics => _metrics;
    public IReadOnlyList<Histogram> Histograms => _histograms;
    public IReadOnlyList<Series> Series => _series;

    public Metric Define(string name, PeriodKind kind)
    {
        if (_frozen)
        {
            throw new InvalidOperationException($"Counter {name} defined after the board was built: define counters in the contributor's constructor.");
        }
        if (!_byName.TryAdd(name, _metrics.Count))
        {
            throw new InvalidOperationException($"Counter {name} is defined twice.");
        }
        var metric = new Metric(_metrics.Count, name, kind);
        _metrics.Add(metric);
        return metric;
    }

    /// <summary>Bins named <c>name#0</c>, <c>name#1</c>...: the '#' marks a metric no screen shows as it is.</summary>
    public Histogram DefineHistogram(string name, PeriodKind kind, params long[] bounds)
    {
        var first = MetricCount;
        for (var b = 0; b <= bounds.Length; b++)
        {
            Define($"{name}#{b}", kind);
        }
        var histogram = new Histogram(name, kind, first, bounds);
        _histograms.Add(histogram);
        return histogram;
    }

    public Series DefineSeries(string name, PeriodKind kind, long width)
    {
        if (_frozen)
        {
            throw new InvalidOperationException($"Series {name} defined after the board was built.");
        }
        var series = new Series(_series.Count, name, kind, width);
        _series.Add(series);
        return series;
    }

    public Metric? Find(string name) => _byName.TryGetValue(name, out var i) ? _metrics[i] : null;

    public Histogram? FindHistogram(string name) => _histograms.FirstOrDefault(h => h.Name == name);

    public Series? FindSeries(string name) => _series.FirstOrDefault(s => s.Name == name);

    internal void Freeze() => _frozen = true;
}
