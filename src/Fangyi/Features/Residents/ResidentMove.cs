namespace Fangyi.Features.Residents;

/// <summary>A resident counted in a new division: <c>From</c> is null for someone new to the registry.</summary>
public readonly record struct ResidentMove(long? From, long To);
