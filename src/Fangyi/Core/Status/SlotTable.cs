using System.Buffers.Binary;

namespace Fangyi.Core.Status;

// An open-addressing table of slot numbers (slot + 1; 0 is empty) for finding a person by a 16-byte key: the table
// holds no keys, the status index's column does, so each probe compares against the column as it is now. A person
// whose key changed leaves a stale entry that simply never matches; a rebuild drops those.
// One writer (the index's lock) adds; readers probe without a lock, and a full table is replaced, not grown.
internal sealed class SlotTable
{
    /// <summary>The share of entries in use at which a table is rebuilt larger.</summary>
    public const double MaxLoad = 0.7;

    private readonly int[] _entries;

    public SlotTable(int capacity) => _entries = new int[Math.Max(16, capacity)];

    public int Length => _entries.Length;

    /// <summary>Entries in use, stale ones included.</summary>
    public int Used { get; private set; }

    public bool Full => Used + 1 > _entries.Length * MaxLoad;

    /// <summary>Where a key's probe starts: its first four bytes (a hash already) scaled to the table.</summary>
    public static int Start(ReadOnlySpan<byte> key, int capacity) =>
        (int)(((ulong)BinaryPrimitives.ReadUInt32LittleEndian(key) * (ulong)capacity) >> 32);

    /// <summary>The slots a key may be at, in probe order, until an empty entry; the caller compares each against its column.</summary>
    public Probe Find(ReadOnlySpan<byte> key) => new(_entries, Start(key, _entries.Length));

    /// <summary>Adds an entry for a slot whose column already holds <paramref name="key"/>; published to readers as it is written.</summary>
    public void Add(ReadOnlySpan<byte> key, int slot)
    {
        var pos = Start(key, _entries.Length);
        while (_entries[pos] != 0)
        {
            if (++pos == _entries.Length)
            {
                pos = 0;
            }
        }
        Volatile.Write(ref _entries[pos], slot + 1);
        Used++;
    }

    /// <summary>A table of the first <paramref name="count"/> slots' keys in <paramref name="column"/>; all-zero keys (none given yet) skipped when asked.</summary>
    public static SlotTable Build(byte[] column, int keyBytes, int count, int capacity, bool skipEmpty)
    {
        var table = new SlotTable(capacity);
        for (var slot = 0; slot < count; slot++)
        {
            var key = column.AsSpan(slot * keyBytes, keyBytes);
            if (skipEmpty && key.IndexOfAnyExcept((byte)0) < 0)
            {
                continue;
            }
            table.Add(key, slot);
        }
        return table;
    }

    /// <summary>The probe sequence of one key: <c>foreach (var slot in table.Find(key))</c>.</summary>
    public ref struct Probe(int[] entries, int start)
    {
        private int _pos = start - 1;

        public readonly Probe GetEnumerator() => this;

        public int Current { get; private set; }

        public bool MoveNext()
        {
            if (++_pos == entries.Length)
            {
                _pos = 0;
            }
            var entry = Volatile.Read(ref entries[_pos]);
            if (entry == 0)
            {
                return false;
            }
            Current = entry - 1;
            return true;
        }
    }
}
