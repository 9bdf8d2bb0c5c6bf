using System.Collections.Concurrent;
using System.Globalization;
using Fangyi.Core.Ingest;

namespace Fangyi.Features.Quarantine;

/// <summary>
/// Quarantine's public API for the capability that decides who goes to a site (Screening): refer people inside the
/// caller's ingest batch, so that a decision and its referral commit together, and withdraw them (a case cleared
/// after all). A referral awaits transfer (待转运) until it is picked up; one open referral a person, and a second
/// referral of someone already referred changes nothing and is no error.
/// </summary>
public static class QuarantineReferrals
{
    public const string Awaiting = "awaiting";       // 待转运
    public const string InTransfer = "in_transfer";  // 转运中
    public const string CheckedIn = "checked_in";    // 已入住
    public const string Withdrawn = "withdrawn";     // 已撤销

    // People whose referral another capability's handler wrote or withdrew: after the batch commits, the status index
    // rebuilds them from the store (QuarantineStatus), which is right whether or not that batch committed.
    internal static ConcurrentQueue<long> Touched { get; } = new();

    public static string TestDaysText(IEnumerable<int> days) => string.Join(",", days.Order().Distinct().Select(d => d.ToString(CultureInfo.InvariantCulture)));

    public static int[] ParseTestDays(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(d => int.Parse(d, CultureInfo.InvariantCulture)).ToArray();

    /// <summary>Whether days and test days make a stay: 1 to 28 days, each test day within them.</summary>
    public static bool Valid(int days, IReadOnlyCollection<int> testDays) => days is >= 1 and <= 28 && testDays.All(d => d >= 1 && d <= days) && testDays.Count <= days;

    public static async Task ReferAsync(IngestBatch batch, IReadOnlyCollection<Referral> referrals, CancellationToken ct = default)
    {
        await batch.WriteEachAsync(
            "INSERT INTO quarantine_referrals (resident_id, division, source, reason, days, test_days, state, created_at) VALUES (@resident, @division, @source, @reason, @days, @tests, 'awaiting', @now) ON CONFLICT DO NOTHING",
            ["resident", "division", "source", "reason", "days", "tests", "now"], referrals,
            r => [r.ResidentId, r.Division, r.Source, r.Reason, r.Days, TestDaysText(r.TestDays), batch.Now], ct);
        foreach (var r in referrals)
        {
            Touched.Enqueue(r.ResidentId);
        }
    }

    /// <summary>Withdraws the referrals of a source that no one has picked up or checked in yet.</summary>
    public static async Task WithdrawAsync(IngestBatch batch, string source, CancellationToken ct = default)
    {
        await batch.FlushAsync(ct);
        var residents = await Dapper.SqlMapper.QueryAsync<long>(batch.Connection, new Dapper.CommandDefinition(
            "SELECT resident_id FROM quarantine_referrals WHERE source = @source AND state = 'awaiting' AND closed_at IS NULL", new { source }, batch.Transaction, cancellationToken: ct));
        await batch.WriteEachAsync(
            "UPDATE quarantine_referrals SET state = 'withdrawn', closed_at = @now WHERE source = @source AND state = 'awaiting' AND closed_at IS NULL",
            ["now", "source"], [source], s => [batch.Now, s], ct);
        await batch.WriteEachAsync(
            "UPDATE transfer_people SET state = 'withdrawn' WHERE resident_id = @resident AND state IN ('waiting', 'missed')",
            ["resident"], residents.ToList(), r => [r], ct);
        foreach (var r in residents)
        {
            Touched.Enqueue(r);
        }
    }
}
