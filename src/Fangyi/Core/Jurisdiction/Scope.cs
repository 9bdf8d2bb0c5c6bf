namespace Fangyi.Core.Jurisdiction;

/// <summary>
/// A jurisdiction: every division code that starts with the prefix of the division an account is bound to.
/// Because codes are 12-digit numbers, the prefix is the numeric range [Low, High]; 130922000000 (a county)
/// covers 130922000000..130922999999.
/// </summary>
public readonly record struct Scope(long Root, long Low, long High)
{
    public static readonly Scope Everything = new(0, 0, 999_999_999_999);

    public static Scope Of(long division, DivisionLevel level)
    {
        var width = (long)Math.Pow(10, 12 - Division.PrefixDigits(level));
        var low = division / width * width;
        return new Scope(division, low, low + width - 1);
    }

    public static Scope Of(long division) => Of(division, Division.LevelOf(division));

    public bool Contains(long division) => division >= Low && division <= High;

    public bool Contains(Scope inner) => inner.Low >= Low && inner.High <= High;
}
