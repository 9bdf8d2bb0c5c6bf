using Fangyi.Core.Ingest;

namespace Fangyi.Features.Sampling;

// Applies sampling and custody scans in batches. For each run of scans it reads the boxes, tubes, samples,
// rounds, sites and people involved in a handful of queries, lets each scan apply itself in order against that
// state (so ten people added to one tube in one batch see each other), and writes what changed. Every rule of the
// chain of custody is enforced here, on the server, whatever the phone believed.
public sealed class SamplingHandler(Screening.ScreeningHandler screening) : IIngestHandler
{
    public IReadOnlyCollection<string> Kinds => ScanKinds.All;

    public async Task ApplyAsync(IngestBatch batch, IReadOnlyList<PendingItem> items, CancellationToken ct)
    {
        var state = await SamplingStateLoader.LoadAsync(batch, items, ct);
        foreach (var item in items)
        {
            ((Scan)item.Item.Payload).Apply(state, item, batch.Now);
        }
        await SamplingWrites.WriteAsync(batch, state, ct);
        // The people of a positive tube enter the to-be-screened pool in the same transaction as the result.
        foreach (var found in state.Positives.GroupBy(p => p.Item))
        {
            await screening.AddFindingsAsync(batch, found.Select(p => p.Finding).ToList(), found.Key, ct);
        }
    }
}
