namespace Fangyi.Core.Counters;

/// <summary>One number kept per division and period (of its kind), by its index in the layout.</summary>
public readonly record struct Metric(int Index, string Name, PeriodKind Kind);
