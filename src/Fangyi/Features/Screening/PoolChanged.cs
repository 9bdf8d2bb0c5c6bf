namespace Fangyi.Features.Screening;

/// <summary>New cases of a findings write (their divisions and routes) and how many closed cases opened again: for the counters.</summary>
public sealed record PoolChanged(IReadOnlyList<(long Division, string Route)> Created, int Reopened);
