using System.Threading.Channels;
using Fangyi.Features.Dashboard;
using Microsoft.Extensions.Time.Testing;

namespace Fangyi.Tests.Dashboard;

/// <summary>
/// The pace of the pushes, on a clock the test moves: at once after a quiet second, at most once a second under a
/// stream, and a wake that sent nothing holds nothing back. The test sees each wait the pace sets on the clock, so it
/// knows when the loop is waiting rather than guessing from wall-clock time.
/// </summary>
public sealed class DashboardPushTests : IAsyncLifetime, IDisposable
{
    private readonly WatchedClock _clock = new(new DateTimeOffset(2026, 3, 14, 8, 0, 0, TimeSpan.Zero));
    private readonly Channel<TimeSpan> _pushes = Channel.CreateUnbounded<TimeSpan>();
    private readonly CancellationTokenSource _stop = new();
    private readonly PushPace _pace;
    private readonly Task _loop;
    private readonly DateTimeOffset _start;

    public DashboardPushTests()
    {
        _start = _clock.GetUtcNow();
        _pace = new PushPace(_clock);
        _loop = _pace.RunAsync(_ =>
        {
            _pushes.Writer.TryWrite(_clock.GetUtcNow() - _start);
            return Task.FromResult(Sends);
        }, _stop.Token);
    }

    /// <summary>Whether the next push finds something for a screen.</summary>
    private bool Sends { get; set; } = true;

    [Fact]
    public async Task UnderAStream_PushesAreASecondApart_AndEachTakesWhatCameMeanwhile()
    {
        _pace.Wake();
        var first = await NextPushAsync();
        _clock.Advance(TimeSpan.FromMilliseconds(300));
        _pace.Wake();
        var wait = await NextWaitAsync();
        _pace.Wake();
        _pace.Wake();
        _clock.Advance(TimeSpan.FromMilliseconds(699));
        var pushedEarly = _pushes.Reader.TryRead(out _);
        _clock.Advance(TimeSpan.FromMilliseconds(1));
        var second = await NextPushAsync();
        // Still coming: the next waits a whole second after the one before.
        _pace.Wake();
        var nextWait = await NextWaitAsync();
        _clock.Advance(nextWait);
        var third = await NextPushAsync();

        Assert.Equal(TimeSpan.Zero, first);
        Assert.Equal(TimeSpan.FromMilliseconds(700), wait);
        Assert.False(pushedEarly);
        Assert.Equal(TimeSpan.FromSeconds(1), second);
        Assert.Equal(TimeSpan.FromSeconds(1), nextWait);
        Assert.Equal(TimeSpan.FromSeconds(2), third);
        Assert.False(_pushes.Reader.TryRead(out _), "the wakes during a wait went out with the push after it, not in one of their own");
    }

    [Fact]
    public async Task AfterAQuietSecond_APushIsAtOnce()
    {
        _pace.Wake();
        await NextPushAsync();
        _clock.Advance(TimeSpan.FromSeconds(1));
        _pace.Wake();
        var atOnce = await NextPushAsync();
        _clock.Advance(TimeSpan.FromMinutes(5));
        _pace.Wake();
        var later = await NextPushAsync();

        Assert.Equal(TimeSpan.FromSeconds(1), atOnce);
        Assert.Equal(TimeSpan.FromSeconds(1) + TimeSpan.FromMinutes(5), later);
        Assert.False(_clock.Waits.Reader.TryRead(out var wait), $"a wait of {wait} was set");
    }

    [Fact]
    public async Task AnEmptyWake_HoldsNothingBack()
    {
        // A wake that finds nothing for any screen (an audit entry committed) is not a push and starts no spacing.
        Sends = false;
        _pace.Wake();
        await NextPushAsync();
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        Sends = true;
        _pace.Wake();
        var real = await NextPushAsync();
        // A push that sent something does space the next one.
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        _pace.Wake();
        var wait = await NextWaitAsync();

        Assert.Equal(TimeSpan.FromMilliseconds(100), real);
        Assert.Equal(TimeSpan.FromMilliseconds(900), wait);
    }

    private async Task<TimeSpan> NextPushAsync() => await _pushes.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

    private async Task<TimeSpan> NextWaitAsync() => await _clock.Waits.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _loop);
    }

    public void Dispose() => _stop.Dispose();

    /// <summary>A fake clock that tells the test of every timer set on it (a wait begun), with its due time.</summary>
    private sealed class WatchedClock(DateTimeOffset start) : FakeTimeProvider(start)
    {
        public Channel<TimeSpan> Waits { get; } = Channel.CreateUnbounded<TimeSpan>();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            Waits.Writer.TryWrite(dueTime);
            return timer;
        }
    }
}
