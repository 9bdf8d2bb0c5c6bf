using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Storage;
using System.Diagnostics;
using Fangyi.Core.Ingest;

namespace Fangyi.Core.Counters;

/// <summary>
/// The live counters of the host: every contributor's metrics per (period, division), kept on one
/// <see cref="CounterBoard"/>, fed by the ingest queue after each commit and read by the command dashboard.
/// <para>
/// At start the board is recounted from the state tables (boxes, tubes, samples, residents), which every
/// capability writes in the same transaction as its events, before the ingest queue commits anything: this host
/// service is registered ahead of the queue. Why not a snapshot plus a replay of the event log after it: replaying
/// needs the custody rules run again (which sample a remove-last took out, which tubes a box seal moved), and the
/// state tables already hold their result; a snapshot would be a second durable copy to keep in step with them
/// for a start-up cost that is a few grouped scans (measured in bench/, DashboardBench).
/// </para>
/// </summary>
public sealed class Counters : IIngestObserver
{
    private readonly ICounterContributor[] _contributors;
    private readonly Dictionary<string, ICounterContributor[]> _byKind;
    private readonly DivisionDirectory _divisions;
    private readonly Store _store;
    private readonly ILogger<Counters> _log;
    private volatile CounterBoard _board;

    public Counters(CounterLayout layout, IEnumerable<ICounterContributor> contributors, DivisionDirectory divisions, Store store, ILogger<Counters> log)
    {
        // Built first: their constructors define the metrics the board is laid out by.
        _contributors = contributors.ToArray();
        layout.Freeze();
        Layout = layout;
        _byKind = _contributors.SelectMany(c => c.Kinds.Select(k => (k, c))).GroupBy(p => p.k).ToDictionary(g => g.Key, g => g.Select(p => p.c).ToArray());
        _divisions = divisions;
        _store = store;
        _log = log;
        _board = new CounterBoard(divisions.Tree, layout);
    }

    public CounterLayout Layout { get; }

    public CounterBoard Board => _board;

    /// <summary>Raised after counters changed (outside the lock): the dashboard's push loop wakes on it.</summary>
    public event EventHandler? Changed;

    /// <summary>How long the last recount took (the start-up cost).</summary>
    public TimeSpan RecountTime { get; private set; }

    /// <summary>Builds a new board from the store and swaps it in. Only safe while nothing is being ingested (at start).</summary>
    public async Task RecountAsync(CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var board = new CounterBoard(_divisions.Tree, Layout);
        foreach (var contributor in _contributors)
        {
            await contributor.RecountAsync(_store, board.Writer, ct);
        }
        _board = board;
        RecountTime = clock.Elapsed;
        Changed?.Invoke(this, EventArgs.Empty);
        _log.LogInformation("Counters recounted from the store in {Seconds:F1} s", clock.Elapsed.TotalSeconds);
    }

    public void OnCommitted(IReadOnlyList<PendingItem> items)
    {
        var board = _board;
        lock (board.Gate)
        {
            foreach (var item in items)
            {
                if (_byKind.TryGetValue(item.Item.Kind, out var contributors))
                {
                    foreach (var contributor in contributors)
                    {
                        contributor.Count(item, board.Writer);
                    }
                }
            }
        }
        Changed?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>A change committed outside the ingest queue, told by the code that committed it.</summary>
    public void Record(object change)
    {
        var board = _board;
        lock (board.Gate)
        {
            foreach (var contributor in _contributors)
            {
                contributor.Count(change, board.Writer);
            }
        }
        Changed?.Invoke(this, EventArgs.Empty);
    }

    /// <summary>Applies deltas directly (benchmarks, and tests that drive the board without a store).</summary>
    public void Update(Action<CounterWriter> write)
    {
        var board = _board;
        lock (board.Gate)
        {
            write(board.Writer);
        }
        Changed?.Invoke(this, EventArgs.Empty);
    }
}
