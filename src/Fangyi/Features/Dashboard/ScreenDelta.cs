namespace Fangyi.Features.Dashboard;

public sealed record ScreenDelta(long Round, long Division, IReadOnlyList<NodeDelta> Nodes, long At);
