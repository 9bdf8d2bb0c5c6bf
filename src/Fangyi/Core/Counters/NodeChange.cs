namespace Fangyi.Core.Counters;

/// <summary>What changed in one division and period since the last collection: new absolute values, not increments.</summary>
public sealed record NodeChange(Period Period, long Division, long? Parent, IReadOnlyList<(int Metric, long Value)> Metrics, IReadOnlyList<SeriesChange> Series);
