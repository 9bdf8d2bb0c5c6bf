using System.Threading.Channels;

namespace Fangyi.Features.Dashboard;

// When the screens are pushed to: right away after a quiet second, at most once a second while changes keep coming,
// and a wake that sent nothing (an audit entry committed, a level set to what it was) holds nothing back. The pace
// is kept on the host's clock, so a test's clock decides it.
public sealed class PushPace(TimeProvider clock)
{
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);

    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    // Something changed: a push follows, at once or when the second since the last one is up.
    public void Wake() => _signal.Writer.TryWrite(true);

    // Runs until stopped; push sends what changed and says whether it sent anything.
    public async Task RunAsync(Func<CancellationToken, Task<bool>> push, CancellationToken ct)
    {
        long? last = null;
        while (await _signal.Reader.WaitToReadAsync(ct))
        {
            _signal.Reader.TryRead(out _);
            if (last is { } previous && MinInterval - clock.GetElapsedTime(previous) is var wait && wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, clock, ct);
            }
            // What woke it during the wait goes out with this push.
            _signal.Reader.TryRead(out _);
            var started = clock.GetTimestamp();
            if (await push(ct))
            {
                last = started;
            }
        }
    }
}
