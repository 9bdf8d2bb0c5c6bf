namespace Fangyi.Core.Counters;

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
