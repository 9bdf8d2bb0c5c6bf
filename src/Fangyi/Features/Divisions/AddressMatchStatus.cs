namespace Fangyi.Features.Divisions;

public enum AddressMatchStatus
{
    Matched,
    Ambiguous,
    Unmatched,
}
