using System.Text.Json.Serialization;
using Fangyi.Features.Residents;

namespace Fangyi.Features.Sampling;

// A person as scanned: by identity number (look-up hashes under every live key, and a resident ready to be
// registered if the platform has never met them) or by citizen code (its opaque subject).
public sealed record PersonRef(string Masked, [property: JsonIgnore] byte[][] Hashes, [property: JsonIgnore] byte[]? Subject, [property: JsonIgnore] PreparedResident? Unregistered);
