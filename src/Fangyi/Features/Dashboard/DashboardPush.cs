using System.Diagnostics;
using Fangyi.Core.Counters;
using Microsoft.AspNetCore.SignalR;

namespace Fangyi.Features.Dashboard;

// Pushes what changed to the screens, at the pace PushPace keeps: right away after a quiet spell, and at
// most once a second while events keep coming. Each group (round, division) gets only its division's and its
// children's changes; each changed node's numbers are put together once and shared by every group that shows it.
public sealed class DashboardPush(Counters counters, ScreenViews views, ScreenWatchers watchers, IHubContext<DashboardHub> hub, TimeProvider clock, ILogger<DashboardPush> log) : BackgroundService
{
    private readonly PushPace _pace = new(clock);
    private long _busyTicks;

    // Pushes made (collections that had screens to send to).
    public long Pushes { get; private set; }

    // Time the loop spent collecting, composing and handing messages to SignalR.
    public TimeSpan Busy => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _busyTicks));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        EventHandler wake = (_, _) => _pace.Wake();
        counters.Changed += wake;
        try
        {
            await _pace.RunAsync(PushOrLogAsync, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        finally
        {
            counters.Changed -= wake;
        }
    }

    // A push; a failed one is logged and spaces the next like one that sent.
    private async Task<bool> PushOrLogAsync(CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await PushAsync(ct);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            log.LogError(error, "Dashboard push failed; the next change tries again");
            return true;
        }
        finally
        {
            Interlocked.Add(ref _busyTicks, Stopwatch.GetTimestamp() - started);
        }
    }

    // Sends the changes collected since the last push; false when there was nothing for any screen.
    private async Task<bool> PushAsync(CancellationToken ct)
    {
        var changes = counters.Board.Collect();
        var groups = watchers.Groups.ToList();
        if (changes.Count == 0 || groups.Count == 0)
        {
            return false;
        }
        Pushes++;
        var today = views.Today;
        var byDivision = new Dictionary<long, List<NodeChange>>();
        var byParent = new Dictionary<long, List<NodeChange>>();
        foreach (var change in changes)
        {
            if (change.Period.Kind == PeriodKind.Day && change.Period != today)
            {
                continue;
            }
            Index(byDivision, change.Division, change);
            if (change.Parent is { } parent)
            {
                Index(byParent, parent, change);
            }
        }
        var composed = new Dictionary<(long Round, long Code, bool WithSeries), NodeDelta>();
        var sends = new List<Task>(groups.Count);
        foreach (var group in groups)
        {
            var nodes = new List<NodeDelta>();
            if (Compose(group.Round, group.Division, byDivision, composed, withSeries: true) is { } own)
            {
                nodes.Add(own);
            }
            if (byParent.TryGetValue(group.Division, out var children))
            {
                foreach (var code in children.Select(c => c.Division).Distinct())
                {
                    if (Compose(group.Round, code, byDivision, composed, withSeries: false) is { } child)
                    {
                        nodes.Add(child);
                    }
                }
            }
            if (nodes.Count > 0)
            {
                sends.Add(hub.Clients.Group(group.Group).SendAsync(DashboardHub.DeltaMethod,
                    new ScreenDelta(group.Round, group.Division, nodes, clock.GetUtcNow().ToUnixTimeMilliseconds()), ct));
            }
        }
        await Task.WhenAll(sends);
        return sends.Count > 0;
    }

    private static void Index(Dictionary<long, List<NodeChange>> index, long key, NodeChange change)
    {
        if (!index.TryGetValue(key, out var list))
        {
            index[key] = list = [];
        }
        list.Add(change);
    }

    // A division's changes that concern a round's screen: that round's, all-time and today's.
    private NodeDelta? Compose(long round, long code, Dictionary<long, List<NodeChange>> byDivision, Dictionary<(long, long, bool), NodeDelta> composed, bool withSeries)
    {
        if (composed.TryGetValue((round, code, withSeries), out var done))
        {
            return done;
        }
        if (!byDivision.TryGetValue(code, out var changes))
        {
            return null;
        }
        var layout = counters.Layout;
        var numbers = new Dictionary<string, double>();
        Dictionary<string, SeriesView>? series = null;
        foreach (var change in changes)
        {
            if (change.Period.Kind == PeriodKind.Round && change.Period.Id != round)
            {
                continue;
            }
            var binsChanged = false;
            foreach (var (metric, value) in change.Metrics)
            {
                var name = layout.Metrics[metric].Name;
                if (name.Contains('#', StringComparison.Ordinal))
                {
                    binsChanged = true;
                }
                else
                {
                    numbers[name] = value;
                }
            }
            if (binsChanged)
            {
                var values = counters.Board.ReadAll(change.Period, code);
                foreach (var histogram in layout.Histograms.Where(h => h.Kind == change.Period.Kind))
                {
                    ScreenViews.AddQuantiles(numbers, histogram, values);
                }
            }
            if (withSeries)
            {
                foreach (var s in change.Series)
                {
                    var definition = layout.Series[s.Series];
                    (series ??= [])[definition.Name] = new SeriesView(s.From, definition.Width, s.Values);
                }
            }
        }
        var delta = numbers.Count > 0 || series is not null ? new NodeDelta(code, numbers, series) : null;
        composed[(round, code, withSeries)] = delta!;
        return delta;
    }
}
