using System.Collections.Concurrent;

namespace Fangyi.Features.Checkpoint;

// Per-device verification limit: a token bucket of perMinute with a burst of burst, so one leaked
// kiosk key is not an unthrottled city-wide oracle. A door sees one person every few seconds; a bench or a test
// host turns it off with 0. Only the first refusal of a burst is reported for the audit log.
public sealed class DeviceThrottle(int perMinute, int burst, TimeProvider clock)
{
    private sealed class Bucket
    {
        public double Tokens;
        public long At;
        public bool Refusing;
    }

    private readonly ConcurrentDictionary<long, Bucket> _buckets = new();

    public bool Enabled => perMinute > 0;

    // Takes one verification; FirstRefusal is true only on the first refusal after an allowed one.
    public (bool Allowed, bool FirstRefusal) Take(long deviceRow)
    {
        if (perMinute <= 0)
        {
            return (true, false);
        }
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var capacity = Math.Max(1, burst);
        var bucket = _buckets.GetOrAdd(deviceRow, _ => new Bucket { Tokens = capacity, At = now });
        lock (bucket)
        {
            bucket.Tokens = Math.Min(capacity, bucket.Tokens + (now - bucket.At) * perMinute / 60_000.0);
            bucket.At = now;
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                bucket.Refusing = false;
                return (true, false);
            }
            var first = !bucket.Refusing;
            bucket.Refusing = true;
            return (false, first);
        }
    }

    // Seconds until the device's next verification is allowed.
    public int RetryAfterSeconds => perMinute <= 0 ? 0 : Math.Max(1, (int)Math.Ceiling(60.0 / perMinute));
}
