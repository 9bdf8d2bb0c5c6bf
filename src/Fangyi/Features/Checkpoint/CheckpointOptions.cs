namespace Fangyi.Features.Checkpoint;

public sealed class CheckpointOptions
{
    /// <summary>The host's data folder: the rules file and the health-code keys live there.</summary>
    public string DataDir { get; set; } = "./data";

    /// <summary>Checks one device may ask for a minute (0: no limit) and the burst above it.</summary>
    public int DeviceChecksPerMinute { get; set; } = 20;

    public int DeviceCheckBurst { get; set; } = 10;

    /// <summary>Checks are kept this long, then purged.</summary>
    public int RetentionDays { get; set; } = 28;

    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the rules file is looked at, device last-seen times written and other hosts' device changes read.</summary>
    public TimeSpan ChoresInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// False: the chores run only when someone calls <see cref="CheckpointChores.RunOnceAsync"/> (a test that moves
    /// the clock and must not have a purge or a reload of its own racing it).
    /// </summary>
    public bool ChoresInBackground { get; set; } = true;
}
