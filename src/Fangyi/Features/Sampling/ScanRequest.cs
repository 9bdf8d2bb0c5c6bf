using Fangyi.Core.Http;

namespace Fangyi.Features.Sampling;

// One scan as a phone sends it: the action and whatever that action needs (Tubes and Damaged: the tubes a lab
// found in a box it reconciles, and the broken ones; Reason: why a result is corrected; Name and Phone: a person
// the registry has never met).
// A batch of them refuses a null item itself, naming its index (ScanIntake.PrepareBatchAsync).
[NullItemsCheckedByHandler]
public sealed record ScanRequest(
    string? ClientId,
    string? Action,
    string? Box = null,
    string? Tube = null,
    int? Capacity = null,
    long? RoundId = null,
    long? SiteId = null,
    string? Person = null,
    string? DocType = null,
    string? Result = null,
    double? Ct = null,
    int? TubesCounted = null,
    string? To = null,
    string? Location = null,
    long? At = null,
    IReadOnlyList<string>? Tubes = null,
    IReadOnlyList<string>? Damaged = null,
    string? Reason = null,
    string? Name = null,
    string? Phone = null);
