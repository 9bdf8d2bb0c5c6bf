namespace Fangyi.Features.Divisions;

// How a written name differed from the division it was taken for; each kind lowers the match's confidence
// (AddressCorrector.Factor).
public enum AddressCorrectionKind
{
    // One character sounds the same without its tone (思马庄 for 司马庄).
    Homophone,

    // One character replaced by another that does not sound alike, or one dropped or one added.
    Slip,
}
