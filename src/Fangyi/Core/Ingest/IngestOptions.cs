namespace Fangyi.Core.Ingest;

public sealed class IngestOptions
{
    /// <summary>Most items committed in one transaction.</summary>
    public int MaxBatch { get; set; } = 1000;

    /// <summary>How long a small batch waits for company before it commits.</summary>
    public TimeSpan Linger { get; set; } = TimeSpan.FromMilliseconds(1);

    /// <summary>Items waiting beyond this many make submitters wait: back-pressure rather than memory growth.</summary>
    public int Capacity { get; set; } = 200_000;
}
