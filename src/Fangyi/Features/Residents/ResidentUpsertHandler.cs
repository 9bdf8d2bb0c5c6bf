using Fangyi.Core.Ingest;

namespace Fangyi.Features.Residents;

// Creates or updates one resident through the ingest queue, so a retried request is one write.
public sealed class ResidentUpsertHandler : IIngestHandler
{
    public const string KindName = "resident.upsert";

    public sealed record Saved(long Id, string Outcome);

    // All a writer learns of a person held elsewhere: that it needs a transfer. Not who, not where.
    public sealed record TransferRequested(string Outcome, long TransferId);

    public IReadOnlyCollection<string> Kinds { get; } = [KindName];

    public async Task ApplyAsync(IngestBatch batch, IReadOnlyList<PendingItem> items, CancellationToken ct)
    {
        var residents = items.Select(i => (PreparedResident)i.Item.Payload).ToList();
        var moves = new List<ResidentMove>();
        var outcomes = await ResidentWriter.WriteAsync(batch.Connection, batch.Transaction, batch.Dialect, residents, batch.Now, needIds: true, moves, ct);
        if (moves.Count > 0)
        {
            items[0].Note(new ResidentsMoved(moves));
        }
        for (var i = 0; i < items.Count; i++)
        {
            var (outcome, id) = outcomes[i];
            if (outcome == WriteOutcome.TransferRequested)
            {
                items[i].Accept(new TransferRequested("transfer_requested", id), 202);
                continue;
            }
            items[i].Accept(new Saved(id, outcome.ToString().ToLowerInvariant()), outcome == WriteOutcome.Created ? 201 : 200);
        }
    }
}
