using System.Diagnostics;
using Fangyi.Core.Counters;
using Microsoft.AspNetCore.SignalR;

namespace Fangyi.Features.Dashboard;

/// <summary>One division's changed numbers in a push: absolute values, so a lost or repeated message does no harm.</summary>
public sealed record NodeDelta(long Code, IReadOnlyDictionary<string, double> Numbers, IReadOnlyDictionary<string, SeriesView>? Series);
