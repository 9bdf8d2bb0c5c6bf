using Fangyi.Core.Jurisdiction;

namespace Fangyi.Features.Divisions;

public sealed record AddressCandidate(long Code, string Path, DivisionLevel Level, double Confidence);
