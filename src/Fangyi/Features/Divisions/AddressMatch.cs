using Fangyi.Core.Jurisdiction;

namespace Fangyi.Features.Divisions;

// What AddressMatcher.Resolve made of a free-text address. Remainder is the text after the last
// matched division name (road, house number, ...). When Status is AddressMatchStatus.Ambiguous,
// Code, Path and Level name the deepest division every candidate lies in (null when they share none) and Confidence is the
// best candidate's divided by the number of equally good candidates. When Unmatched they are null, Confidence is 0 and
// Remainder is the whole text. Corrections lists the names read as a near division name (a homophone or a one-character
// slip, AddressCorrector), empty when every name was matched as written.
public sealed record AddressMatch(
    AddressMatchStatus Status,
    long? Code,
    string? Path,
    DivisionLevel? Level,
    double Confidence,
    string Remainder,
    IReadOnlyList<AddressCandidate> Candidates)
{
    public IReadOnlyList<AddressCorrection> Corrections { get; init; } = [];
}
