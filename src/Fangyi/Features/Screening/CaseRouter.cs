using Fangyi.Core.Jurisdiction;
using Fangyi.Features.Divisions;

namespace Fangyi.Features.Screening;

/// <summary>
/// Routes a new case down the tree: to the village of residence when the registry knows the person; else to the
/// village its address resolves to, when the standard address service is sure enough; else to the unassigned queue of
/// the writer's county (or of the writer's own division above a county), where a human assigns it. A route never
/// leaves the writer's jurisdiction (a registered person living elsewhere is refused before routing, to be handed over).
/// </summary>
internal sealed class CaseRouter(DivisionCatalog divisions)
{
    /// <summary>
    /// Below this an address match is a suggestion for the human at the unassigned queue, not a route: a wrong village
    /// sends a worker to the wrong door while the person goes unvisited.
    /// </summary>
    public const double AddressConfidence = 0.6;

    public sealed record Routed(long Division, string Route, double Confidence, string? Corrected);

    public Routed Route(long? residence, string? address, Scope writer)
    {
        if (residence is { } lives && writer.Contains(lives))
        {
            return new Routed(lives, CaseRoute.Residence, 1.0, null);
        }
        if (!string.IsNullOrWhiteSpace(address))
        {
            var match = divisions.Matcher.Resolve(address);
            if (match is { Status: AddressMatchStatus.Matched, Code: { } code, Level: DivisionLevel.Village } && writer.Contains(code))
            {
                if (match.Confidence >= AddressConfidence)
                {
                    return new Routed(code, CaseRoute.Address, match.Confidence, null);
                }
                return new Routed(QueueOf(code, writer), CaseRoute.Unassigned, match.Confidence, "建议：" + match.Path);
            }
            if (match.Code is { } near && writer.Contains(near))
            {
                return new Routed(QueueOf(near, writer), CaseRoute.Unassigned, match.Confidence, match.Path is null ? null : "地址只到：" + match.Path);
            }
        }
        return new Routed(QueueOf(writer.Root, writer), CaseRoute.Unassigned, 0, null);
    }

    /// <summary>The unassigned queue a division falls into: its county's, or the writer's own when the writer is above it.</summary>
    public static long QueueOf(long division, Scope writer)
    {
        var level = Division.LevelOf(division);
        var county = level >= DivisionLevel.County ? division / 1_000_000 * 1_000_000 : division;
        return writer.Contains(county) ? county : writer.Root;
    }
}
