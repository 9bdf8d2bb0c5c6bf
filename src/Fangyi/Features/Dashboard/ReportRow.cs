namespace Fangyi.Features.Dashboard;

// One line of a report: a division (or the total) and its figures in column order.
public sealed record ReportRow(string Name, IReadOnlyList<string> Cells, bool Total = false);
