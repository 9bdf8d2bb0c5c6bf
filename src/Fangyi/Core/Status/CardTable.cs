namespace Fangyi.Core.Status;

// Social-security card number hashes (their first 12 bytes) to slots. Unlike SlotTable it keeps its
// keys itself, since a card is not a column of the person. Removing a card's mapping maps it to slot -1, an entry of 0.
internal sealed class CardTable(int capacity)
{
    /// <summary>How much of a card number's hash is kept.</summary>
    public const int KeyBytes = 12;

    public readonly byte[] Keys = new byte[capacity * KeyBytes];
    public readonly int[] Entries = new int[capacity];
    public int Used;

    public bool Full => Used + 1 > Entries.Length * SlotTable.MaxLoad;

    public int Find(ReadOnlySpan<byte> key)
    {
        var pos = SlotTable.Start(key, Entries.Length);
        while (true)
        {
            var entry = Volatile.Read(ref Entries[pos]);
            if (entry == 0)
            {
                return -1;
            }
            if (Keys.AsSpan(pos * KeyBytes, KeyBytes).SequenceEqual(key))
            {
                return entry - 1;
            }
            if (++pos == Entries.Length)
            {
                pos = 0;
            }
        }
    }

    /// <summary>Returns true when the card is new to the table.</summary>
    public bool Map(ReadOnlySpan<byte> key, int slot)
    {
        var pos = SlotTable.Start(key, Entries.Length);
        while (Entries[pos] != 0)
        {
            if (Keys.AsSpan(pos * KeyBytes, KeyBytes).SequenceEqual(key))
            {
                Volatile.Write(ref Entries[pos], slot + 1);
                return false;
            }
            if (++pos == Entries.Length)
            {
                pos = 0;
            }
        }
        key.CopyTo(Keys.AsSpan(pos * KeyBytes));
        Volatile.Write(ref Entries[pos], slot + 1);
        Used++;
        return true;
    }

    public CardTable Grow()
    {
        var grown = new CardTable(Entries.Length * 2);
        for (var pos = 0; pos < Entries.Length; pos++)
        {
            if (Entries[pos] != 0)
            {
                grown.Map(Keys.AsSpan(pos * KeyBytes, KeyBytes), Entries[pos] - 1);
            }
        }
        return grown;
    }
}
