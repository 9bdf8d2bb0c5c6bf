using Dapper;
using Fangyi.Core.Ingest;
using Fangyi.Core.Status;
using Fangyi.Core.Storage;

namespace Fangyi.Features.Quarantine;

// Quarantine's part of the status index: a red hold (集中隔离) for every open referral (until its days would be
// served) and every running stay (until its planned end). Loaded from the store at start and for a refresh; placed
// live as referrals and check-ins commit; lifted on release, a move to hospital or a withdrawal by a refresh, which
// rebuilds the person from every source (a hold can only make a person worse).
public sealed class QuarantineStatus(Store store, StatusIndex index) : IStatusSource, IIngestObserver
{
    public const string Reason = "集中隔离";

    public int Order => 30;

    public async Task LoadAsync(IStatusSink sink, IReadOnlyCollection<long>? residents, CancellationToken ct)
    {
        await using var connection = await store.OpenAsync(ct);
        var referrals = "SELECT resident_id, created_at, created_at + days * 86400000 FROM quarantine_referrals WHERE closed_at IS NULL";
        var stays = "SELECT resident_id, checked_in_at, planned_end FROM quarantine_stays WHERE state = 'in'";
        foreach (var sql in new[] { referrals, stays })
        {
            var rows = residents is null
                ? (await connection.QueryAsync<(long Resident, long Since, long Until)>(new CommandDefinition(sql, cancellationToken: ct))).ToList()
                : await connection.QueryInAsync<(long Resident, long Since, long Until), long>(null, store.Dialect, sql + " AND {in}", "resident_id", residents.ToList(), ct);
            foreach (var (resident, since, until) in rows)
            {
                sink.Hold(resident, HealthColour.Red, since, until + QuarantineDays.Day, Reason);
            }
        }
    }

    public void OnCommitted(IReadOnlyList<PendingItem> items)
    {
        foreach (var item in items)
        {
            if (!item.Accepted)
            {
                continue;
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
                    case StayChanges.CheckedIn:
                        index.Hold(note.ResidentId, HealthColour.Red, item.Item.At, note.HoldUntil + QuarantineDays.Day, Reason);
                        break;
                    case StayChanges.Released:
                    case StayChanges.ToHospital:
                        index.RequestRefresh(note.ResidentId);
                        break;
                }
            }
        }
        while (QuarantineReferrals.Touched.TryDequeue(out var resident))
        {
            index.RequestRefresh(resident);
        }
    }
}
