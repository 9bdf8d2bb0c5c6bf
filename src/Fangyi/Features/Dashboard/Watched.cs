namespace Fangyi.Features.Dashboard;

public readonly record struct Watched(long Round, long Division)
{
    public string Group => ScreenWatchers.GroupOf(Round, Division);
}
