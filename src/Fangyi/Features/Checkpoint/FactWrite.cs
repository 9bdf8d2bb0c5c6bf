using System.Text.Json.Serialization;
using Fangyi.Core.Jurisdiction;

namespace Fangyi.Features.Checkpoint;

// A write of one of the checkpoint's facts about a resident, with the writer's jurisdiction for the handler to check.
public abstract record FactWrite(long ResidentId)
{
    [JsonIgnore]
    public Scope Scope { get; init; }
}
