namespace Fangyi.Features.Dashboard;

// A division as the big screen shows it (a bar to drill into, a step of the breadcrumb): its code, name, level and whether it has children.
public sealed record DivisionNode(long Code, string Name, string Level, bool HasChildren);
