namespace Fangyi.Features.Sampling;

public sealed record LabelRequest(string Title, IReadOnlyList<string> Codes, LabelLayout Layout);
