namespace Fangyi.Features.Screening;

/// <summary>
/// A big-data push (大数据推送) or another office's list: why these people (时空伴随, 涉疫场所, 来自中高风险区...), the time
/// window and place it concerns, whether it is urgent, and the people (over the API at most 1,000; a file for more).
/// </summary>
public sealed record PushRequest(string? ClientId, string? Reason, bool? High, long? WindowFrom, long? WindowTo, string? Place, string? Source, IReadOnlyList<PersonRow>? Rows);
