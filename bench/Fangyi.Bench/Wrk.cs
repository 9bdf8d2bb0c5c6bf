using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Fangyi.Bench;

/// <summary>
/// Drives a host with wrk, the load generator that costs the machine least per request, so that the figures
/// are the host's and not a .NET client's sharing its two cores. bench/run.sh installs wrk when it is missing.
/// </summary>
public static partial class Wrk
{
    public sealed record Result(long Requests, double Seconds, double PerSecond, double P50Ms, double P99Ms, long Errors, double CpuMs, string Output)
    {
        /// <summary>The 99.9th percentile, where the script printed it (bodies.lua does).</summary>
        public double P999Ms => Regex.Match(Output, @"^p99\.9 (\d+)us$", RegexOptions.Multiline) is { Success: true } m ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) / 1000 : double.NaN;

        public string Figure => $"{PerSecond,9:N0}/s  p50 {P50Ms:F2} ms  p99 {P99Ms:F2} ms{(double.IsNaN(P999Ms) ? "" : $"  p99.9 {P999Ms:F2} ms")}  ({Requests:N0}{(Errors > 0 ? $", {Errors:N0} not 2xx" : "")})";
    }

    /// <summary>
    /// Posts every line of <paramref name="bodies"/> once to <paramref name="path"/>, spread over the connections.
    /// wrk's own clock always runs to its -d deadline, so the host says when it is done: <paramref name="done"/>
    /// is polled, and when it answers true wrk is interrupted (it prints its latencies then) and the time so far
    /// is the run's.
    /// </summary>
    public static Task<Result> PostEachAsync(string url, string path, string? token, IReadOnlyList<string> bodies, int connections, TimeSpan deadline, Func<bool> done) =>
        PostAsync(url, path, token is null ? "-" : $"Bearer {token}", bodies, connections, deadline, "once", done);

    /// <summary>
    /// Posts the lines of <paramref name="bodies"/> to <paramref name="path"/> round and round for a while, each
    /// with the same Authorization header (a device's key): door scans, where the same people come back.
    /// </summary>
    public static Task<Result> PostRoundAsync(string url, string path, string authorization, IReadOnlyList<string> bodies, int connections, TimeSpan duration) =>
        PostAsync(url, path, authorization, bodies, connections, duration, "round", null);

    private static async Task<Result> PostAsync(string url, string path, string authorization, IReadOnlyList<string> bodies, int connections, TimeSpan duration, string mode, Func<bool>? done)
    {
        var folder = Directory.CreateTempSubdirectory("fangyi-wrk-");
        var file = Path.Combine(folder.FullName, "bodies.txt");
        await File.WriteAllLinesAsync(file, bodies);
        var script = Path.Combine(AppContext.BaseDirectory, "wrk", "bodies.lua");
        const int threads = 2;
        return await RunAsync($"-t{threads} -c{Math.Max(threads, connections)} -d{(int)duration.TotalSeconds}s --latency --timeout 30s -s {script} {url.TrimEnd('/')} -- {file} {path} \"{authorization}\" {threads} {mode}",
            () => folder.Delete(recursive: true), done);
    }

    /// <summary>GETs one path for a while: the trivial endpoint the design compares with.</summary>
    public static Task<Result> GetAsync(string url, string path, int connections, TimeSpan duration) =>
        RunAsync($"-t2 -c{connections} -d{(int)duration.TotalSeconds}s --latency {url.TrimEnd('/')}{path}", () => { }, null);

    private static async Task<Result> RunAsync(string arguments, Action cleanUp, Func<bool>? done)
    {
        try
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            using var wrk = Process.Start(new ProcessStartInfo("wrk", arguments) { RedirectStandardOutput = true, RedirectStandardError = true })
                ?? throw new InvalidOperationException("wrk did not start");
            var clock = Stopwatch.StartNew();
            var reading = wrk.StandardOutput.ReadToEndAsync();
            var complaining = wrk.StandardError.ReadToEndAsync();
            double? seconds = null;
            if (done is not null)
            {
                while (!wrk.HasExited && !done())
                {
                    await Task.Delay(5);
                }
                seconds = clock.Elapsed.TotalSeconds;
                if (!wrk.HasExited)
                {
                    using var interrupt = Process.Start("kill", $"-INT {wrk.Id}");
                    await interrupt.WaitForExitAsync();
                }
            }
            var output = await reading;
            var errors = await complaining;
            await wrk.WaitForExitAsync();
            var hostCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
            if (wrk.ExitCode != 0)
            {
                throw new InvalidOperationException($"wrk {arguments} failed: {errors}{output}");
            }
            var finished = Done().Match(output);
            var requests = long.Parse(finished.Groups[1].Value, CultureInfo.InvariantCulture);
            seconds ??= Seconds(finished.Groups[2].Value);
            var non2xx = NonSuccess().Match(output);
            var socketErrors = SocketErrors().Match(output);
            return new Result(requests, seconds.Value, requests / seconds.Value, Percentile(output, "50%"), Percentile(output, "99%"),
                (non2xx.Success ? long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture) : 0)
                + (socketErrors.Success ? socketErrors.Groups.Values.Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture)) : 0),
                hostCpu, output + errors);
        }
        finally
        {
            cleanUp();
        }
    }

    private static double Percentile(string output, string label)
    {
        var match = Regex.Match(output, $@"^\s*{Regex.Escape(label)}\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        return match.Success ? Millis(match.Groups[1].Value, match.Groups[2].Value) : double.NaN;
    }

    private static double Seconds(string text) => Millis(text[..^UnitLength(text)], text[^UnitLength(text)..]) / 1000;

    private static int UnitLength(string text) => text.EndsWith("ms", StringComparison.Ordinal) || text.EndsWith("us", StringComparison.Ordinal) ? 2 : text.EndsWith('m') || text.EndsWith('s') ? 1 : 0;

    private static double Millis(string number, string unit)
    {
        var value = double.Parse(number, CultureInfo.InvariantCulture);
        return unit switch { "us" => value / 1000, "ms" => value, "s" => value * 1000, "m" => value * 60_000, _ => value };
    }

    [GeneratedRegex(@"(\d+) requests in ([\d.]+(?:us|ms|s|m))")]
    private static partial Regex Done();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex NonSuccess();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();
}
