namespace Fangyi.Core.Imports;

/// <summary>
/// Export cells that a spreadsheet program must show, never run. A cell beginning with = + - @, a tab or a carriage
/// return is read as a formula by Excel and WPS (CSV injection); it is written with a leading apostrophe, which they
/// show as text. Every CSV and XLSX export goes through here.
/// </summary>
public static class SafeCell
{
    public static bool LooksLikeFormula(string value) => value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r';

    public static string Text(string value) => LooksLikeFormula(value) ? "'" + value : value;

    /// <summary>For an XLSX row: strings made safe, numbers and dates left typed (MiniExcel writes them as values).</summary>
    public static object Cell(object? value) => value switch
    {
        null => "",
        string s => Text(s),
        _ => value,
    };

    /// <summary>An XLSX row of named cells with every text cell made safe.</summary>
    public static Dictionary<string, object> Row(IDictionary<string, object> row) =>
        row.ToDictionary(c => c.Key, c => Cell(c.Value));
}
