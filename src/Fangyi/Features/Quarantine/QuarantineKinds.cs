namespace Fangyi.Features.Quarantine;

/// <summary>The ingest kinds quarantine claims: each step at the site and on a transfer is an item with its client id.</summary>
public static class QuarantineKinds
{
    public const string Refer = "referral.create";
    public const string CheckIn = "stay.checkin";
    public const string HealthCheck = "stay.health";
    public const string Release = "stay.release";
    public const string ToHospital = "stay.to_hospital";
    public const string PickUp = "transfer.pickup";
    public const string Missed = "transfer.missed";
    public const string HandOver = "transfer.handover";

    public static readonly IReadOnlyList<string> All = [Refer, CheckIn, HealthCheck, Release, ToHospital, PickUp, Missed, HandOver];
}
