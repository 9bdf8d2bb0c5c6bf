namespace Fangyi.Core.Imports;

/// <summary>One data row of an imported sheet, with its row number as the user sees it (the header is row 1).</summary>
public sealed class SheetRow(int number, string[] cells, IReadOnlyDictionary<string, int> columns)
{
    public int Number { get; } = number;

    /// <summary>The trimmed cell of the first of <paramref name="names"/> that the header has, or "".</summary>
    public string Get(params string[] names)
    {
        foreach (var name in names)
        {
            if (columns.TryGetValue(name, out var i))
            {
                return i < cells.Length ? cells[i].Trim() : "";
            }
        }
        return "";
    }

    public bool Has(params string[] names) => names.Any(columns.ContainsKey);
}
