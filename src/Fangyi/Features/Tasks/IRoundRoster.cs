using Fangyi.Core.Jurisdiction;

namespace Fangyi.Features.Tasks;

/// <summary>
/// What door-to-door work needs to know about a sampling round, given by the capability that runs rounds (Sampling
/// implements it): Tasks depends on no other capability, the dependency points the other way.
/// </summary>
public interface IRoundRoster
{
    public sealed record Round(long Id, string Name, long Division, long StartsAt, long EndsAt);

    /// <summary>The rounds running at <paramref name="now"/> that the caller's jurisdiction is in or holds, the latest first.</summary>
    Task<IReadOnlyList<Round>> RunningAsync(ScopedDb db, long now, CancellationToken ct);

    /// <summary>The round, if it is in the caller's jurisdiction or covers it.</summary>
    Task<Round?> FindAsync(ScopedDb db, long roundId, CancellationToken ct);

    /// <summary>The residents of an area, as the caller may see them, with no standing sample in the round: (id, division).</summary>
    Task<IReadOnlyList<(long ResidentId, long Division)>> NotSampledAsync(ScopedDb db, long roundId, Scope area, CancellationToken ct);
}
