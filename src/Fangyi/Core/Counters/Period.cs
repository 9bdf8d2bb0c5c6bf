namespace Fangyi.Core.Counters;

public readonly record struct Period(PeriodKind Kind, long Id)
{
    public static Period Always { get; } = new(PeriodKind.Always, 0);

    public static Period Round(long id) => new(PeriodKind.Round, id);

    /// <summary>A day as yyyymmdd, in the platform's local time.</summary>
    public static Period Day(DateOnly day) => new(PeriodKind.Day, day.Year * 10_000L + day.Month * 100 + day.Day);

    public override string ToString() => Kind switch
    {
        PeriodKind.Always => "always",
        PeriodKind.Round => $"round:{Id}",
        _ => $"day:{Id}",
    };
}
