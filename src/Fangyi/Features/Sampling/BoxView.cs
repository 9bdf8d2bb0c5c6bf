namespace Fangyi.Features.Sampling;

// The answer to a scan on a box: the box as it now is, with what the lab found missing on receipt.
public sealed record BoxView(string Box, int Tubes, int People, string State, string? Discrepancy = null);
