namespace Fangyi.Core.Counters;

/// <summary>What a counter is counted over: a sampling round, a calendar day (checks, arrivals), or all time (residents).</summary>
public enum PeriodKind : byte
{
    Always,
    Round,
    Day,
}
