using System.Globalization;
using System.Text.RegularExpressions;
using System.Threading.Channels;

namespace Fangyi.Core.Http;

/// <summary>
/// One line a request (time, method, path and query, status, elapsed ms) in <c>{data dir}/access.log</c>. The
/// request only formats its line and hands it to a channel; one background task writes and flushes, so the hot
/// path never waits for the disk. ID numbers never belong in a URL (look-ups by number are POSTs); should a
/// client put one there anyway, the line carries <c>[idnumber]</c> in its place.
/// </summary>
public sealed partial class AccessLog : IAsyncDisposable
{
    private readonly Channel<object> _lines = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly StreamWriter _file;
    private readonly Task _writer;

    public AccessLog(string path)
    {
        Path = path;
        var options = new FileStreamOptions { Mode = FileMode.Append, Access = FileAccess.Write, Share = FileShare.ReadWrite };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        _file = new StreamWriter(new FileStream(path, options));
        _writer = Task.Run(WriteAsync);
    }

    public string Path { get; }

    [GeneratedRegex(@"\d{17}[\dXx]", RegexOptions.CultureInvariant)]
    private static partial Regex IdNumberLike();

    public void Write(string method, string target, int status, double elapsedMs) =>
        _lines.Writer.TryWrite(string.Create(CultureInfo.InvariantCulture,
            $"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {method} {IdNumberLike().Replace(target, "[idnumber]")} {status} {elapsedMs:F1}ms"));

    /// <summary>Returns once every line written before the call is on disk.</summary>
    public Task FlushAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _lines.Writer.TryWrite(done) ? done.Task : Task.CompletedTask;
    }

    private async Task WriteAsync()
    {
        while (await _lines.Reader.WaitToReadAsync())
        {
            var flushed = new List<TaskCompletionSource>();
            while (_lines.Reader.TryRead(out var item))
            {
                if (item is string line)
                {
                    await _file.WriteLineAsync(line);
                }
                else
                {
                    flushed.Add((TaskCompletionSource)item);
                }
            }
            await _file.FlushAsync();
            flushed.ForEach(f => f.TrySetResult());
            if (flushed.Count == 0)
            {
                // Lines gather for a moment between writes: at tens of thousands of requests a second, a write and a
                // wake-up per handful of lines cost the host a third of its trivial endpoint's rate.
                await Task.Delay(50);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _lines.Writer.TryComplete();
        try
        {
            await _writer;
        }
        finally
        {
            await _file.DisposeAsync();
        }
    }
}
