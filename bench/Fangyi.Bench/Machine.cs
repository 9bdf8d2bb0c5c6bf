namespace Fangyi.Bench;

public static class Machine
{
    /// <summary>Other work on the machine skews every figure; the load average says how much there was.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
