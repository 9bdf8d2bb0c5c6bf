using System.Text;

namespace Fangyi.Core.Imports;

/// <summary>One refused row of a file import: its row number as the user sees it (header is row 1), the column and why.</summary>
public sealed record ImportRowError(int Row, string Column, string Reason);

/// <summary>What an import did: every bad row is listed; the good ones landed.</summary>
public sealed record ImportReport(int Rows, int Created, int Updated, int Unchanged, IReadOnlyList<ImportRowError> Errors)
{
    /// <summary>The first <see cref="ImportLimits.MaxListedErrors"/> errors; the rest are in <see cref="ErrorCount"/> and <see cref="Refused"/>.</summary>
    public IReadOnlyList<ImportRowError> Errors { get; init; } = Errors.Count > ImportLimits.MaxListedErrors ? Errors.Take(ImportLimits.MaxListedErrors).ToList() : Errors;

    /// <summary>Rows refused; kept when a status view shortens <see cref="Errors"/>.</summary>
    public int Refused { get; init; } = Errors.Select(e => e.Row).Distinct().Count();

    public int ErrorCount { get; init; } = Errors.Count;

    /// <summary>Rows naming someone held in another jurisdiction: neither imported nor refused, filed as transfer requests.</summary>
    public int NeedsTransfer { get; init; }

    /// <summary>The report with at most <paramref name="max"/> errors listed; the full list is in <see cref="ErrorsCsv"/>.</summary>
    public ImportReport Shortened(int max) => Errors.Count <= max ? this : this with { Errors = Errors.Take(max).ToList() };

    /// <summary>The downloadable error report: UTF-8 with a byte-order mark so that spreadsheet programs read the Chinese.</summary>
    public byte[] ErrorsCsv()
    {
        var csv = new StringBuilder("\uFEFF行号,列,原因\n");
        foreach (var e in Errors)
        {
            csv.Append(e.Row).Append(',').Append(Csv.Escape(e.Column)).Append(',').Append(Csv.Escape(e.Reason)).Append('\n');
        }
        if (ErrorCount > Errors.Count)
        {
            csv.Append(Csv.Escape($"另有 {ErrorCount - Errors.Count} 条错误未列出")).Append(",,\n");
        }
        return Encoding.UTF8.GetBytes(csv.ToString());
    }
}

public static class Csv
{
    /// <summary>One CSV cell: text a spreadsheet would run as a formula gets a leading ', then quoting as needed.</summary>
    public static string Escape(string value)
    {
        value = SafeCell.Text(value);
        return value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    /// <summary>Splits one CSV line, honouring quotes ("a, b" and doubled "" inside them).</summary>
    public static List<string> SplitLine(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }
        fields.Add(field.ToString());
        return fields;
    }
}

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
