namespace Fangyi.Core.Counters;

/// <summary>A count per time bucket of fixed width (samples per 10 minutes), kept per division and period.</summary>
public sealed record Series(int Index, string Name, PeriodKind Kind, long Width);
