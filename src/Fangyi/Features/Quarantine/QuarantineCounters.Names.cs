namespace Fangyi.Features.Quarantine;

/// <summary>Quarantine's metric names, which the big screen reads.</summary>
public sealed partial class QuarantineCounters
{
    // Levels (all time), where the person lives.
    public const string AwaitingTransfer = "quarantine.awaiting_transfer";  // 待转运
    public const string InTransfer = "quarantine.in_transfer";              // 转运中

    // Levels (all time), where the site is.
    public const string OccupiedBeds = "quarantine.occupied_beds";          // 在隔人数（占用床位）
    public const string Beds = "quarantine.beds";                           // 床位总数 (recounted at start; rooms are set up outside the ingest)

    // Per day (China time), where the site is.
    public const string CheckInsToday = "quarantine.checkins";              // 今日入住
    public const string ReleasesToday = "quarantine.releases";              // 今日解除隔离
}
