namespace Fangyi.Core.Counters;

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
