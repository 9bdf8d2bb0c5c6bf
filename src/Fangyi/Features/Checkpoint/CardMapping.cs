using System.Text.Json.Serialization;

namespace Fangyi.Features.Checkpoint;

// A social-security card number mapped to a resident: kept as a keyed hash and a mask, like identity numbers.
public sealed record CardMapping(long ResidentId, [property: JsonIgnore] byte[] CardHash, int KeyId, string CardMasked) : FactWrite(ResidentId);
