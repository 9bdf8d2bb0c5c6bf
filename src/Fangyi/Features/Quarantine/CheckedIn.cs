namespace Fangyi.Features.Quarantine;

/// <summary>The answer to a check-in: the room every person of the group was given, and each one's bed.</summary>
public sealed record CheckedIn(long SiteId, string Site, long RoomId, string Building, long Floor, string Room, string RoomKind, IReadOnlyList<object> Beds);
