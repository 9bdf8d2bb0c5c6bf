namespace Fangyi.Core.Timeline;

/// <summary>
/// One event of a person's epidemic picture (采样, 结果, 核验, 接种, 来返, 任务...), as the person page lists it.
/// <paramref name="Tone"/> colours the entry: "ok", "warn", "bad" or empty.
/// </summary>
public sealed record TimelineEntry(long At, string Kind, string Title, string? Detail = null, string Tone = "");
