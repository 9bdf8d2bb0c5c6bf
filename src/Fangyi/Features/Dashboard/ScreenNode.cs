namespace Fangyi.Features.Dashboard;

public sealed record ScreenNode(DivisionNode Place, IReadOnlyDictionary<string, double> Numbers);
