using Dapper;
using Fangyi.Core.Storage;

namespace Fangyi.Features.Sampling;

/// <summary>A resident's own samples, for the pages where residents see their results (Citizens).</summary>
public sealed class ResidentSamples(Store store)
{
    /// <summary>One sample as its person sees it: when, which tube, its result ("negative" ...; null while pending).</summary>
    public sealed record Sample
    {
        public long SampledAt { get; init; }
        public string TubeCode { get; init; } = "";
        public string? Result { get; init; }
        public long? ResultedAt { get; init; }
        public bool RepeatInRound { get; init; }

        public string? TubeState { get; init; }

        /// <summary>How many people the tube holds: 1 is a single tube (单管单采).</summary>
        public int Capacity { get; init; }

        /// <summary>The tube was missing or broken when the lab received it: never tested, the person is sampled again.</summary>
        public bool NeverTested => Result is null && TubeState == TubeStates.Rejected;
    }

    /// <summary>The resident's latest samples still standing, newest first.</summary>
    public async Task<List<Sample>> LatestAsync(long residentId, int limit, CancellationToken ct = default)
    {
        await using var connection = await store.OpenAsync(ct);
        return (await connection.QueryAsync<Sample>(new CommandDefinition(
            "SELECT s.sampled_at AS SampledAt, s.tube_code AS TubeCode, s.result, s.resulted_at AS ResultedAt, s.repeat_in_round AS RepeatInRound, t.state AS TubeState, t.capacity AS Capacity " +
            "FROM samples s LEFT JOIN tubes t ON t.code = s.tube_code WHERE s.resident_id = @residentId AND s.removed = @no ORDER BY s.sampled_at DESC LIMIT @limit",
            new { residentId, no = false, limit }, cancellationToken: ct))).ToList();
    }
}
