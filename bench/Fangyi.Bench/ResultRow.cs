namespace Fangyi.Bench;

/// <summary>One line of the result table; a null verdict is a reference figure.</summary>
public sealed record ResultRow(string Store, string Measure, string Figure, string Target, bool? Met)
{
    public string Verdict => Met switch { true => "ok", false => "MISSED", null => "-" };

    public static void Print(IReadOnlyList<ResultRow> rows, TextWriter output)
    {
        string[] header = ["store", "measure", "figure", "target", "verdict"];
        var cells = rows.Select(r => new[] { r.Store, r.Measure, r.Figure, r.Target, r.Verdict }).Prepend(header).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(c => cells.Max(row => row[c].Length)).ToArray();
        foreach (var (row, i) in cells.Select((row, i) => (row, i)))
        {
            output.WriteLine(string.Join(" | ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
            if (i == 0)
            {
                output.WriteLine(string.Join("-|-", widths.Select(w => new string('-', w))));
            }
        }
    }
}
