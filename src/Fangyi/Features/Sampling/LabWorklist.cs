namespace Fangyi.Features.Sampling;

// What a lab has on its benches: the boxes received (not yet done, or done today), the tubes still without a
// result, the overdue ones among them, and what each box's reconciliation found.
public sealed record LabWorklist(long TurnaroundMinutes, IReadOnlyList<LabWorklist.BoxAtLab> Boxes, IReadOnlyList<LabWorklist.TubeAwaiting> Tubes, int Overdue)
{
    public sealed record BoxAtLab
    {
        public string Box { get; init; } = "";
        public string State { get; init; } = "";
        public string StateName { get; init; } = "";
        public long Tubes { get; init; }
        public long People { get; init; }
        public long TubesDone { get; init; }
        public long? ReceivedAt { get; init; }
        public long? ReconciledAt { get; init; }
        public string? Discrepancy { get; init; }
        public IReadOnlyList<Found> Found { get; init; } = [];
    }

    public sealed record Found(string Tube, string Kind, string KindName);

    public sealed record TubeAwaiting
    {
        public string Tube { get; init; } = "";
        public string Box { get; init; } = "";
        public long Capacity { get; init; }
        public long People { get; init; }
        public long ReceivedAt { get; init; }
        public bool Overdue { get; init; }
    }
}
