namespace Fangyi.Features.Sampling;

// The answer to a tube's result: how many people it reached and how many retest tasks it opened.
public sealed record TubeResultView(string Tube, string Result, int People, int RetestTasks);
