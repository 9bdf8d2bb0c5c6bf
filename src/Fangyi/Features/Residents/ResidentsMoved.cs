namespace Fangyi.Features.Residents;

/// <summary>Residents who arrived in or moved between divisions with one write, for those who count residents per division.</summary>
public sealed record ResidentsMoved(IReadOnlyList<ResidentMove> Moves);
