using System.Text.Json.Serialization;
using Fangyi.Core.Jurisdiction;

namespace Fangyi.Features.Screening;

/// <summary>
/// The ingest payload of a step on one case, by an account inside <see cref="Scope"/>: verify (reached or not, where
/// the person is now, tags, a note), decide (a policy category, with the verification), hand over to another
/// jurisdiction, accept a handover, assign from the unassigned queue, or identify a provisional case by ID number.
/// </summary>
public sealed record CaseAction
{
    public long CaseId { get; init; }
    public Scope Scope { get; init; }
    public long AccountId { get; init; }
    public bool? Reached { get; init; }
    public string? Method { get; init; }
    public string? Whereabouts { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public string? Note { get; init; }
    public string? Category { get; init; }
    public string? ClearReason { get; init; }
    public long? ToDivision { get; init; }

    [JsonIgnore]
    public IReadOnlyList<byte[]> IdHashes { get; init; } = [];

    [JsonIgnore]
    public byte[]? IdCipher { get; init; }

    public string? IdMasked { get; init; }
    public int KeyId { get; init; }
}
