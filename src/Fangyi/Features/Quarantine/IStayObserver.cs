using Fangyi.Core.Ingest;

namespace Fangyi.Features.Quarantine;

/// <summary>
/// Hears every change of a stay inside the ingest batch that makes it (Screening: a release starts home monitoring).
/// Zero or more are registered in DI; quarantine works with none.
/// </summary>
public interface IStayObserver
{
    Task StaysChangedAsync(IngestBatch batch, IReadOnlyList<StayChange> changes, CancellationToken ct);
}
