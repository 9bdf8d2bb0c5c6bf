using System.Text.Json;
using System.Text.Json.Serialization;

namespace Fangyi.Features.Checkpoint;

// The device answers, serialized by generated code rather than by reflection: they are written on every check.
// Web defaults (camelCase), as every other answer of the API.
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CheckAnswer))]
[JsonSerializable(typeof(CheckpointApi.VerifyRequest))]
[JsonSerializable(typeof(CheckpointApi.Heartbeat))]
internal sealed partial class CheckpointJson : JsonSerializerContext;
