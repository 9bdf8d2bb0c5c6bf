namespace Fangyi.Features.Dashboard;

// What the big screen shows for one round and division: the division's numbers, each child's (the bars to drill
// into), the division's series, and the breadcrumb from the account's own division down to it. Numbers are by
// metric name; a metric no contributor counts is absent, and the screen shows "—" for it.
public sealed record ScreenView(RoundInfo Round, ScreenNode Here, IReadOnlyList<DivisionNode> Path, IReadOnlyList<ScreenNode> Children,
    IReadOnlyDictionary<string, SeriesView> Series, long At);
