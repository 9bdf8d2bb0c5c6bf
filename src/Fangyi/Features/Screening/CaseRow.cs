namespace Fangyi.Features.Screening;

/// <summary>A case as its table holds it (the identity fields stay protected: only the masks are read for display).</summary>
public sealed record CaseRow
{
    internal const string Columns = "id, resident_id AS ResidentId, id_hash AS IdHash, id_masked AS IdMasked, phone_masked AS PhoneMasked, phone_cipher AS PhoneCipher, name, address, division, route, confidence, corrected, state, priority, due_at AS DueAt, "
        + "whereabouts, tags, category, policy_version AS PolicyVersion, decided_at AS DecidedAt, hold_colour AS HoldColour, hold_since AS HoldSince, hold_until AS HoldUntil, monitor_until AS MonitorUntil, "
        + "cleared_reason AS ClearedReason, merged_into AS MergedInto, handover_to AS HandoverTo, entries, created_at AS CreatedAt, updated_at AS UpdatedAt";

    public long Id { get; init; }
    public long? ResidentId { get; init; }
    public byte[]? IdHash { get; init; }
    public string? IdMasked { get; init; }
    public string? PhoneMasked { get; init; }
    public byte[]? PhoneCipher { get; init; }
    public string? Name { get; init; }
    public string? Address { get; init; }
    public long Division { get; init; }
    public string Route { get; init; } = "";
    public double Confidence { get; init; }
    public string? Corrected { get; init; }
    public string State { get; init; } = "";
    public int Priority { get; init; }
    public long DueAt { get; init; }
    public string? Whereabouts { get; init; }
    public string? Tags { get; init; }
    public string? Category { get; init; }
    public string? PolicyVersion { get; init; }
    public long? DecidedAt { get; init; }
    public int? HoldColour { get; init; }
    public long? HoldSince { get; init; }
    public long? HoldUntil { get; init; }
    public long? MonitorUntil { get; init; }
    public string? ClearedReason { get; init; }
    public long? MergedInto { get; init; }
    public long? HandoverTo { get; init; }
    public int Entries { get; init; }
    public long CreatedAt { get; init; }
    public long UpdatedAt { get; init; }
}
