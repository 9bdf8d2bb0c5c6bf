namespace Fangyi.Features.Divisions;

// Placeholder until the matcher lands in this commit series.
public enum AddressMatchStatus { Matched, Ambiguous, Unmatched }
public sealed record AddressCandidate(long Code, string Path, DivisionLevel Level, double Confidence);
public sealed record AddressMatch(AddressMatchStatus Status, long? Code, string? Path, DivisionLevel? Level, double Confidence, string Remainder, IReadOnlyList<AddressCandidate> Candidates);
public sealed class AddressMatcher(DivisionTree tree)
{
    public AddressMatch Resolve(string address) => new(AddressMatchStatus.Unmatched, null, null, null, 0, address, [tree.Roots.Count > 0 ? new AddressCandidate(0, "", DivisionLevel.Province, 0) : null!]);
}
