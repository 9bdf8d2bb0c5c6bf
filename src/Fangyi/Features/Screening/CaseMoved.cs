namespace Fangyi.Features.Screening;

/// <summary>A case that moved between divisions (handover, assignment, merge).</summary>
public sealed record CaseMoved(long From, long To);
