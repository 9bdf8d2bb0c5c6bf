using Fangyi.Core.Jurisdiction;
using System.Collections.Concurrent;

namespace Fangyi.Core.Counters;

/// <summary>
/// Every counter of every division, per period, already rolled up: a delta to a village is added to the village,
/// its township, county, city and province at once, so reading any division's numbers is one array index (O(1)),
/// whatever the number of samples behind them. Cells exist only for divisions something happened in.
/// <para>
/// One writer at a time, under <see cref="Gate"/>; readers take no lock (a long is read whole on a 64-bit
/// machine, and a node's numbers may be a few microseconds apart from each other, never torn). Each write stamps
/// the metric with the current tick, so <see cref="Collect"/> can hand the push loop exactly what changed since
/// the last tick.
/// </para>
/// </summary>
public sealed class CounterBoard
{
    private readonly Dictionary<long, int> _nodes;
    private readonly long[] _codes;
    private readonly int[] _parents;
    private readonly int _metricCount;
    private readonly int _seriesCount;
    private readonly ConcurrentDictionary<Period, Sheet> _sheets = new();
    private int _tick = 1;

    public CounterBoard(DivisionTree tree, CounterLayout layout)
    {
        Layout = layout;
        _metricCount = layout.MetricCount;
        _seriesCount = layout.Series.Count;
        var all = tree.All.OrderBy(d => d.Code).ToList();
        _nodes = new Dictionary<long, int>(all.Count);
        _codes = new long[all.Count];
        for (var i = 0; i < all.Count; i++)
        {
            _nodes[all[i].Code] = i;
            _codes[i] = all[i].Code;
        }
        _parents = new int[all.Count];
        for (var i = 0; i < all.Count; i++)
        {
            _parents[i] = all[i].Parent is { } parent && _nodes.TryGetValue(parent, out var p) ? p : -1;
        }
        Writer = new CounterWriter(this);
    }

    public CounterLayout Layout { get; }

    /// <summary>Held by whoever writes: the ingest observer, an import's notice, the push loop's collection.</summary>
    public Lock Gate { get; } = new();

    /// <summary>Writes to this board; only while holding <see cref="Gate"/> once the board is shared.</summary>
    public CounterWriter Writer { get; }

    /// <summary>Deltas for codes under no known division (a code the tree does not have, nor any of its ancestors).</summary>
    public long Unplaced { get; private set; }

    public IEnumerable<Period> Periods => _sheets.Keys;

    /// <summary>
    /// The node a code counts at: itself, or the nearest ancestor the tree knows (a village added after the
    /// division table was loaded still counts for its township). -1 when none is known.
    /// </summary>
    public int NodeOf(long code)
    {
        if (_nodes.TryGetValue(code, out var node))
        {
            return node;
        }
        for (var width = 1_000L; width <= 10_000_000_000L; width *= width == 1_000 ? 1_000 : 100)
        {
            if (_nodes.TryGetValue(code / width * width, out node))
            {
                return node;
            }
        }
        return -1;
    }

    public long CodeOf(int node) => _codes[node];

    public long Read(Period period, long division, Metric metric)
    {
        var node = NodeOf(division);
        return node >= 0 && _sheets.TryGetValue(period, out var sheet) && Volatile.Read(ref sheet.Cells[node]) is { } cells ? Volatile.Read(ref cells.Values[metric.Index]) : 0;
    }

    /// <summary>All of a division's numbers for a period, copied (zeros when nothing happened there).</summary>
    public long[] ReadAll(Period period, long division)
    {
        var values = new long[_metricCount];
        ReadAll(period, division, values);
        return values;
    }

    public void ReadAll(Period period, long division, Span<long> into)
    {
        var node = NodeOf(division);
        if (node >= 0 && _sheets.TryGetValue(period, out var sheet) && Volatile.Read(ref sheet.Cells[node]) is { } cells)
        {
            cells.Values.AsSpan().CopyTo(into);
        }
        else
        {
            into[.._metricCount].Clear();
        }
    }

    /// <summary>A division's series for a period: the first bucket (time / width) and the counts from there on.</summary>
    public (long From, long[] Values) ReadSeries(Period period, long division, Series series)
    {
        var node = NodeOf(division);
        if (node >= 0 && _sheets.TryGetValue(period, out var sheet) && Volatile.Read(ref sheet.Cells[node]) is { } cells
            && Volatile.Read(ref cells.Series[series.Index]) is { } line)
        {
            var run = Volatile.Read(ref line.Run);
            return (run.Origin, run.Values.AsSpan(0, run.Length).ToArray());
        }
        return (0, []);
    }

    private Sheet SheetFor(Period period) => _sheets.GetOrAdd(period, _ => new Sheet(_codes.Length));

    internal void Add(Period period, long division, int metric, long amount)
    {
        var node = NodeOf(division);
        if (node < 0)
        {
            Unplaced++;
            return;
        }
        var sheet = SheetFor(period);
        var tick = _tick;
        for (var n = node; n >= 0; n = _parents[n])
        {
            var cells = CellsOf(sheet, n);
            cells.Values[metric] += amount;
            cells.Stamps[metric] = tick;
        }
    }

    internal void AddAt(Period period, long division, Series series, long at, long amount)
    {
        var node = NodeOf(division);
        if (node < 0)
        {
            Unplaced++;
            return;
        }
        var sheet = SheetFor(period);
        var bucket = Math.DivRem(at, series.Width, out var rest) - (rest < 0 ? 1 : 0);
        for (var n = node; n >= 0; n = _parents[n])
        {
            var cells = CellsOf(sheet, n);
            var line = cells.Series[series.Index] ??= new SeriesLine();
            line.Add(bucket, amount);
        }
    }

    private Cells CellsOf(Sheet sheet, int node)
    {
        var cells = sheet.Cells[node];
        if (cells is null)
        {
            cells = new Cells(_metricCount, _seriesCount);
            Volatile.Write(ref sheet.Cells[node], cells);
        }
        if (!cells.Dirty)
        {
            cells.Dirty = true;
            sheet.Dirty.Add(node);
        }
        return cells;
    }

    /// <summary>
    /// What changed since the last call, per period and division: the new values of the metrics written since, and
    /// the buckets of each series from the earliest one written. Starts a new tick. Cost: the divisions touched.
    /// </summary>
    public IReadOnlyList<NodeChange> Collect()
    {
        var changes = new List<NodeChange>();
        lock (Gate)
        {
            var tick = _tick++;
            foreach (var (period, sheet) in _sheets)
            {
                foreach (var node in sheet.Dirty)
                {
                    var cells = sheet.Cells[node]!;
                    cells.Dirty = false;
                    var metrics = new List<(int, long)>();
                    for (var m = 0; m < _metricCount; m++)
                    {
                        if (cells.Stamps[m] == tick)
                        {
                            metrics.Add((m, cells.Values[m]));
                        }
                    }
                    List<SeriesChange>? series = null;
                    for (var s = 0; s < _seriesCount; s++)
                    {
                        if (cells.Series[s] is { DirtyFrom: < long.MaxValue } line)
                        {
                            var run = line.Run;
                            var from = Math.Max(line.DirtyFrom, run.Origin);
                            var offset = (int)(from - run.Origin);
                            (series ??= []).Add(new SeriesChange(s, from, run.Values.AsSpan(offset, run.Length - offset).ToArray()));
                            line.DirtyFrom = long.MaxValue;
                        }
                    }
                    changes.Add(new NodeChange(period, _codes[node], _parents[node] >= 0 ? _codes[_parents[node]] : null, metrics, series ?? []));
                }
                sheet.Dirty.Clear();
            }
        }
        return changes;
    }

    private sealed class Sheet(int nodes)
    {
        public readonly Cells?[] Cells = new Cells?[nodes];
        public readonly List<int> Dirty = [];
    }

    private sealed class Cells(int metrics, int series)
    {
        public readonly long[] Values = new long[metrics];
        public readonly int[] Stamps = new int[metrics];
        public readonly SeriesLine?[] Series = new SeriesLine?[series];
        public bool Dirty;
    }

    // Buckets from Origin on; replaced whole when it grows, so a reader always sees a consistent run.
    private sealed class SeriesRun(long origin, long[] values, int length)
    {
        public readonly long Origin = origin;
        public readonly long[] Values = values;
        public int Length = length;
    }

    private sealed class SeriesLine
    {
        public SeriesRun Run = new(0, [], 0);
        public long DirtyFrom = long.MaxValue;

        public void Add(long bucket, long amount)
        {
            var run = Run;
            if (run.Length == 0)
            {
                run = new SeriesRun(bucket, new long[16], 1);
                Volatile.Write(ref Run, run);
            }
            else if (bucket < run.Origin)
            {
                var shift = (int)(run.Origin - bucket);
                var values = new long[Math.Max(run.Values.Length, run.Length + shift) + 16];
                Array.Copy(run.Values, 0, values, shift, run.Length);
                run = new SeriesRun(bucket, values, run.Length + shift);
                Volatile.Write(ref Run, run);
            }
            else if (bucket - run.Origin >= run.Length)
            {
                var length = (int)(bucket - run.Origin) + 1;
                if (length > run.Values.Length)
                {
                    var values = new long[Math.Max(length, run.Values.Length * 2)];
                    Array.Copy(run.Values, values, run.Length);
                    run = new SeriesRun(run.Origin, values, length);
                    Volatile.Write(ref Run, run);
                }
                else
                {
                    run.Length = length;
                }
            }
            run.Values[bucket - run.Origin] += amount;
            DirtyFrom = Math.Min(DirtyFrom, bucket);
        }
    }
}
