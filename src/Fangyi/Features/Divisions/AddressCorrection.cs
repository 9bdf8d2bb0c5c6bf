namespace Fangyi.Features.Divisions;

// One name in an address that the matcher read as a near division name: Written is the text as written (思马庄),
// Name the division's usual name (司马庄村), Code the division it was taken for.
public sealed record AddressCorrection(string Written, string Name, long Code, AddressCorrectionKind Kind);
