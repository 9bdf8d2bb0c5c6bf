using System.Globalization;
using Fangyi.Core.Counters;
using Fangyi.Core.Jurisdiction;
using Fangyi.Features.Residents;
using Fangyi.Features.Sampling;
using static Fangyi.Features.Sampling.SamplingCounters;

namespace Fangyi.Features.Dashboard;

// One line of a report: a division (or the total) and its figures in column order.
public sealed record ReportRow(string Name, IReadOnlyList<string> Cells, bool Total = false);
