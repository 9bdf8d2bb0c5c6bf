using System.Text.Json.Serialization;
using Dapper;
using Fangyi.Core.Ingest;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Status;
using Fangyi.Core.Storage;
using Fangyi.Features.Arrivals;
using Fangyi.Features.Residents;
using Fangyi.Features.Vaccination;

namespace Fangyi.Features.Checkpoint;

// A social-security card number mapped to a resident: kept as a keyed hash and a mask, like identity numbers.
public sealed record CardMapping(long ResidentId, [property: JsonIgnore] byte[] CardHash, int KeyId, string CardMasked) : FactWrite(ResidentId);
