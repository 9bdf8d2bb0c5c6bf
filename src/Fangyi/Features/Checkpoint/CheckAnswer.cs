namespace Fangyi.Features.Checkpoint;

// The answer a device shows and speaks. For a person not found, Facts is null and the person's name
// is empty (the mask of the number read is given when there was one).
public sealed record CheckAnswer(string Verdict, string PromptKey, string Prompt, PersonView Person, FactsView? Facts, string RuleVersion, PlaceView Place, long CheckedAt, long IndexAsOf)
{
    public string InputKind { get; init; } = "";
}
