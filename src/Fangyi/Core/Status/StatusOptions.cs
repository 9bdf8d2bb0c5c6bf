namespace Fangyi.Core.Status;

public sealed class StatusOptions
{
    /// <summary>How often sources look for rows other processes wrote, and queued refreshes are done.</summary>
    public TimeSpan CatchUpInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// False: catching up runs only when someone calls <see cref="StatusIndexHost.CatchUpAsync"/> (a test that
    /// writes behind the host's back and must see the index before and after).
    /// </summary>
    public bool CatchUpInBackground { get; set; } = true;
}
