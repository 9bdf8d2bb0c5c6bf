namespace Fangyi.Features.Tasks;

/// <summary>How overdue tasks rise (configuration section Fangyi:Tasks).</summary>
public sealed record TaskOptions
{
    /// <summary>An overdue task is on the township's list at once, and on the county's this long after its due time.</summary>
    public double CountyAfterHours { get; init; } = 24;
}
