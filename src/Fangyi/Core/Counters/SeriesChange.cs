namespace Fangyi.Core.Counters;

/// <summary>A series' buckets from <c>From</c> (time / width) on, as they now stand.</summary>
public sealed record SeriesChange(int Series, long From, long[] Values);
