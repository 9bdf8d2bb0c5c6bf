using Fangyi.Core.Storage;
using Fangyi.Core.Ingest;

namespace Fangyi.Core.Counters;

/// <summary>
/// One capability's part of the counters: it defines its metrics (in its constructor, through the
/// <see cref="CounterLayout"/>), turns each committed ingest item of its kinds into deltas, and recounts them from
/// its state tables at start. Registered in DI as <c>ICounterContributor</c>; the board and the screens need no
/// change when one is added.
/// </summary>
public interface ICounterContributor
{
    /// <summary>The ingest kinds whose committed items it is shown.</summary>
    IReadOnlyCollection<string> Kinds { get; }

    /// <summary>
    /// Counts one committed item, accepted or refused, with the changes its handler noted. Runs on the ingest
    /// writer's loop under the board's lock: a few array additions, no I/O. A repeat of a client id never reaches it.
    /// </summary>
    void Count(PendingItem item, CounterWriter counters);

    /// <summary>Counts a change committed outside the ingest queue (a resident file import). Most contributors have none.</summary>
    void Count(object change, CounterWriter counters)
    {
    }

    /// <summary>Recounts everything it counts from the store, into an empty board no one else sees yet.</summary>
    Task RecountAsync(Store store, CounterWriter counters, CancellationToken ct);
}
