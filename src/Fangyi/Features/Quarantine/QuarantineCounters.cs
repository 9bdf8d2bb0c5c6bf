using Dapper;
using Fangyi.Core.Counters;
using Fangyi.Core.Ingest;
using Fangyi.Core.Storage;

namespace Fangyi.Features.Quarantine;

/// <summary>
/// Quarantine's numbers on the big screen: people awaiting transfer and in transfer (by village of residence), occupied
/// beds and beds (by the site's division), check-ins and releases today. Counted from the notes the handler makes and
/// recounted at start from the state tables. Referrals another capability writes through
/// <see cref="QuarantineReferrals"/> are counted at the next start (their batch is not quarantine's to note).
/// </summary>
public sealed partial class QuarantineCounters(CounterLayout layout) : ICounterContributor
{
    private readonly Metric _awaiting = layout.Define(AwaitingTransfer, PeriodKind.Always);
    private readonly Metric _inTransfer = layout.Define(InTransfer, PeriodKind.Always);
    private readonly Metric _occupied = layout.Define(OccupiedBeds, PeriodKind.Always);
    private readonly Metric _beds = layout.Define(Beds, PeriodKind.Always);
    private readonly Metric _checkIns = layout.Define(CheckInsToday, PeriodKind.Day);
    private readonly Metric _releases = layout.Define(ReleasesToday, PeriodKind.Day);

    public IReadOnlyCollection<string> Kinds { get; } = QuarantineKinds.All;

    private static Period DayOf(long at) => Period.Day(DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(at).ToOffset(TimeSpan.FromHours(8)).DateTime));

    public void Count(PendingItem item, CounterWriter counters)
    {
        if (!item.Accepted)
        {
            return;
        }
        foreach (var change in item.Changes)
        {
            if (change is not StayNote note)
            {
                continue;
            }
            switch (note.Kind)
            {
                case "referred":
                    counters.Add(Period.Always, note.Division, _awaiting);
                    break;
                case StayChanges.PickedUp:
                    counters.Add(Period.Always, note.Division, _awaiting, -1);
                    counters.Add(Period.Always, note.Division, _inTransfer);
                    break;
                case "left_" + QuarantineReferrals.Awaiting:
                    counters.Add(Period.Always, note.Division, _awaiting, -1);
                    break;
                case "left_" + QuarantineReferrals.InTransfer:
                    counters.Add(Period.Always, note.Division, _inTransfer, -1);
                    break;
                case StayChanges.CheckedIn:
                    counters.Add(Period.Always, note.Division, _occupied);
                    counters.Add(DayOf(item.Item.At), note.Division, _checkIns);
                    break;
                case StayChanges.Released:
                    counters.Add(Period.Always, note.Division, _occupied, -1);
                    counters.Add(DayOf(item.Item.At), note.Division, _releases);
                    break;
                case StayChanges.ToHospital:
                    counters.Add(Period.Always, note.Division, _occupied, -1);
                    break;
            }
        }
    }

    public async Task RecountAsync(Store store, CounterWriter counters, CancellationToken ct)
    {
        await using var connection = await store.OpenAsync(ct);
        foreach (var (division, state, n) in await connection.QueryAsync<(long, string, long)>(new CommandDefinition(
            "SELECT division, state, COUNT(*) FROM quarantine_referrals WHERE closed_at IS NULL GROUP BY division, state", cancellationToken: ct)))
        {
            counters.Add(Period.Always, division, state == QuarantineReferrals.InTransfer ? _inTransfer : _awaiting, n);
        }
        foreach (var (division, n) in await connection.QueryAsync<(long, long)>(new CommandDefinition(
            "SELECT division, COUNT(*) FROM quarantine_stays WHERE state = 'in' GROUP BY division", cancellationToken: ct)))
        {
            counters.Add(Period.Always, division, _occupied, n);
        }
        foreach (var (division, n) in await connection.QueryAsync<(long, long)>(new CommandDefinition(
            "SELECT s.division, SUM(r.beds) FROM quarantine_rooms r JOIN quarantine_sites s ON s.id = r.site_id WHERE r.retired = 0 GROUP BY s.division", cancellationToken: ct)))
        {
            counters.Add(Period.Always, division, _beds, n);
        }
        // Two days back is enough for "today" in any time zone the host keeps.
        var since = DateTimeOffset.UtcNow.AddDays(-2).ToUnixTimeMilliseconds();
        foreach (var (division, checkedIn, ended, state) in await connection.QueryAsync<(long, long, long?, string)>(new CommandDefinition(
            "SELECT division, checked_in_at, ended_at, state FROM quarantine_stays WHERE checked_in_at >= @since OR ended_at >= @since", new { since }, cancellationToken: ct)))
        {
            if (checkedIn >= since)
            {
                counters.Add(DayOf(checkedIn), division, _checkIns);
            }
            if (state == StayStates.Released && ended >= since)
            {
                counters.Add(DayOf(ended!.Value), division, _releases);
            }
        }
    }
}
