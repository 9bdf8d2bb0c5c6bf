using Fangyi.Core.Counters;
using Fangyi.Core.Jurisdiction;
using Fangyi.Features.Divisions;
using Fangyi.Features.Sampling;

namespace Fangyi.Features.Dashboard;

public sealed record RoundInfo(long Id, string Name, long StartsAt, long EndsAt);
