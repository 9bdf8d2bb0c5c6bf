namespace Fangyi.Features.Sampling;

// A row of tubes, with the samples in it that the batch loaded or added.
internal sealed class TubeRow
{
    public string Code { get; set; } = "";
    public string BoxCode { get; set; } = "";
    public long RoundId { get; set; }
    public long SiteId { get; set; }
    public long Division { get; set; }
    public long Capacity { get; set; }
    public long People { get; set; }
    public string State { get; set; } = "";
    public long OpenedAt { get; set; }
    public long? SealedAt { get; set; }
    public long? ReceivedAt { get; set; }
    public long? ResultedAt { get; set; }
    public string? Result { get; set; }
    public double? Ct { get; set; }
    public bool IsNew { get; set; }
    public bool Dirty { get; set; }
    public List<SampleRow> Samples { get; } = [];

    public TubeView View() => new(Code, BoxCode, (int)People, (int)Capacity, State);
}
