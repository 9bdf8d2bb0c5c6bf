namespace Fangyi.Core.Status;

/// <summary>
/// The results of a nucleic-acid sample, as tubes and samples store them and the API sends them ("negative" ...; a
/// pending sample has none): the one spelling of a result, its Chinese name, the one parser of what a lab enters,
/// and the status index's <see cref="NucleicState"/> for each.
/// </summary>
public static class SampleResults
{
    public const string Negative = "negative";               // 阴性
    public const string Positive = "positive";               // 阳性
    public const string MixedPositive = "mixed_positive";    // 混管阳性待复核
    public const string Invalid = "invalid";                 // 无效，需重采

    public static readonly IReadOnlyList<string> All = [Negative, Positive, MixedPositive, Invalid];

    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        [Negative] = "阴性", [Positive] = "阳性", [MixedPositive] = "混管阳性待复核", [Invalid] = "样本无效，请重新采样",
    };

    /// <summary>
    /// A tube's result as a lab enters it ("阴性", "-", "positive" ...): its stored name, or null. A mixed positive is
    /// never entered: it is what a positive pooled tube means for each person in it.
    /// </summary>
    public static string? Parse(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "negative" or "阴性" or "-" => Negative,
        "positive" or "阳性" or "+" => Positive,
        "invalid" or "无效" => Invalid,
        _ => null,
    };

    /// <summary>A stored result (null while pending) as the status index's state; one it does not know reads as invalid.</summary>
    public static NucleicState State(string? result) => result switch
    {
        null or "" => NucleicState.Pending,
        Negative => NucleicState.Negative,
        Positive => NucleicState.Positive,
        MixedPositive => NucleicState.MixedPositive,
        _ => NucleicState.Invalid,
    };

    /// <summary>
    /// SQL giving a result column's state as its number, the same as <see cref="State"/> gives: for reading millions
    /// of rows without a string each.
    /// </summary>
    public static string StateSql(string column) =>
        $"CASE WHEN {column} IS NULL OR {column} = '' THEN {(int)State(null)} "
        + string.Concat(All.Select(name => $"WHEN {column} = '{name}' THEN {(int)State(name)} "))
        + $"ELSE {(int)State("unknown")} END";
}
