using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Fangyi.Core.Identity;

namespace Fangyi.Core.Status;

/// <summary>
/// Every person's status in memory, so that a verdict at a door never touches disk: who they are (found by the
/// look-up hash of their identity number, their citizen code's subject or their social-security card) and the
/// facts that decide entry (colour, latest sample and result, doses, last arrival).
/// </summary>
/// <remarks>
/// Laid out as columns (one array per field, a person is a slot number) rather than an object per person: about
/// 100 bytes a person instead of several hundred, and nothing for the garbage collector to trace. Look-ups are
/// open-addressing tables of slot numbers; a table compares against the key kept in the column, so a person whose
/// hash changed (a key rotation moved their row) leaves a stale entry that simply never matches.
/// Writers take one lock; readers take none: each slot's fields are covered by a sequence counter (a seqlock, one
/// of 4,096 stripes), so a read that raced a write is repeated rather than mixing old and new facts.
/// Times are kept as seconds since 2020 (an int).
/// </remarks>
public sealed class StatusIndex : IStatusSink
{
    private const int StripeMask = 4095;
    private const long EpochSeconds = 1_577_836_800;   // 2020-01-01T00:00:00Z
    private const int HashBytes = 16;
    private const int CardKeyBytes = 12;
    private const double MaxLoad = 0.7;

    private readonly KeyRing _keys;
    private readonly TimeProvider _clock;
    private readonly Lock _write = new();
    private readonly int[] _stripes = new int[StripeMask + 1];
    private readonly Dictionary<string, ushort> _reasonIds = new(StringComparer.Ordinal) { [""] = 0 };
    private readonly Dictionary<long, int> _originIds = new() { [0] = 0 };
    private readonly ConcurrentDictionary<int, string> _otherMasks = new();
    private readonly ConcurrentDictionary<int, string> _otherNames = new();
    private readonly ConcurrentDictionary<int, IdentityKey> _keyCache = new();
    private readonly int[] _identityKeyUse = new int[256];
    private readonly int[] _cardKeyUse = new int[256];
    private readonly ConcurrentQueue<long> _refreshQueue = new();
    private readonly HashSet<long> _refreshing = [];
    private readonly HashSet<long> _touched = [];

    private volatile Columns _c = new(0);
    private volatile int[] _slotOf = new int[1024];
    private volatile int[] _byHash = new int[16];
    private volatile int[] _bySubject = new int[16];
    private volatile CardTable _byCard = new(16);
    private volatile string[] _reasons = [""];
    private volatile long[] _origins = [0];
    private volatile int[] _identityKeys = [];
    private volatile int[] _cardKeys = [];
    private int _hashUsed;
    private int _subjectUsed;
    private volatile int _count;
    private long _asOf;

    public StatusIndex(KeyRing keys, TimeProvider clock)
    {
        _keys = keys;
        _clock = clock;
    }

    /// <summary>People in the index.</summary>
    public int Count => _count;

    /// <summary>
    /// Until when the index is known to hold everything (Unix ms): the last write it applied, or the last pass that
    /// found nothing more in the store, whichever is later. A device shows how fresh its verdicts are from it.
    /// </summary>
    public long AsOf => Interlocked.Read(ref _asOf);

    /// <summary>The index's host found nothing in the store that the index lacks: it is current as of now.</summary>
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
        foreach (var keyId in _identityKeys)
        {
            if (!Mac(keyId, text[..length], mac))
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
        foreach (var keyId in _cardKeys)
        {
            if (!Mac(keyId, text, mac))
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
        ref var stripe = ref _stripes[slot & StripeMask];
        var spins = 0;
        while (true)
        {
            var before = Volatile.Read(ref stripe);
            if ((before & 1) != 0)
            {
                Thread.SpinWait(++spins);
                continue;
            }
            var c = _c;
            var resident = c.Resident[slot];
            var (first, last, length) = (c.NameFirst[slot], c.NameLast[slot], c.NameLength[slot]);
            var (region, tail) = (c.IdRegion[slot], c.IdTail[slot]);
            var facts = ReadFacts(c, slot);
            Interlocked.MemoryBarrier();
            if (Volatile.Read(ref stripe) != before)
            {
                continue;
            }
            var name = length == byte.MaxValue ? _otherNames.GetValueOrDefault(slot, "") : MaskName(first, last, length);
            var mask = region < 0 ? _otherMasks.GetValueOrDefault(slot, "") : IdMask(region, tail);
            return new PersonStatus(resident, name, mask, facts);
        }
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
            if (people / MaxLoad > _byHash.Length)
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
                    _identityKeys = Use(_identityKeyUse, _identityKeys, oldKey, -1);
                }
                _identityKeys = Use(_identityKeyUse, _identityKeys, person.KeyId, +1);
                _byHash = Insert(_byHash, ref _hashUsed, person.IdHash, slot, subject: false);
            }
            if (subjectAdded)
            {
                _bySubject = Insert(_bySubject, ref _subjectUsed, person.Subject!, slot, subject: true);
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
            _bySubject = Insert(_bySubject, ref _subjectUsed, subject, slot, subject: true);
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
            if ((card.Used + 1) > card.Entries.Length * MaxLoad)
            {
                card = card.Grow();
            }
            if (card.Map(cardHash[..CardKeyBytes], slot))
            {
                _cardKeys = Use(_cardKeyUse, _cardKeys, keyId, +1);
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
                var f = ReadFacts(c, slot);
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
                var f = ReadFacts(c, slot);
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
                var f = ReadFacts(c, slot);
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
                var f = ReadFacts(c, slot);
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
                var f = ReadFacts(c, slot);
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

    /// <summary>
    /// Puts facts rebuilt from the store in place of a person's. A person written to while the store was read gets
    /// another refresh instead, so the rebuild cannot undo a newer write.
    /// </summary>
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
            return (long)c.Capacity * Columns.BytesPerSlot + (long)_slotOf.Length * 4 + (long)_byHash.Length * 4 + (long)_bySubject.Length * 4
                + (long)_byCard.Entries.Length * (4 + CardKeyBytes) + (long)_origins.Length * 8;
        }
    }

    // ---------------------------------------------------------------- internals

    private bool TrySlot(long residentId, out int slot)
    {
        slot = FindByResident(residentId);
        return slot >= 0;
    }

    private bool TrySlot(long residentId, out int slot, out Columns c)
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

    private void Begin(int slot) => Interlocked.Increment(ref _stripes[slot & StripeMask]);

    private void End(int slot) => Interlocked.Increment(ref _stripes[slot & StripeMask]);

    private void Touch(long residentId)
    {
        if (_refreshing.Contains(residentId))
        {
            _touched.Add(residentId);
        }
        Interlocked.Exchange(ref _asOf, _clock.GetUtcNow().ToUnixTimeMilliseconds());
    }

    private void WriteFacts(Columns c, int slot, in PersonFacts f, long residentId)
    {
        Begin(slot);
        c.FeedColour[slot] = (byte)f.FeedColour;
        c.FeedSince[slot] = Pack(f.FeedSince);
        c.FeedReason[slot] = f.FeedReason;
        c.HoldColour[slot] = (byte)f.HoldColour;
        c.HoldSince[slot] = Pack(f.HoldSince);
        c.HoldUntil[slot] = Pack(f.HoldUntil);
        c.HoldReason[slot] = f.HoldReason;
        c.SampleAt[slot] = Pack(f.SampledAt);
        c.SampleState[slot] = (byte)f.SampleState;
        c.ResultAt[slot] = Pack(f.ResultSampledAt);
        c.ResultState[slot] = (byte)f.Result;
        c.Doses[slot] = (byte)Math.Clamp(f.Doses, 0, 255);
        c.DoseAt[slot] = Pack(f.LastDoseAt);
        c.ArrivalFrom[slot] = (int)f.ArrivalFrom;
        c.ArrivedAt[slot] = Pack(f.ArrivedAt);
        End(slot);
        Touch(residentId);
    }

    private static PersonFacts ReadFacts(Columns c, int slot) => new()
    {
        FeedColour = (HealthColour)c.FeedColour[slot],
        FeedSince = Unpack(c.FeedSince[slot]),
        FeedReason = c.FeedReason[slot],
        HoldColour = (HealthColour)c.HoldColour[slot],
        HoldSince = Unpack(c.HoldSince[slot]),
        HoldUntil = Unpack(c.HoldUntil[slot]),
        HoldReason = c.HoldReason[slot],
        SampledAt = Unpack(c.SampleAt[slot]),
        SampleState = (NucleicState)c.SampleState[slot],
        ResultSampledAt = Unpack(c.ResultAt[slot]),
        Result = (NucleicState)c.ResultState[slot],
        Doses = c.Doses[slot],
        LastDoseAt = Unpack(c.DoseAt[slot]),
        ArrivalFrom = c.ArrivalFrom[slot],
        ArrivedAt = Unpack(c.ArrivedAt[slot]),
    };

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

    // Per thread, an HMAC already keyed with each key: the one-shot HMACSHA256.HashData sets a key up every call,
    // which cost several times the hash itself on the hot path.
    private readonly ThreadLocal<Dictionary<int, IncrementalHash>> _macs = new(() => []);

    /// <summary>The look-up hash (HMAC-SHA256) of <paramref name="text"/> under key <paramref name="keyId"/>, as KeyRing.Hash makes it.</summary>
    private bool Mac(int keyId, ReadOnlySpan<byte> text, Span<byte> mac)
    {
        var macs = _macs.Value!;
        if (!macs.TryGetValue(keyId, out var hmac))
        {
            if (KeyFor(keyId) is not { } key)
            {
                return false;
            }
            hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key.Mac);
            macs[keyId] = hmac;
        }
        hmac.AppendData(text);
        hmac.GetHashAndReset(mac);
        return true;
    }

    private IdentityKey? KeyFor(int keyId)
    {
        if (_keyCache.TryGetValue(keyId, out var key))
        {
            return key;
        }
        // Retired keys stay in the key file, so hashes the index holds under one still find their people.
        key = _keys.All.FirstOrDefault(k => k.Id == keyId);
        if (key is not null)
        {
            _keyCache[keyId] = key;
        }
        return key;
    }

    /// <summary>Counts the rows under each key id; returns the key ids to try, the most used first.</summary>
    private static int[] Use(int[] counts, int[] active, int keyId, int delta)
    {
        var before = counts[keyId];
        counts[keyId] = Math.Max(0, before + delta);
        return (before == 0) != (counts[keyId] == 0)
            ? Enumerable.Range(0, counts.Length).Where(k => counts[k] > 0).OrderByDescending(k => counts[k]).ToArray()
            : active;
    }

    private void SetName(Columns c, int slot, string name)
    {
        if (name.Length < byte.MaxValue && (name.Length == 0 || (!char.IsSurrogate(name[0]) && !char.IsSurrogate(name[^1]))))
        {
            c.NameFirst[slot] = name.Length > 0 ? name[0] : '\0';
            c.NameLast[slot] = name.Length > 0 ? name[^1] : '\0';
            c.NameLength[slot] = (byte)name.Length;
            _otherNames.TryRemove(slot, out _);
            return;
        }
        _otherNames[slot] = MaskFull(name);
        c.NameLength[slot] = byte.MaxValue;
    }

    /// <summary>The same mask as the registry shows (ResidentRules.MaskName): 张*, 张*三, 欧**锋.</summary>
    private static string MaskName(char first, char last, int length) => length switch
    {
        0 => "",
        1 => first.ToString(),
        2 => string.Concat(first.ToString(), "*"),
        _ => string.Create(length, (first, last), (span, x) =>
        {
            span.Fill('*');
            span[0] = x.first;
            span[^1] = x.last;
        }),
    };

    private static string MaskFull(string name)
    {
        var e = StringInfo.GetTextElementEnumerator(name);
        var elements = new List<string>();
        while (e.MoveNext())
        {
            elements.Add((string)e.Current);
        }
        return elements.Count switch
        {
            0 or 1 => name,
            2 => elements[0] + "*",
            _ => elements[0] + new string('*', elements.Count - 2) + elements[^1],
        };
    }

    private const string CheckCharacters = "0123456789X";

    private void SetMask(Columns c, int slot, string docType, string mask)
    {
        // A resident ID's mask (130***********123X) is its first three and last four: six bytes instead of a string.
        if (docType == DocTypes.ResidentId && mask.Length == 18 && mask.AsSpan(3, 11).SequenceEqual("***********")
            && int.TryParse(mask.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var region)
            && int.TryParse(mask.AsSpan(14, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            && CheckCharacters.IndexOf(mask[17]) is var check and >= 0)
        {
            c.IdRegion[slot] = region;
            c.IdTail[slot] = (ushort)(sequence * 11 + check);
            _otherMasks.TryRemove(slot, out _);
            return;
        }
        _otherMasks[slot] = mask;
        c.IdRegion[slot] = -1;
    }

    private static string IdMask(int region, ushort tail) => string.Create(18, (region, tail), (span, x) =>
    {
        x.region.TryFormat(span, out _, "D3", CultureInfo.InvariantCulture);
        span.Slice(3, 11).Fill('*');
        (x.tail / 11).TryFormat(span[14..], out _, "D3", CultureInfo.InvariantCulture);
        span[17] = CheckCharacters[x.tail % 11];
    });

    private static int Start(ReadOnlySpan<byte> key, int capacity) =>
        (int)(((ulong)BinaryPrimitives.ReadUInt32LittleEndian(key) * (ulong)capacity) >> 32);

    private int FindIn(int[] table, ReadOnlySpan<byte> key, bool subject)
    {
        var pos = Start(key, table.Length);
        while (true)
        {
            var entry = Volatile.Read(ref table[pos]);
            if (entry == 0)
            {
                return -1;
            }
            var slot = entry - 1;
            var c = _c;
            var column = subject ? c.Subject : c.Hash;
            if (slot < c.Capacity && column.AsSpan(slot * HashBytes, HashBytes).SequenceEqual(key))
            {
                return slot;
            }
            if (++pos == table.Length)
            {
                pos = 0;
            }
        }
    }

    /// <summary>Adds an entry (the column already holds the key), rebuilding a table that is getting full.</summary>
    private int[] Insert(int[] table, ref int used, ReadOnlySpan<byte> key, int slot, bool subject)
    {
        if (used + 1 > table.Length * MaxLoad)
        {
            table = RebuildTable(subject, (int)(Math.Max(_count, used) * 2.0) + 16);
            used = Occupied(table);
        }
        var pos = Start(key, table.Length);
        while (table[pos] != 0)
        {
            if (++pos == table.Length)
            {
                pos = 0;
            }
        }
        Volatile.Write(ref table[pos], slot + 1);
        used++;
        return table;
    }

    private static int Occupied(int[] table)
    {
        var n = 0;
        foreach (var e in table)
        {
            n += e != 0 ? 1 : 0;
        }
        return n;
    }

    /// <summary>A fresh table of every current key (stale entries dropped); readers use the old one until it is published.</summary>
    private int[] RebuildTable(bool subject, int capacity)
    {
        var c = _c;
        var column = subject ? c.Subject : c.Hash;
        var table = new int[Math.Max(16, capacity)];
        for (var slot = 0; slot < _count; slot++)
        {
            var key = column.AsSpan(slot * HashBytes, HashBytes);
            if (subject && key.IndexOfAnyExcept((byte)0) < 0)
            {
                continue;
            }
            var pos = Start(key, table.Length);
            while (table[pos] != 0)
            {
                if (++pos == table.Length)
                {
                    pos = 0;
                }
            }
            table[pos] = slot + 1;
        }
        if (subject)
        {
            _subjectUsed = Occupied(table);
        }
        else
        {
            _hashUsed = Occupied(table);
        }
        return table;
    }

    /// <summary>Card number hashes (first 12 bytes) to slots; an entry of -1 is a card whose mapping was removed.</summary>
    private sealed class CardTable(int capacity)
    {
        public readonly byte[] Keys = new byte[capacity * CardKeyBytes];
        public readonly int[] Entries = new int[capacity];
        public int Used;

        public int Find(ReadOnlySpan<byte> key)
        {
            var pos = Start(key, Entries.Length);
            while (true)
            {
                var entry = Volatile.Read(ref Entries[pos]);
                if (entry == 0)
                {
                    return -1;
                }
                if (Keys.AsSpan(pos * CardKeyBytes, CardKeyBytes).SequenceEqual(key))
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
            var pos = Start(key, Entries.Length);
            while (Entries[pos] != 0)
            {
                if (Keys.AsSpan(pos * CardKeyBytes, CardKeyBytes).SequenceEqual(key))
                {
                    Volatile.Write(ref Entries[pos], slot + 1);
                    return false;
                }
                if (++pos == Entries.Length)
                {
                    pos = 0;
                }
            }
            key.CopyTo(Keys.AsSpan(pos * CardKeyBytes));
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
                    grown.Map(Keys.AsSpan(pos * CardKeyBytes, CardKeyBytes), Entries[pos] - 1);
                }
            }
            return grown;
        }
    }

    /// <summary>One array per field; a person is a slot.</summary>
    private sealed class Columns
    {
        public const int BytesPerSlot = 4 + HashBytes + 1 + HashBytes + 2 + 2 + 1 + 4 + 2 + 1 + 4 + 2 + 1 + 4 + 4 + 2 + 4 + 1 + 4 + 1 + 1 + 4 + 4 + 4;

        public Columns(int capacity)
        {
            Capacity = capacity;
            Resident = new int[capacity];
            Hash = new byte[capacity * HashBytes];
            KeyId = new byte[capacity];
            Subject = new byte[capacity * HashBytes];
            NameFirst = new char[capacity];
            NameLast = new char[capacity];
            NameLength = new byte[capacity];
            IdRegion = new int[capacity];
            IdTail = new ushort[capacity];
            FeedColour = new byte[capacity];
            FeedSince = new int[capacity];
            FeedReason = new ushort[capacity];
            HoldColour = new byte[capacity];
            HoldSince = new int[capacity];
            HoldUntil = new int[capacity];
            HoldReason = new ushort[capacity];
            SampleAt = new int[capacity];
            SampleState = new byte[capacity];
            ResultAt = new int[capacity];
            ResultState = new byte[capacity];
            Doses = new byte[capacity];
            DoseAt = new int[capacity];
            ArrivalFrom = new int[capacity];
            ArrivedAt = new int[capacity];
        }

        public int Capacity { get; }
        public int[] Resident { get; }
        public byte[] Hash { get; }
        public byte[] KeyId { get; }
        public byte[] Subject { get; }
        public char[] NameFirst { get; }
        public char[] NameLast { get; }
        public byte[] NameLength { get; }
        public int[] IdRegion { get; }
        public ushort[] IdTail { get; }
        public byte[] FeedColour { get; }
        public int[] FeedSince { get; }
        public ushort[] FeedReason { get; }
        public byte[] HoldColour { get; }
        public int[] HoldSince { get; }
        public int[] HoldUntil { get; }
        public ushort[] HoldReason { get; }
        public int[] SampleAt { get; }
        public byte[] SampleState { get; }
        public int[] ResultAt { get; }
        public byte[] ResultState { get; }
        public byte[] Doses { get; }
        public int[] DoseAt { get; }
        public int[] ArrivalFrom { get; }
        public int[] ArrivedAt { get; }

        public Columns Grow(int capacity)
        {
            var grown = new Columns(capacity);
            var n = Capacity;
            Array.Copy(Resident, grown.Resident, n);
            Array.Copy(Hash, grown.Hash, n * HashBytes);
            Array.Copy(KeyId, grown.KeyId, n);
            Array.Copy(Subject, grown.Subject, n * HashBytes);
            Array.Copy(NameFirst, grown.NameFirst, n);
            Array.Copy(NameLast, grown.NameLast, n);
            Array.Copy(NameLength, grown.NameLength, n);
            Array.Copy(IdRegion, grown.IdRegion, n);
            Array.Copy(IdTail, grown.IdTail, n);
            Array.Copy(FeedColour, grown.FeedColour, n);
            Array.Copy(FeedSince, grown.FeedSince, n);
            Array.Copy(FeedReason, grown.FeedReason, n);
            Array.Copy(HoldColour, grown.HoldColour, n);
            Array.Copy(HoldSince, grown.HoldSince, n);
            Array.Copy(HoldUntil, grown.HoldUntil, n);
            Array.Copy(HoldReason, grown.HoldReason, n);
            Array.Copy(SampleAt, grown.SampleAt, n);
            Array.Copy(SampleState, grown.SampleState, n);
            Array.Copy(ResultAt, grown.ResultAt, n);
            Array.Copy(ResultState, grown.ResultState, n);
            Array.Copy(Doses, grown.Doses, n);
            Array.Copy(DoseAt, grown.DoseAt, n);
            Array.Copy(ArrivalFrom, grown.ArrivalFrom, n);
            Array.Copy(ArrivedAt, grown.ArrivedAt, n);
            return grown;
        }
    }
}
