namespace Fangyi.Features.Residents;

/// <summary>
/// A writer's jurisdiction. A person held outside it is not changed: the row becomes a transfer request
/// (<paramref name="RequestTransfers"/>) or is left as it is (the sampler's registration of a stranger).
/// </summary>
public sealed record WriteScope(Core.Jurisdiction.Scope Scope, long? AccountId, bool RequestTransfers);
