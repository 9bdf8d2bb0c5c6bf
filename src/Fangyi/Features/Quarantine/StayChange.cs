namespace Fangyi.Features.Quarantine;

/// <summary>
/// A change of a person's stay as <see cref="IStayObserver"/>s hear it: the referral's source, the kind
/// (<see cref="StayChanges"/>) and when.
/// </summary>
public sealed record StayChange(long ResidentId, string Source, string Kind, long At);
