using Fangyi.Core.Counters;
using Fangyi.Core.Jurisdiction;
using Fangyi.Features.Sampling;

namespace Fangyi.Features.Dashboard;

// Reads screens off the counters: a constant amount of work per division shown, whatever lies beneath it.
public sealed class ScreenViews(Counters counters, DivisionDirectory divisions, TimeProvider clock)
{
    public Counters Counters => counters;

    public DivisionTree Tree => divisions.Tree;

    // Today in China time (UTC+8), as the daily report counts days: the period of per-day counters (checks).
    public Period Today => Period.Day(DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).DateTime));

    public ScreenView Build(RoundInfo round, long division, Scope scope)
    {
        var tree = divisions.Tree;
        var here = tree.Find(division) ?? throw new ArgumentException($"Unknown division {division}", nameof(division));
        var path = tree.Path(division).Where(d => scope.Contains(d.Code)).Select(NodeOf).ToList();
        var children = tree.Children(division).Select(c => new ScreenNode(NodeOf(c), Numbers(round.Id, c.Code))).ToList();
        var board = counters.Board;
        var series = new Dictionary<string, SeriesView>();
        foreach (var s in board.Layout.Series)
        {
            var (from, values) = board.ReadSeries(PeriodOf(s.Kind, round.Id), division, s);
            series[s.Name] = new SeriesView(from, s.Width, values);
        }
        return new ScreenView(round, new ScreenNode(NodeOf(here), Numbers(round.Id, division)), path, children, series, clock.GetUtcNow().ToUnixTimeMilliseconds());
    }

    public DivisionNode NodeOf(Division d) => new(d.Code, d.Name, d.Level.ToString().ToLowerInvariant(), divisions.Tree.Children(d.Code).Count > 0);

    public Period PeriodOf(PeriodKind kind, long roundId) => kind switch
    {
        PeriodKind.Round => Period.Round(roundId),
        PeriodKind.Day => Today,
        _ => Period.Always,
    };

    // A division's numbers for a round: every metric of the layout from its period, turnaround quantiles in minutes.
    public Dictionary<string, double> Numbers(long roundId, long division)
    {
        var board = counters.Board;
        var layout = board.Layout;
        var round = board.ReadAll(Period.Round(roundId), division);
        var today = board.ReadAll(Today, division);
        var always = board.ReadAll(Period.Always, division);
        long[] Of(PeriodKind kind) => kind switch { PeriodKind.Round => round, PeriodKind.Day => today, _ => always };
        var numbers = new Dictionary<string, double>(layout.MetricCount);
        foreach (var metric in layout.Metrics)
        {
            if (!metric.Name.Contains('#', StringComparison.Ordinal))
            {
                numbers[metric.Name] = Of(metric.Kind)[metric.Index];
            }
        }
        foreach (var histogram in layout.Histograms)
        {
            AddQuantiles(numbers, histogram, Of(histogram.Kind));
        }
        return numbers;
    }

    // name.count, and name.p50 and name.p90 in minutes when there is anything to measure.
    public static void AddQuantiles(IDictionary<string, double> numbers, Histogram histogram, ReadOnlySpan<long> values)
    {
        numbers[histogram.Name + ".count"] = histogram.Count(values);
        if (histogram.Quantile(values, 0.5) is { } p50)
        {
            numbers[histogram.Name + ".p50"] = Math.Round(p50 / 60_000, 1);
        }
        if (histogram.Quantile(values, 0.9) is { } p90)
        {
            numbers[histogram.Name + ".p90"] = Math.Round(p90 / 60_000, 1);
        }
    }

    public static RoundInfo InfoOf(SamplingApi.RoundView round) => new(round.Id, round.Name, round.StartsAt, round.EndsAt);
}
