using Fangyi.Core.Jurisdiction;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Fangyi.Features.Divisions;

public sealed record AddressCandidate(long Code, string Path, DivisionLevel Level, double Confidence);
