using System.Text.Json.Serialization;

namespace Fangyi.Features.Screening;

/// <summary>
/// One person named by a source, made ready before it reaches the ingest: the ID number and phone are already look-up
/// hashes and ciphertexts (never in the event log: those fields are not serialised), a name and an address as written.
/// <see cref="Ref"/> names the source's own record (a push and its row number, a tube, a worker's client id), so the same
/// row sent twice is one entry.
/// </summary>
public sealed record Finding
{
    public string Source { get; init; } = "";
    public string Ref { get; init; } = "";
    public string Reason { get; init; } = "";
    public long At { get; init; }
    public bool High { get; init; }

    /// <summary>A resident the source already knows (a positive tube's people); otherwise the handler finds them by hash.</summary>
    public long? ResidentId { get; init; }

    /// <summary>The identity number's hashes under every live key (the first is the active key's, the one a case keeps).</summary>
    [JsonIgnore]
    public IReadOnlyList<byte[]> IdHashes { get; init; } = [];

    [JsonIgnore]
    public byte[]? IdCipher { get; init; }

    public string? IdMasked { get; init; }

    [JsonIgnore]
    public IReadOnlyList<byte[]> PhoneHashes { get; init; } = [];

    [JsonIgnore]
    public byte[]? PhoneCipher { get; init; }

    public string? PhoneMasked { get; init; }

    public int KeyId { get; init; }

    public string? Name { get; init; }

    public string? Address { get; init; }

    /// <summary>The source's own words (window, place, symptoms, the tip's text) as JSON, kept on the entry.</summary>
    public string? Payload { get; init; }

    [JsonIgnore]
    public bool Identified => ResidentId is not null || IdHashes.Count > 0;
}
