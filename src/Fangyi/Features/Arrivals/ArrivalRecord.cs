namespace Fangyi.Features.Arrivals;

/// <summary>One arrival (来返): the person, the division they came from, when, and the division they live in.</summary>
public sealed record ArrivalRecord(long ResidentId, long From, long ArrivedAt, long Division);
