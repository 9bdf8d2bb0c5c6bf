namespace Fangyi.Features.Quarantine;

/// <summary>Room kinds (房型): a single room holds one person; a family room the members of one group.</summary>
public static class RoomKinds
{
    public const string SingleRoom = "single";
    public const string FamilyRoom = "family";

    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        [SingleRoom] = "单人间",
        [FamilyRoom] = "家庭间",
    };

    public static string? Parse(string? text) => text?.Trim() switch
    {
        "单人间" or "单人" or SingleRoom => SingleRoom,
        "家庭间" or "家庭" or FamilyRoom => FamilyRoom,
        _ => null,
    };
}
