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
    // The ingest kinds whose committed items it is shown.
    IReadOnlyCollection<string> Kinds { get; }

    // Counts one committed item, accepted or refused, with the changes its handler noted. Runs on the ingest
    // writer's loop under the board's lock: a few array additions, no I/O. A repeat of a client id never reaches it.
    void Count(PendingItem item, CounterWriter counters);

    // Counts a change committed outside the ingest queue (a resident file import). Most contributors have none.
    void Count(object change, CounterWriter counters)
    {
    }

    // Recounts everything it counts from the store, into an empty board no one else sees yet.
    Task RecountAsync(Store store, CounterWriter counters, CancellationToken ct);
}
