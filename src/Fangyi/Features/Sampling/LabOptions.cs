namespace Fangyi.Features.Sampling;

/// <summary>The lab's worklist: how long a received tube may wait for its result before it is overdue.</summary>
public sealed class LabOptions
{
    public TimeSpan Turnaround { get; set; } = TimeSpan.FromHours(6);
}
