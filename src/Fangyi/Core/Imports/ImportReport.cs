using System.Text;

namespace Fangyi.Core.Imports;

/// <summary>One refused row of a file import: its row number as the user sees it (header is row 1), the column and why.</summary>
public sealed record ImportRowError(int Row, string Column, string Reason);

/// <summary>What an import did: every bad row is listed; the good ones landed.</summary>
public sealed record ImportReport(int Rows, int Created, int Updated, int Unchanged, IReadOnlyList<ImportRowError> Errors)
{
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
        return Encoding.UTF8.GetBytes(csv.ToString());
    }
}

public static class Csv
{
    public static string Escape(string value) =>
        value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;

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
