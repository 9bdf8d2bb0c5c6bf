using System.Text.Json.Serialization;
using Fangyi.Core.Ingest;
using Fangyi.Core.Jurisdiction;

namespace Fangyi.Features.Sampling;

/// <summary>
/// A sampling or chain-of-custody scan: an ingest item of its kind whose payload carries what the scan said,
/// checked for form before it is queued, and the account's jurisdiction for the state checks only the handler can
/// make. Each kind reads itself from a request, says what a batch must load for it, and applies itself to that
/// state (the box and tube rules are <see cref="BoxTransitions"/> and <see cref="TubeTransitions"/>).
/// </summary>
public abstract record Scan
{
    [JsonIgnore]
    public Scope Scope { get; init; }

    [JsonIgnore]
    public long AccountId { get; init; }

    /// <summary>Where the phone was, if it said ("38.59,116.84"): kept in the event log with the scan.</summary>
    public string? Location { get; init; }

    /// <summary>Names the boxes, tubes, rounds, sites and people the batch must read for this scan.</summary>
    internal abstract void Need(SamplingNeeds needs, PendingItem item);

    /// <summary>Checks the scan against the batch's state and changes it, accepting or refusing the item.</summary>
    internal abstract void Apply(SamplingState s, PendingItem item, long now);
}
