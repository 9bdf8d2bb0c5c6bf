namespace Fangyi.Core.Printing;

/// <summary>A horizontal run of dark modules: row <paramref name="Y"/>, from <paramref name="X"/>, <paramref name="Length"/> modules long.</summary>
public readonly record struct ModuleRun(int X, int Y, int Length);
