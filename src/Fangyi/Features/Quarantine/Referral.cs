namespace Fangyi.Features.Quarantine;

/// <summary>
/// A person referred to centralised quarantine (集中隔离): the village of residence, what referred them (a screening
/// case, "case:42"), the reason in Chinese (密切接触者), the days of the stay and the days of the stay to test on (day
/// 1 is the check-in day).
/// </summary>
public sealed record Referral(long ResidentId, long Division, string Source, string Reason, int Days, int[] TestDays);
