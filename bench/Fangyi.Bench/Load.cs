using System.Diagnostics;

namespace Fangyi.Bench;

/// <summary>What a load achieved: items done, in how long, and the latency of each acknowledgement.</summary>
public sealed record LoadResult(int Done, int Asked, TimeSpan Elapsed, double P50Ms, double P99Ms)
{
    public double PerSecond => Done / Elapsed.TotalSeconds;

    public string Figure => $"{PerSecond,9:N0}/s  p50 {P50Ms:F1} ms  p99 {P99Ms:F1} ms" + (Done < Asked ? $"  ({Done:N0} of {Asked:N0}: deadline)" : $"  ({Done:N0})");
}

public static class Load
{
    /// <summary>
    /// Runs <paramref name="one"/> for items 0..count-1 from <paramref name="concurrency"/> producers, each taking
    /// the next item as soon as its last one was acknowledged. Producers stop taking items at the deadline.
    /// </summary>
    public static async Task<LoadResult> RunAsync(int count, int concurrency, TimeSpan deadline, Func<int, Task> one)
    {
        var latencies = new long[count];
        Array.Fill(latencies, -1);
        var next = -1;
        var clock = Stopwatch.StartNew();
        var producers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count && clock.Elapsed < deadline)
            {
                var start = Stopwatch.GetTimestamp();
                await one(i);
                latencies[i] = Stopwatch.GetTimestamp() - start;
            }
        })).ToList();
        await Task.WhenAll(producers);
        clock.Stop();
        var done = latencies.Where(l => l >= 0).Order().ToArray();
        double Percentile(double p) => done.Length == 0 ? 0 : done[Math.Min(done.Length - 1, (int)(p * done.Length))] * 1000.0 / Stopwatch.Frequency;
        return new LoadResult(done.Length, count, clock.Elapsed, Percentile(0.50), Percentile(0.99));
    }
}
