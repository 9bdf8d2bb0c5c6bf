namespace Fangyi.Features.Screening;

/// <summary>The answer to a step on a case: where it stands now.</summary>
public sealed record CaseChanged(long Id, string State, long Division, long? HandoverTo, long? HoldUntil, long At);
