namespace Fangyi.Features.Screening;

/// <summary>A case decided, for the counters.</summary>
public sealed record CaseDecided(long Division, string Category, string State);
