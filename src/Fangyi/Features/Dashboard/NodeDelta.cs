namespace Fangyi.Features.Dashboard;

// One division's changed numbers in a push: absolute values, so a lost or repeated message does no harm.
public sealed record NodeDelta(long Code, IReadOnlyDictionary<string, double> Numbers, IReadOnlyDictionary<string, SeriesView>? Series);
