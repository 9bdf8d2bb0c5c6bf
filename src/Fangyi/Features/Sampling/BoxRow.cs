namespace Fangyi.Features.Sampling;

// A row of boxes, as a batch of scans changes it.
internal sealed class BoxRow
{
    public string Code { get; set; } = "";
    public long RoundId { get; set; }
    public long SiteId { get; set; }
    public long Division { get; set; }
    public string State { get; set; } = "";
    public long Tubes { get; set; }
    public long People { get; set; }
    public long OpenedAt { get; set; }
    public long? SealedAt { get; set; }
    public long? PickedAt { get; set; }
    public long? ReceivedAt { get; set; }
    public long? ReceivedTubes { get; set; }
    public string? Discrepancy { get; set; }
    public long? ReconciledAt { get; set; }
    public long TubesDone { get; set; }
    public bool IsNew { get; set; }
    public bool Dirty { get; set; }

    public BoxView View() => new(Code, (int)Tubes, (int)People, State, Discrepancy);
}
