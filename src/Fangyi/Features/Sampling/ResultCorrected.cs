namespace Fangyi.Features.Sampling;

// A tube's result set right: its old and new result, and each person's result before (Before) and after (Samples).
public sealed record ResultCorrected(long RoundId, long Division, string OldResult, string NewResult, bool Mixed,
    IReadOnlyList<PersonResult> Before, IReadOnlyList<PersonResult> Samples) : CustodyChange(RoundId, Division);
