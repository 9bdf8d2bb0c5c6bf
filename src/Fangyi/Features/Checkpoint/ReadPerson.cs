using Fangyi.Core.Http;

namespace Fangyi.Features.Checkpoint;

// The person an input names: their slot in the status index (-1 if unknown), or why the input was refused.
public readonly record struct ReadPerson(string Kind, int Slot, string IdMasked, HealthCodeClaims? HealthCode, ApiProblem? Problem, string? PromptKey)
{
    public static ReadPerson Refused(string kind, ApiProblem problem, string promptKey) => new(kind, -1, "", null, problem, promptKey);
}
