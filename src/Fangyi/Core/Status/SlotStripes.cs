namespace Fangyi.Core.Status;

// The index's seqlock, in 4,096 stripes of slots: a writer (holding the index's one write lock) makes its slot's
// counter odd while it writes and even again after; a reader copies the slot between two looks at the counter and
// keeps the copy only when both saw the same even number. A read that raced a write is repeated rather than
// mixing old and new facts; readers take no lock.
internal sealed class SlotStripes
{
    private const int Mask = 4095;

    private readonly int[] _counters = new int[Mask + 1];
    private long _waits;
    private long _retries;

    /// <summary>Looks that found a write under way, so the reader spun.</summary>
    public long Waits => Interlocked.Read(ref _waits);

    /// <summary>Copies thrown away because a write overlapped them.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    public void BeginWrite(int slot) => Interlocked.Increment(ref _counters[slot & Mask]);

    public void EndWrite(int slot) => Interlocked.Increment(ref _counters[slot & Mask]);

    /// <summary>A copy of a slot that no write overlapped: <paramref name="copy"/> runs again until one did not.</summary>
    public T Read<TState, T>(int slot, TState state, Func<TState, int, T> copy)
    {
        ref var counter = ref _counters[slot & Mask];
        var spins = 0;
        while (true)
        {
            var before = Volatile.Read(ref counter);
            if ((before & 1) != 0)
            {
                Interlocked.Increment(ref _waits);
                Thread.SpinWait(++spins);
                continue;
            }
            var value = copy(state, slot);
            Interlocked.MemoryBarrier();
            if (Volatile.Read(ref counter) == before)
            {
                return value;
            }
            Interlocked.Increment(ref _retries);
        }
    }
}
