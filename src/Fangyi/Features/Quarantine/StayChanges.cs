namespace Fangyi.Features.Quarantine;

/// <summary>The kinds of <see cref="StayChange"/>.</summary>
public static class StayChanges
{
    public const string PickedUp = "picked_up";
    public const string Missed = "missed";
    public const string CheckedIn = "checked_in";
    public const string Released = "released";
    public const string ToHospital = "to_hospital";
}
