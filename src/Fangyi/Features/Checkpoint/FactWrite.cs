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

// A write of one of the checkpoint's facts about a resident, with the writer's jurisdiction for the handler to check.
public abstract record FactWrite(long ResidentId)
{
    [JsonIgnore]
    public Scope Scope { get; init; }
}
