namespace Fangyi.Core.Ingest;

/// <summary>Told of every batch after it committed: the status index and the counters listen here.</summary>
public interface IIngestObserver
{
    void OnCommitted(IReadOnlyList<PendingItem> items);
}
