using System.Text.Json.Serialization;
using Fangyi.Core.Ingest;
using Fangyi.Core.Jurisdiction;

namespace Fangyi.Features.Sampling;

// A sampling or chain-of-custody scan: an ingest item of its kind whose payload carries what the scan said,
// checked for form before it is queued, and the account's jurisdiction for the state checks only the handler can
// make. Each kind reads itself from a request, says what a batch must load for it, and applies itself to that
// state (the box and tube rules are BoxTransitions and TubeTransitions).
public abstract record Scan
{
    [JsonIgnore]
    public Scope Scope { get; init; }

    [JsonIgnore]
    public long AccountId { get; init; }

    // Where the phone was, if it said ("38.59,116.84"): kept in the event log with the scan.
    public string? Location { get; init; }

    // Names the boxes, tubes, rounds, sites and people the batch must read for this scan.
    internal abstract void Need(SamplingNeeds needs, PendingItem item);

    // Checks the scan against the batch's state and changes it, accepting or refusing the item.
    internal abstract void Apply(SamplingState s, PendingItem item, long now);
}
