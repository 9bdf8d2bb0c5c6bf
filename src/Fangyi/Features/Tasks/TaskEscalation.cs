using Fangyi.Core.Jurisdiction;

namespace Fangyi.Features.Tasks;

/// <summary>
/// Where a task stands in the division tree by the clock: with its village until it is due; an open task past its
/// due time rises to the township's list, and after <see cref="TaskOptions.CountyAfterHours"/> more to the county's.
/// </summary>
public static class TaskEscalation
{
    public const string Village = "village";
    public const string Township = "township";
    public const string County = "county";

    public static string Level(TaskBoard.Row task, long now, TaskOptions options) =>
        task.State != TaskStates.Open || now < task.DueAt ? Village
        : now < task.DueAt + CountyAfter(options) ? Township
        : County;

    /// <summary>
    /// The due time at or before which an open task has risen to the list of an account at this level: now for a
    /// township (or a village, where overdue is all there is), the county's delay earlier for a county or the city.
    /// </summary>
    public static long RisenBy(DivisionLevel level, long now, TaskOptions options) =>
        level is DivisionLevel.Village or DivisionLevel.Township ? now : now - CountyAfter(options);

    private static long CountyAfter(TaskOptions options) => (long)TimeSpan.FromHours(options.CountyAfterHours).TotalMilliseconds;
}
