namespace Fangyi.Features.Sampling;

// The answer to a lab's reconciliation: the box as it now is and what did not match.
public sealed record ReconcileView(string Box, string State, int Expected, int Checked, IReadOnlyList<string> Missing, IReadOnlyList<string> Extra,
    IReadOnlyList<string> Damaged, string? Discrepancy);
