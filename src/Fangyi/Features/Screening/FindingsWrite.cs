using Fangyi.Core.Jurisdiction;

namespace Fangyi.Features.Screening;

/// <summary>
/// The ingest payload of <c>screening.findings</c>: people from one source for the pool, written by whoever is inside
/// <see cref="Scope"/> (a push's county, a worker's village; a finding routed outside it lands in the writer's own
/// unassigned queue, to be handed over). A push's chunk is not kept in the event log (its entries are the record and
/// their refs make a resent chunk one write).
/// </summary>
public sealed record FindingsWrite(IReadOnlyList<Finding> Findings, Scope Scope, long? PushId = null);
