namespace Fangyi.Core.Status;

// The status index's people as columns, one array per field; a person is a slot. About 100 bytes a person instead of
// several hundred for an object each, and nothing for the garbage collector to trace. Times are seconds since 2020
// (StatusIndex.Pack). The index's seqlock covers reads and writes of a slot; a full set is replaced by a
// larger copy (Grow), never resized in place.
internal sealed class StatusColumns
{
    /// <summary>A look-up hash or citizen-code subject: the bytes kept a person.</summary>
    public const int HashBytes = 16;

    public const int BytesPerSlot = 4 + HashBytes + 1 + HashBytes + 2 + 2 + 1 + 4 + 2 + 1 + 4 + 2 + 1 + 4 + 4 + 2 + 4 + 1 + 4 + 1 + 1 + 4 + 4 + 4;

    public StatusColumns(int capacity)
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

    /// <summary>A slot's facts (the caller holds the slot's seqlock stripe or the write lock).</summary>
    public PersonFacts Facts(int slot) => new()
    {
        FeedColour = (HealthColour)FeedColour[slot],
        FeedSince = StatusIndex.Unpack(FeedSince[slot]),
        FeedReason = FeedReason[slot],
        HoldColour = (HealthColour)HoldColour[slot],
        HoldSince = StatusIndex.Unpack(HoldSince[slot]),
        HoldUntil = StatusIndex.Unpack(HoldUntil[slot]),
        HoldReason = HoldReason[slot],
        SampledAt = StatusIndex.Unpack(SampleAt[slot]),
        SampleState = (NucleicState)SampleState[slot],
        ResultSampledAt = StatusIndex.Unpack(ResultAt[slot]),
        Result = (NucleicState)ResultState[slot],
        Doses = Doses[slot],
        LastDoseAt = StatusIndex.Unpack(DoseAt[slot]),
        ArrivalFrom = ArrivalFrom[slot],
        ArrivedAt = StatusIndex.Unpack(ArrivedAt[slot]),
    };

    /// <summary>Writes a slot's facts (inside the index's seqlock for the slot).</summary>
    public void SetFacts(int slot, in PersonFacts f)
    {
        FeedColour[slot] = (byte)f.FeedColour;
        FeedSince[slot] = StatusIndex.Pack(f.FeedSince);
        FeedReason[slot] = f.FeedReason;
        HoldColour[slot] = (byte)f.HoldColour;
        HoldSince[slot] = StatusIndex.Pack(f.HoldSince);
        HoldUntil[slot] = StatusIndex.Pack(f.HoldUntil);
        HoldReason[slot] = f.HoldReason;
        SampleAt[slot] = StatusIndex.Pack(f.SampledAt);
        SampleState[slot] = (byte)f.SampleState;
        ResultAt[slot] = StatusIndex.Pack(f.ResultSampledAt);
        ResultState[slot] = (byte)f.Result;
        Doses[slot] = (byte)Math.Clamp(f.Doses, 0, 255);
        DoseAt[slot] = StatusIndex.Pack(f.LastDoseAt);
        ArrivalFrom[slot] = (int)f.ArrivalFrom;
        ArrivedAt[slot] = StatusIndex.Pack(f.ArrivedAt);
    }

    public StatusColumns Grow(int capacity)
    {
        var grown = new StatusColumns(capacity);
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
