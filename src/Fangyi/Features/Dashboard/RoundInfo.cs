namespace Fangyi.Features.Dashboard;

public sealed record RoundInfo(long Id, string Name, long StartsAt, long EndsAt);
