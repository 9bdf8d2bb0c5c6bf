using System.Globalization;

namespace Fangyi.Core.Progress;

/// <summary>
/// A long command's progress, for a person watching a terminal: a plain line at most once a second (rows done, the
/// rate, the time left when the total is known) and a summary line at the end (rows, errors, elapsed). The job
/// reports through <see cref="IProgress{T}"/> as often as it likes; the line decides when to print.
/// </summary>
public sealed class ProgressLine(TextWriter output, string job, TimeProvider clock) : IProgress<RowProgress>
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly long _started = clock.GetTimestamp();
    private long _printed = clock.GetTimestamp();
    private RowProgress _last;

    public void Report(RowProgress value)
    {
        lock (_lock)
        {
            _last = value;
            var now = clock.GetTimestamp();
            if (clock.GetElapsedTime(_printed, now) < Interval)
            {
                return;
            }
            _printed = now;
            output.WriteLine(Line(value, clock.GetElapsedTime(_started, now)));
        }
    }

    /// <summary>The summary: <paramref name="rows"/> (the last reported when not given) and errors, with the time taken.</summary>
    public void Finish(long errors, long? rows = null)
    {
        lock (_lock)
        {
            var elapsed = clock.GetElapsedTime(_started);
            var done = rows ?? _last.Done;
            var rate = elapsed > TimeSpan.Zero ? $" ({Number(done / elapsed.TotalSeconds)}/s)" : "";
            output.WriteLine($"{job}: {Number(done)} rows, {Number(errors)} {(errors == 1 ? "error" : "errors")} in {Duration(elapsed, precise: true)}{rate}");
        }
    }

    private string Line(RowProgress value, TimeSpan elapsed)
    {
        var rate = value.Done / Math.Max(elapsed.TotalSeconds, 0.001);
        var line = value.Total is { } total and > 0
            ? $"{job}: {Number(value.Done)} of {Number(total)} rows ({Math.Min(100, value.Done * 100 / total)}%), {Number(rate)}/s"
            : $"{job}: {Number(value.Done)} rows, {Number(rate)}/s";
        if (value.Total is { } all && all > value.Done && rate > 0)
        {
            line += $", {Duration(TimeSpan.FromSeconds((all - value.Done) / rate), precise: false)} left";
        }
        return line;
    }

    private static string Number(double value) => Math.Round(value).ToString("N0", CultureInfo.InvariantCulture);

    private static string Duration(TimeSpan span, bool precise) => span switch
    {
        { TotalHours: >= 1 } => $"{(int)span.TotalHours} h {span.Minutes} min",
        { TotalMinutes: >= 1 } => $"{(int)span.TotalMinutes} min {span.Seconds} s",
        _ => precise ? $"{span.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s" : $"{Math.Ceiling(span.TotalSeconds).ToString(CultureInfo.InvariantCulture)} s",
    };
}
