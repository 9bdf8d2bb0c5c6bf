using Fangyi.Core.Jurisdiction;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Fangyi.Features.Divisions;

public enum AddressMatchStatus
{
    Matched,
    Ambiguous,
    Unmatched,
}
