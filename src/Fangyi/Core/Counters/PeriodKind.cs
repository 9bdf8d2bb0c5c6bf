using System.Diagnostics.CodeAnalysis;
namespace Fangyi.Core.Counters;

/// <summary>What a counter is counted over: a sampling round, a calendar day (checks, arrivals), or all time (residents).</summary>
[SuppressMessage("Design", "CA1028", Justification = "A byte keeps the in-memory status index and counter keys small; millions of them are held.")]
public enum PeriodKind : byte
{
    Always,
    Round,
    Day,
}
