using System.Text.Json.Serialization;

namespace Fangyi.Features.Residents;

/// <summary>
/// A validated resident ready for the store: the identity number only as keyed hash, ciphertext and mask.
/// Empty optional fields (phone, registered) leave an existing resident's value as it is. Ciphertexts and
/// hashes stay out of the event log's copy (JsonIgnore): the log keeps what happened, not key material. There is
/// no birth date: beside the mask it would give the number away, and the number's ciphertext holds it anyway.
/// </summary>
public sealed record PreparedResident(
    string DocType,
    [property: JsonIgnore] byte[] Hash,
    [property: JsonIgnore] byte[][] LookupHashes,
    [property: JsonIgnore] byte[] IdCipher,
    string IdMasked,
    int KeyId,
    string Name,
    string? Gender,
    [property: JsonIgnore] byte[]? PhoneHash,
    [property: JsonIgnore] byte[]? PhoneCipher,
    string? PhoneMasked,
    long Division,
    bool? Registered,
    IReadOnlyList<string> Tags)
{
    /// <summary>Who writes: their jurisdiction is checked against where the person lives now, not only where they are written to.</summary>
    [JsonIgnore]
    public WriteScope? Writer { get; init; }
}
