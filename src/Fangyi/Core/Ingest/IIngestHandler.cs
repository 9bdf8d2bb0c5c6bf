namespace Fangyi.Core.Ingest;

/// <summary>
/// A feature's code for its kinds of item. It runs inside the batch's transaction and gets every consecutive
/// item of its kinds at once, in order, so it can read and write state for the whole run in a few statements.
/// </summary>
public interface IIngestHandler
{
    IReadOnlyCollection<string> Kinds { get; }

    Task ApplyAsync(IngestBatch batch, IReadOnlyList<PendingItem> items, CancellationToken ct);
}
