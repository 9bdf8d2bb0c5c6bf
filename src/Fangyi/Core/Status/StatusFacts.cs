using System.Diagnostics.CodeAnalysis;
namespace Fangyi.Core.Status;

/// <summary>Health-code colour (健康码). The order is the severity: a worse colour is a larger value.</summary>
[SuppressMessage("Design", "CA1028", Justification = "A byte keeps the in-memory status index and counter keys small; millions of them are held.")]
public enum HealthColour : byte
{
    Green = 0,
    Yellow = 1,
    Red = 2,
}

/// <summary>The state of one nucleic-acid sample as the status index keeps it.</summary>
[SuppressMessage("Design", "CA1028", Justification = "A byte keeps the in-memory status index and counter keys small; millions of them are held.")]
public enum NucleicState : byte
{
    None = 0,
    Pending = 1,        // 已采样，结果未出
    Negative = 2,       // 阴性
    Positive = 3,       // 阳性
    MixedPositive = 4,  // 混管阳性待复核
    Invalid = 5,        // 样本无效，需重采
}

public static class StatusNames
{
    public static string Name(this HealthColour colour) => colour switch
    {
        HealthColour.Red => "red",
        HealthColour.Yellow => "yellow",
        _ => "green",
    };

    public static string ChineseName(this HealthColour colour) => colour switch
    {
        HealthColour.Red => "红码",
        HealthColour.Yellow => "黄码",
        _ => "绿码",
    };

    public static HealthColour? ParseColour(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "green" or "绿" or "绿码" or "g" or "0" => HealthColour.Green,
        "yellow" or "黄" or "黄码" or "y" or "1" => HealthColour.Yellow,
        "red" or "红" or "红码" or "r" or "2" => HealthColour.Red,
        _ => null,
    };

    public static string Name(this NucleicState state) => state switch
    {
        NucleicState.Pending => "pending",
        NucleicState.Negative => SampleResults.Negative,
        NucleicState.Positive => SampleResults.Positive,
        NucleicState.MixedPositive => SampleResults.MixedPositive,
        NucleicState.Invalid => SampleResults.Invalid,
        _ => "none",
    };

    public static bool IsResult(this NucleicState state) => state >= NucleicState.Negative;
}

/// <summary>Who a person is, as the index needs it to find them and to name them (masked) at a door.</summary>
/// <param name="IdHash">The 16-byte look-up hash of the identity number under key <paramref name="KeyId"/>.</param>
/// <param name="Subject">The citizen code's opaque subject, or null if none was given yet (a null never clears one).</param>
public readonly record struct PersonRecord(long ResidentId, int KeyId, byte[] IdHash, byte[]? Subject, string Name, string DocType, string IdMasked);

/// <summary>
/// A person's facts, merged by the rules every source shares: a newer colour change replaces an older one, a later
/// sample replaces an earlier one, a result lands on its own sample. Reasons are ids of the index's reason table.
/// </summary>
public struct PersonFacts
{
    public HealthColour FeedColour { get; set; }
    public long FeedSince { get; set; }
    public ushort FeedReason { get; set; }
    public HealthColour HoldColour { get; set; }
    public long HoldSince { get; set; }
    public long HoldUntil { get; set; }
    public ushort HoldReason { get; set; }
    public long SampledAt { get; set; }
    public NucleicState SampleState { get; set; }
    public long ResultSampledAt { get; set; }
    public NucleicState Result { get; set; }
    public int Doses { get; set; }
    public long LastDoseAt { get; set; }
    public long ArrivalFrom { get; set; }
    public long ArrivedAt { get; set; }

    /// <summary>The provincial feed's colour: a change older than the one held is old news.</summary>
    public bool ApplyFeedColour(HealthColour colour, long since, ushort reason)
    {
        if (since < FeedSince)
        {
            return false;
        }
        (FeedColour, FeedSince, FeedReason) = (colour, since, reason);
        return true;
    }

    /// <summary>
    /// A local hold (screening, quarantine ...) that keeps the colour at least <paramref name="colour"/> until
    /// <paramref name="until"/>. The worst hold still running wins; a hold can only be lifted by a refresh from the store.
    /// </summary>
    public bool ApplyHold(HealthColour colour, long since, long until, ushort reason, long now)
    {
        var running = HoldUntil > now;
        if (running && (colour < HoldColour || (colour == HoldColour && until <= HoldUntil)))
        {
            return false;
        }
        (HoldColour, HoldSince, HoldUntil, HoldReason) = (colour, since, until, reason);
        return true;
    }

    /// <summary>A sample taken (state Pending) or its result (any other state).</summary>
    public void ApplySample(long sampledAt, NucleicState state)
    {
        if (sampledAt > SampledAt)
        {
            (SampledAt, SampleState) = (sampledAt, state);
        }
        else if (sampledAt == SampledAt && state != NucleicState.Pending)
        {
            SampleState = state;
        }
        if (state.IsResult() && sampledAt >= ResultSampledAt)
        {
            (ResultSampledAt, Result) = (sampledAt, state);
        }
    }

    public void ApplyVaccination(int doses, long lastDoseAt) => (Doses, LastDoseAt) = (doses, lastDoseAt);

    public bool ApplyArrival(long from, long arrivedAt)
    {
        if (arrivedAt < ArrivedAt)
        {
            return false;
        }
        (ArrivalFrom, ArrivedAt) = (from, arrivedAt);
        return true;
    }
}

/// <summary>What a read of the index gives: who (masked) and the facts, consistent with each other.</summary>
public readonly record struct PersonStatus(long ResidentId, string MaskedName, string IdMasked, PersonFacts Facts);

/// <summary>Where facts are written: the live index, or a collector when one person's facts are rebuilt from the store.</summary>
public interface IStatusSink
{
    void Person(in PersonRecord person);

    void FeedColour(long residentId, HealthColour colour, long since, string reason);

    void Hold(long residentId, HealthColour colour, long since, long until, string reason);

    void Sample(long residentId, long sampledAt, NucleicState state);

    void Vaccination(long residentId, int doses, long lastDoseAt);

    void Arrival(long residentId, long fromDivision, long arrivedAt);

    void SocialSecurity(ReadOnlySpan<byte> cardHash, int keyId, long residentId);
}

/// <summary>
/// A capability's contribution to the index: it loads its facts from its own tables, for everyone at start or for
/// a few people when their facts must be rebuilt (a removed sample, a lifted hold). Sources with a lower order load
/// first (people before their facts).
/// </summary>
public interface IStatusSource
{
    int Order { get; }

    // residents: Null: everyone (the build at start). Otherwise only these people's facts.
    Task LoadAsync(IStatusSink sink, IReadOnlyCollection<long>? residents, CancellationToken ct);

    // Picks up rows written by other processes since the last call (e.g. a command-line import). Most sources have none.
    Task CatchUpAsync(IStatusSink sink, CancellationToken ct) => Task.CompletedTask;
}
