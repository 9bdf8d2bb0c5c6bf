namespace Fangyi.Core.Modules;

/// <summary>
/// A console menu entry. <paramref name="Section"/> groups entries between separators (people, sampling and the
/// screen, the account); <paramref name="Policy"/> null means every signed-in account; the entry is highlighted on
/// its own path and on <paramref name="AlsoActiveOn"/>, the longest match winning.
/// </summary>
public sealed record MenuItem(int Section, int Order, string Label, string Href, string? Policy = null, string[]? AlsoActiveOn = null);
