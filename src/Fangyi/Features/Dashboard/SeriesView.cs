using Fangyi.Core.Counters;
using Fangyi.Core.Jurisdiction;
using Fangyi.Features.Divisions;
using Fangyi.Features.Sampling;

namespace Fangyi.Features.Dashboard;

public sealed record SeriesView(long From, long Width, long[] Values);
