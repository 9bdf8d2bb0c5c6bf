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
    }

    /// <summary>The resident's latest samples still standing, newest first.</summary>
    public async Task<List<Sample>> LatestAsync(long residentId, int limit, CancellationToken ct = default)
    {
        await using var connection = await store.OpenAsync(ct);
        return (await connection.QueryAsync<Sample>(new CommandDefinition(
            "SELECT sampled_at AS SampledAt, tube_code AS TubeCode, result, resulted_at AS ResultedAt, repeat_in_round AS RepeatInRound FROM samples WHERE resident_id = @residentId AND removed = @no ORDER BY sampled_at DESC LIMIT @limit",
            new { residentId, no = false, limit }, cancellationToken: ct))).ToList();
    }
}
