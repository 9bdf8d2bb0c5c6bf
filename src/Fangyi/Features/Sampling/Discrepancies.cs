namespace Fangyi.Features.Sampling;

/// <summary>What a lab's reconciliation of a box can find wrong with a tube.</summary>
public static class Discrepancies
{
    public const string Missing = "missing";   // listed in the box, not in it
    public const string Extra = "extra";       // in the box, not listed in it
    public const string Damaged = "damaged";   // in the box, broken or leaking

    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        [Missing] = "缺失", [Extra] = "多出", [Damaged] = "破损",
    };
}
