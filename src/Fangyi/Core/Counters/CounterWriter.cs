namespace Fangyi.Core.Counters;

/// <summary>The one way contributors change counters: deltas by period, division (any level; rolled up) and metric.</summary>
public sealed class CounterWriter
{
    private readonly CounterBoard _board;

    internal CounterWriter(CounterBoard board) => _board = board;

    public void Add(Period period, long division, Metric metric, long amount = 1)
    {
        if (amount != 0)
        {
            _board.Add(period, division, metric.Index, amount);
        }
    }

    /// <summary>One more (or, with -1, one fewer) observation of a value in a histogram's bins.</summary>
    public void Observe(Period period, long division, Histogram histogram, long value, long amount = 1) =>
        _board.Add(period, division, histogram.First + histogram.BinOf(value), amount);

    public void AddAt(Period period, long division, Series series, long at, long amount = 1)
    {
        if (amount != 0)
        {
            _board.AddAt(period, division, series, at, amount);
        }
    }
}
