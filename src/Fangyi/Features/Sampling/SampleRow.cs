namespace Fangyi.Features.Sampling;

// A row of samples: one person in one tube.
internal sealed class SampleRow
{
    public long Id { get; set; }
    public string TubeCode { get; set; } = "";
    public long ResidentId { get; set; }
    public long Division { get; set; }
    public long RoundId { get; set; }
    public long SampledAt { get; set; }
    public bool Removed { get; set; }
    public bool RepeatInRound { get; set; }
    public string? Result { get; set; }
    public long? ResultedAt { get; set; }
    public bool IsNew { get; set; }
    public bool Dirty { get; set; }
}
