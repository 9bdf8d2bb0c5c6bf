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

// A person arrived here from a division (来返).
public sealed record ArrivalReport(long ResidentId, long From, long ArrivedAt) : FactWrite(ResidentId);
