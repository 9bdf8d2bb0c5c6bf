using System.Collections.Concurrent;
using System.Text;
using Fangyi.Core.Identity;

namespace Fangyi.Core.Status;

/// <summary>
/// Every person's status in memory, so that a verdict at a door never touches disk: who they are (found by the
/// look-up hash of their identity number, their citizen code's subject or their social-security card) and the
/// facts that decide entry (colour, latest sample and result, doses, last arrival).
/// </summary>
/// <remarks>
/// Laid out as columns (<see cref="StatusColumns"/>: one array per field, a person is a slot number). Look-ups are
/// tables of slot numbers (<see cref="SlotTable"/>, <see cref="CardTable"/>). Names and numbers are kept as their
/// masks, packed by <see cref="Masks"/>. The index holds facts only; what a door makes of them is the checkpoint's.
/// Writers take one lock; readers take none: each slot's fields are covered by a sequence counter (a seqlock, one
/// of 4,096 stripes), so a read that raced a write is repeated rather than mixing old and new facts.
/// Times are kept as seconds since 2020 (an int).
/// </remarks>
public sealed class StatusIndex : IStatusSink, IDisposable
{
    private const long EpochSeconds = 1_577_836_800;   // 2020-01-01T00:00:00Z
    private const int HashBytes = StatusColumns.HashBytes;
    private const int CardKeyBytes = CardTable.KeyBytes;

    private readonly LookupHasher _hasher;
    private readonly TimeProvider _clock;
    private readonly Lock _write = new();
    private readonly SlotStripes _stripes = new();
    private readonly Dictionary<string, ushort> _reasonIds = new(StringComparer.Ordinal) { [""] = 0 };
    private readonly Dictionary<long, int> _originIds = new() { [0] = 0 };
    private readonly ConcurrentDictionary<int, string> _otherMasks = new();
    private readonly ConcurrentDictionary<int, string> _otherNames = new();
    private readonly KeyUse _identityKeys = new();
    private readonly KeyUse _cardKeys = new();
    private readonly ConcurrentQueue<long> _refreshQueue = new();
    private readonly HashSet<long> _refreshing = [];
    private readonly HashSet<long> _touched = [];

    private volatile StatusColumns _c = new(0);
    private volatile int[] _slotOf = new int[1024];
    private volatile SlotTable _byHash = new(16);
    private volatile SlotTable _bySubject = new(16);
    private volatile CardTable _byCard = new(16);
    private volatile string[] _reasons = [""];
    private volatile long[] _origins = [0];
    private volatile int _count;
    private long _asOf;

    public StatusIndex(KeyRing keys, TimeProvider clock)
    {
        _hasher = new LookupHasher(keys);
        _clock = clock;
    }

    public void Dispose() => _hasher.Dispose();

    /// <summary>People in the index.</summary>
    public int Count => _count;

    /// <summary>
    /// Until when the index is known to hold everything (Unix ms): the last write it applied, or the last pass that
    /// found nothing more in the store, whichever is later. A device shows how fresh its verdicts are from it.
    /// </summary>
    public long AsOf => Interlocked.Read(ref _asOf);

    // The index's host found nothing in the store that the index lacks: it is current as of now.
    internal void Confirm() => Interlocked.Exchange(ref _asOf, _clock.GetUtcNow().ToUnixTimeMilliseconds());

    // ---------------------------------------------------------------- reads (no lock)

    /// <summary>The slot of the person with this identity number (hashed under every key the index holds hashes of), or -1.</summary>
    public int FindByIdentity(string docType, string number)
    {
        Span<byte> text = stackalloc byte[160];
        if (docType.Length + number.Length > 40)
        {
            return -1;
        }
        var length = Encoding.UTF8.GetBytes(docType, text);
        text[length++] = (byte)':';
        length += Encoding.UTF8.GetBytes(number, text[length..]);
        Span<byte> mac = stackalloc byte[32];
        foreach (var keyId in _identityKeys.Active)
        {
            if (!_hasher.Mac(keyId, text[..length], mac))
            {
                continue;
            }
            var slot = FindIn(_byHash, mac[..HashBytes], subject: false);
            if (slot >= 0)
            {
                return slot;
            }
        }
        return -1;
    }

    /// <summary>The slot of the person whose citizen code carries this subject, or -1.</summary>
    public int FindBySubject(ReadOnlySpan<byte> subject) => subject.Length == HashBytes ? FindIn(_bySubject, subject, subject: true) : -1;

    /// <summary>The slot of the person a social-security card number is mapped to, or -1.</summary>
    public int FindBySocialSecurity(string cardNumber)
    {
        Span<byte> mac = stackalloc byte[32];
        var text = Encoding.UTF8.GetBytes(SocialSecurityHashType + ":" + cardNumber);
        foreach (var keyId in _cardKeys.Active)
        {
            if (!_hasher.Mac(keyId, text, mac))
            {
                continue;
            }
            var slot = _byCard.Find(mac[..CardKeyBytes]);
            if (slot >= 0)
            {
                return slot;
            }
        }
        return -1;
    }

    /// <summary>The document type under which social-security card numbers are hashed (KeyRing.Hash(key, this, number)).</summary>
    public const string SocialSecurityHashType = "social_security";

    public int FindByResident(long residentId)
    {
        var map = _slotOf;
        return residentId > 0 && residentId < map.Length ? map[residentId] - 1 : -1;
    }

    public bool Contains(long residentId) => FindByResident(residentId) >= 0;

    /// <summary>A consistent copy of one person's status.</summary>
    public PersonStatus Read(int slot)
    {
        var s = _stripes.Read(slot, this, static (index, at) => index.Copy(at));
        var name = s.NameLength == byte.MaxValue ? _otherNames.GetValueOrDefault(slot, "") : Masks.Name(s.NameFirst, s.NameLast, s.NameLength);
        var mask = s.IdRegion < 0 ? _otherMasks.GetValueOrDefault(slot, "") : Masks.Number(s.IdRegion, s.IdTail);
        return new PersonStatus(s.Resident, name, mask, s.Facts);
    }

    // The index's seqlock, for the tests that interleave a writer and a reader and for the benchmark.
    internal SlotStripes Stripes => _stripes;

    private readonly record struct SlotCopy(int Resident, char NameFirst, char NameLast, byte NameLength, int IdRegion, ushort IdTail, PersonFacts Facts);

    private SlotCopy Copy(int slot)
    {
        var c = _c;
        return new SlotCopy(c.Resident[slot], c.NameFirst[slot], c.NameLast[slot], c.NameLength[slot], c.IdRegion[slot], c.IdTail[slot], c.Facts(slot));
    }

    public string Reason(ushort id)
    {
        var reasons = _reasons;
        return id < reasons.Length ? reasons[id] : "";
    }

    /// <summary>The division a person last arrived from (an id from <see cref="PersonFacts.ArrivalFrom"/>).</summary>
    public long Origin(long id)
    {
        var origins = _origins;
        return id >= 0 && id < origins.Length ? origins[id] : 0;
    }

    // ---------------------------------------------------------------- writes (one lock)

    /// <summary>Makes room for <paramref name="people"/> people and residents up to <paramref name="maxResidentId"/> at once (the build at start).</summary>
    public void Reserve(int people, long maxResidentId)
    {
        lock (_write)
        {
            if (people > _c.Capacity)
            {
                _c = _c.Grow(people);
            }
            if (maxResidentId >= _slotOf.Length)
            {
                var map = new int[(int)Math.Min(int.MaxValue - 1, maxResidentId + 1)];
                _slotOf.CopyTo(map, 0);
                _slotOf = map;
            }
            if (people / SlotTable.MaxLoad > _byHash.Length)
            {
                _byHash = RebuildTable(subject: false, (int)(people / 0.66) + 16);
            }
        }
    }

    public void Person(in PersonRecord person)
    {
        if (person.IdHash.Length != HashBytes || person.ResidentId is <= 0 or >= int.MaxValue)
        {
            return;
        }
        lock (_write)
        {
            var isNew = !TrySlot(person.ResidentId, out var slot);
            if (isNew)
            {
                slot = _count;
                if (slot >= _c.Capacity)
                {
                    _c = _c.Grow(Math.Max(1024, (int)(slot * 1.25)));
                }
            }
            var c = _c;
            var hash = c.Hash.AsSpan(slot * HashBytes, HashBytes);
            var hashChanged = isNew || !hash.SequenceEqual(person.IdHash) || c.KeyId[slot] != person.KeyId;
            var subject = c.Subject.AsSpan(slot * HashBytes, HashBytes);
            var subjectAdded = person.Subject is { Length: HashBytes } s && !subject.SequenceEqual(s);
            var oldKey = isNew ? -1 : c.KeyId[slot];

            Begin(slot);
            c.Resident[slot] = (int)person.ResidentId;
            person.IdHash.CopyTo(hash);
            c.KeyId[slot] = checked((byte)person.KeyId);
            if (subjectAdded)
            {
                person.Subject!.CopyTo(subject);
            }
            SetName(c, slot, person.Name);
            SetMask(c, slot, person.DocType, person.IdMasked);
            End(slot);

            if (isNew)
            {
                SetSlotOf(person.ResidentId, slot);
                _count = slot + 1;
            }
            if (hashChanged)
            {
                if (oldKey >= 0)
                {
                    _identityKeys.Change(oldKey, -1);
                }
                _identityKeys.Change(person.KeyId, +1);
                _byHash = Insert(_byHash, person.IdHash, slot, subject: false);
            }
            if (subjectAdded)
            {
                _bySubject = Insert(_bySubject, person.Subject!, slot, subject: true);
            }
            Touch(person.ResidentId);
        }
    }

    /// <summary>A citizen-code subject given to a resident the index knows.</summary>
    public void Subject(long residentId, byte[] subject)
    {
        if (subject.Length != HashBytes)
        {
            return;
        }
        lock (_write)
        {
            if (!TrySlot(residentId, out var slot))
            {
                return;
            }
            var c = _c;
            var column = c.Subject.AsSpan(slot * HashBytes, HashBytes);
            if (column.SequenceEqual(subject))
            {
                return;
            }
            Begin(slot);
            subject.CopyTo(column);
            End(slot);
            _bySubject = Insert(_bySubject, subject, slot, subject: true);
            Touch(residentId);
        }
    }

    /// <param name="cardHash">KeyRing.Hash(key, <see cref="SocialSecurityHashType"/>, number); its first 12 bytes are kept.</param>
    /// <param name="residentId">0 removes the card's mapping.</param>
    public void SocialSecurity(ReadOnlySpan<byte> cardHash, int keyId, long residentId)
    {
        if (cardHash.Length < CardKeyBytes)
        {
            return;
        }
        lock (_write)
        {
            var slot = -1;
            if (residentId != 0 && !TrySlot(residentId, out slot))
            {
                return;
            }
            var card = _byCard;
            if (card.Full)
            {
                card = card.Grow();
            }
            if (card.Map(cardHash[..CardKeyBytes], slot))
            {
                _cardKeys.Change(keyId, +1);
            }
            _byCard = card;
            Touch(residentId);
        }
    }

    public void FeedColour(long residentId, HealthColour colour, long since, string reason)
    {
        lock (_write)
        {
            if (TrySlot(residentId, out var slot, out var c))
            {
                var f = c.Facts(slot);
                if (f.ApplyFeedColour(colour, Round(since), ReasonId(reason)))
                {
                    WriteFacts(c, slot, f, residentId);
                }
            }
        }
    }

    public void Hold(long residentId, HealthColour colour, long since, long until, string reason)
    {
        lock (_write)
        {
            if (TrySlot(residentId, out var slot, out var c))
            {
                var f = c.Facts(slot);
                if (f.ApplyHold(colour, Round(since), Round(until), ReasonId(reason), _clock.GetUtcNow().ToUnixTimeMilliseconds()))
                {
                    WriteFacts(c, slot, f, residentId);
                }
            }
        }
    }

    public void Sample(long residentId, long sampledAt, NucleicState state)
    {
        lock (_write)
        {
            if (TrySlot(residentId, out var slot, out var c))
            {
                var f = c.Facts(slot);
                f.ApplySample(Round(sampledAt), state);
                WriteFacts(c, slot, f, residentId);
            }
        }
    }

    /// <summary>A sample was taken back. If it was the one the index shows, the person's facts are rebuilt from the store.</summary>
    public void SampleRemoved(long residentId, long sampledAt)
    {
        var slot = FindByResident(residentId);
        if (slot < 0)
        {
            return;
        }
        var f = Read(slot).Facts;
        if (f.SampledAt == Round(sampledAt) || f.ResultSampledAt == Round(sampledAt))
        {
            RequestRefresh(residentId);
        }
    }

    public void Vaccination(long residentId, int doses, long lastDoseAt)
    {
        lock (_write)
        {
            if (TrySlot(residentId, out var slot, out var c))
            {
                var f = c.Facts(slot);
                f.ApplyVaccination(Math.Clamp(doses, 0, 255), lastDoseAt);
                WriteFacts(c, slot, f, residentId);
            }
        }
    }

    public void Arrival(long residentId, long fromDivision, long arrivedAt)
    {
        lock (_write)
        {
            if (TrySlot(residentId, out var slot, out var c))
            {
                var f = c.Facts(slot);
                if (f.ApplyArrival(OriginId(fromDivision), Round(arrivedAt)))
                {
                    WriteFacts(c, slot, f, residentId);
                }
            }
        }
    }

    /// <summary>Asks for a person's facts to be rebuilt from the store (by the index's host, shortly): how a hold is lifted.</summary>
    public void RequestRefresh(long residentId) => _refreshQueue.Enqueue(residentId);

    internal List<long> TakeRefreshes()
    {
        var ids = new HashSet<long>();
        while (_refreshQueue.TryDequeue(out var id))
        {
            ids.Add(id);
        }
        lock (_write)
        {
            _refreshing.Clear();
            _touched.Clear();
            _refreshing.UnionWith(ids);
        }
        return ids.ToList();
    }

    // Puts facts rebuilt from the store in place of a person's. A person written to while the store was read gets
    // another refresh instead, so the rebuild cannot undo a newer write.
    internal void Replace(long residentId, PersonFacts facts)
    {
        lock (_write)
        {
            if (_touched.Contains(residentId))
            {
                _refreshQueue.Enqueue(residentId);
                return;
            }
            if (TrySlot(residentId, out var slot, out var c))
            {
                WriteFacts(c, slot, facts, residentId);
            }
        }
    }

    internal void EndRefresh()
    {
        lock (_write)
        {
            _refreshing.Clear();
            _touched.Clear();
        }
    }

    public ushort ReasonId(string reason)
    {
        lock (_write)
        {
            if (_reasonIds.TryGetValue(reason, out var id))
            {
                return id;
            }
            if (_reasonIds.Count >= ushort.MaxValue)
            {
                return 0;
            }
            id = (ushort)_reasonIds.Count;
            _reasonIds[reason] = id;
            var reasons = new string[id + 1];
            _reasons.CopyTo(reasons, 0);
            reasons[id] = reason;
            _reasons = reasons;
            return id;
        }
    }

    // ---------------------------------------------------------------- memory

    /// <summary>What the index holds, in bytes, counted from its arrays: the figure the design limits to 128 a person.</summary>
    public long Bytes
    {
        get
        {
            var c = _c;
            return (long)c.Capacity * StatusColumns.BytesPerSlot + (long)_slotOf.Length * 4 + (long)_byHash.Length * 4 + (long)_bySubject.Length * 4
                + (long)_byCard.Entries.Length * (4 + CardKeyBytes) + (long)_origins.Length * 8;
        }
    }

    // ---------------------------------------------------------------- internals

    private bool TrySlot(long residentId, out int slot)
    {
        slot = FindByResident(residentId);
        return slot >= 0;
    }

    private bool TrySlot(long residentId, out int slot, out StatusColumns c)
    {
        c = _c;
        return TrySlot(residentId, out slot);
    }

    private void SetSlotOf(long residentId, int slot)
    {
        var map = _slotOf;
        if (residentId >= map.Length)
        {
            var grown = new int[(int)Math.Min(int.MaxValue - 1, Math.Max(residentId + 1, map.Length * 3L / 2))];
            map.CopyTo(grown, 0);
            map = grown;
        }
        map[residentId] = slot + 1;
        _slotOf = map;
    }

    private void Begin(int slot) => _stripes.BeginWrite(slot);

    private void End(int slot) => _stripes.EndWrite(slot);

    private void Touch(long residentId)
    {
        if (_refreshing.Contains(residentId))
        {
            _touched.Add(residentId);
        }
        Interlocked.Exchange(ref _asOf, _clock.GetUtcNow().ToUnixTimeMilliseconds());
    }

    private void WriteFacts(StatusColumns c, int slot, in PersonFacts f, long residentId)
    {
        Begin(slot);
        c.SetFacts(slot, f);
        End(slot);
        Touch(residentId);
    }

    /// <summary>Unix ms to the index's precision (whole seconds), so a fact read back compares equal to what was written.</summary>
    public static long Round(long ms) => Unpack(Pack(ms));

    internal static int Pack(long ms) => ms <= 0 ? 0 : (int)Math.Clamp(ms / 1000 - EpochSeconds, 1, int.MaxValue);

    internal static long Unpack(int seconds) => seconds == 0 ? 0 : (seconds + EpochSeconds) * 1000;

    internal long OriginIdOf(long division)
    {
        lock (_write)
        {
            return OriginId(division);
        }
    }

    internal long Now => _clock.GetUtcNow().ToUnixTimeMilliseconds();

    private int OriginId(long division)
    {
        if (_originIds.TryGetValue(division, out var id))
        {
            return id;
        }
        id = _originIds.Count;
        _originIds[division] = id;
        var origins = new long[id + 1];
        _origins.CopyTo(origins, 0);
        origins[id] = division;
        _origins = origins;
        return id;
    }

    private void SetName(StatusColumns c, int slot, string name)
    {
        if (Masks.CanPackName(name))
        {
            c.NameFirst[slot] = name.Length > 0 ? name[0] : '\0';
            c.NameLast[slot] = name.Length > 0 ? name[^1] : '\0';
            c.NameLength[slot] = (byte)name.Length;
            _otherNames.TryRemove(slot, out _);
            return;
        }
        _otherNames[slot] = Masks.Name(name);
        c.NameLength[slot] = byte.MaxValue;
    }

    private void SetMask(StatusColumns c, int slot, string docType, string mask)
    {
        if (docType == DocTypes.ResidentId && Masks.TryPackNumber(mask, out var region, out var tail))
        {
            c.IdRegion[slot] = region;
            c.IdTail[slot] = tail;
            _otherMasks.TryRemove(slot, out _);
            return;
        }
        _otherMasks[slot] = mask;
        c.IdRegion[slot] = -1;
    }

    private int FindIn(SlotTable table, ReadOnlySpan<byte> key, bool subject)
    {
        foreach (var slot in table.Find(key))
        {
            // The columns as they are after the entry was read: a person added since a grow is in the new ones.
            var c = _c;
            var column = subject ? c.Subject : c.Hash;
            if (slot < c.Capacity && column.AsSpan(slot * HashBytes, HashBytes).SequenceEqual(key))
            {
                return slot;
            }
        }
        return -1;
    }

    // Adds an entry (the column already holds the key), rebuilding a table that is getting full.
    private SlotTable Insert(SlotTable table, ReadOnlySpan<byte> key, int slot, bool subject)
    {
        if (table.Full)
        {
            table = RebuildTable(subject, (int)(Math.Max(_count, table.Used) * 2.0) + 16);
        }
        table.Add(key, slot);
        return table;
    }

    // A fresh table of every current key (stale entries dropped); readers use the old one until it is published.
    private SlotTable RebuildTable(bool subject, int capacity)
    {
        var c = _c;
        return SlotTable.Build(subject ? c.Subject : c.Hash, HashBytes, _count, capacity, skipEmpty: subject);
    }
}
