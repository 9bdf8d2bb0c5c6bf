namespace Fangyi.Features.Dashboard;

public sealed record SeriesView(long From, long Width, long[] Values);
