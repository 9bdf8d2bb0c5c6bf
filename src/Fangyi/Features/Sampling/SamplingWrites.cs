using Fangyi.Core.Ingest;
using Fangyi.Core.Storage;
using Fangyi.Features.Tasks;

namespace Fangyi.Features.Sampling;

// Writes what a batch of scans changed: each kind of row with one statement run once per row, new samples with one
// bulk insert; on PostgreSQL all of it goes to the server with the batch's event rows, in one trip.
internal static class SamplingWrites
{
    private static readonly BulkInsert<SampleRow> Samples = new BulkInsert<SampleRow>("samples")
        .Column("tube_code", r => r.TubeCode)
        .Column("resident_id", r => r.ResidentId)
        .Column("division", r => r.Division)
        .Column("round_id", r => r.RoundId)
        .Column("sampled_at", r => r.SampledAt)
        .Column("removed", r => r.Removed)
        .Column("repeat_in_round", r => r.RepeatInRound);

    public static async Task WriteAsync(IngestBatch batch, SamplingState s, CancellationToken ct)
    {
        await batch.WriteEachAsync(
            "INSERT INTO boxes (code, round_id, site_id, division, state, tubes, people, opened_at) VALUES (@code, @round, @site, @division, @state, @tubes, @people, @opened)",
            ["code", "round", "site", "division", "state", "tubes", "people", "opened"], s.Boxes.Values.Where(b => b.IsNew).ToList(),
            b => [b.Code, b.RoundId, b.SiteId, b.Division, b.State, b.Tubes, b.People, b.OpenedAt], ct);
        await batch.WriteEachAsync(
            "UPDATE boxes SET state = @state, tubes = @tubes, people = @people, sealed_at = @sealed, picked_at = @picked, received_at = @received, received_tubes = @counted, discrepancy = @discrepancy, reconciled_at = @reconciled, tubes_done = @done WHERE code = @code",
            ["state", "tubes", "people", "sealed", "picked", "received", "counted", "discrepancy", "reconciled", "done", "code"], s.Boxes.Values.Where(b => b.Dirty && !b.IsNew).ToList(),
            b => [b.State, b.Tubes, b.People, b.SealedAt, b.PickedAt, b.ReceivedAt, b.ReceivedTubes, b.Discrepancy, b.ReconciledAt, b.TubesDone, b.Code], ct);
        await batch.WriteEachAsync(
            "INSERT INTO tubes (code, box_code, round_id, site_id, division, capacity, people, state, opened_at, sealed_at) VALUES (@code, @box, @round, @site, @division, @capacity, @people, @state, @opened, @sealed)",
            ["code", "box", "round", "site", "division", "capacity", "people", "state", "opened", "sealed"], s.Tubes.Values.Where(t => t.IsNew).ToList(),
            t => [t.Code, t.BoxCode, t.RoundId, t.SiteId, t.Division, t.Capacity, t.People, t.State, t.OpenedAt, t.SealedAt], ct);
        await batch.WriteEachAsync(
            "UPDATE tubes SET people = @people, state = @state, sealed_at = @sealed, received_at = @received, resulted_at = @resulted, result = @result, ct = @ct WHERE code = @code",
            ["people", "state", "sealed", "received", "resulted", "result", "ct", "code"], s.Tubes.Values.Where(t => t.Dirty && !t.IsNew).ToList(),
            t => [t.People, t.State, t.SealedAt, t.ReceivedAt, t.ResultedAt, t.Result, t.Ct, t.Code], ct);
        var samples = s.Tubes.Values.SelectMany(t => t.Samples).Concat(s.Elsewhere).ToList();
        await batch.InsertAsync(Samples, samples.Where(x => x.IsNew).ToList(), ct);
        await batch.WriteEachAsync("UPDATE samples SET removed = @removed, repeat_in_round = @repeat, result = @result, resulted_at = @resulted WHERE id = @id",
            ["removed", "repeat", "result", "resulted", "id"], samples.Where(x => x.Dirty && !x.IsNew).ToList(), x => [x.Removed, x.RepeatInRound, x.Result, x.ResultedAt, x.Id], ct);
        // A corrected result withdraws the tasks the wrong one opened before it opens its own (below).
        await TaskBoard.WithdrawAsync(batch, s.WithdrawnTasks, ct);
        await TaskBoard.CloseSampledAsync(batch, s.Sampled, ct);
        await batch.WriteEachAsync(
            "INSERT INTO box_discrepancies (box_code, tube_code, kind, account_id, recorded_at) VALUES (@box, @tube, @kind, @account, @now)",
            ["box", "tube", "kind", "account", "now"], s.Discrepancies, d => [d.Box, d.Tube, d.Kind, d.Account, batch.Now], ct);
        await batch.WriteEachAsync(
            "INSERT INTO result_corrections (tube_code, old_result, old_ct, new_result, new_ct, reason, account_id, corrected_at) VALUES (@tube, @old, @oldCt, @new, @newCt, @reason, @account, @now)",
            ["tube", "old", "oldCt", "new", "newCt", "reason", "account", "now"], s.Corrections,
            c => [c.Tube, c.OldResult, c.OldCt, c.NewResult, c.NewCt, c.Reason, c.Account, batch.Now], ct);
        await TaskBoard.OpenAsync(batch, s.RetestTasks, ct);
    }
}
