using System.Globalization;
using MiniExcelLibs;

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

/// <summary>
/// Reads CSV (UTF-8, or GB18030 as saved by Chinese Excel) and XLSX sheets (MiniExcel) into rows addressed by
/// header name, so every import reads both the same way.
/// </summary>
public static class SheetReader
{
    static SheetReader() => System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);

    public static bool IsXlsx(string fileName) => fileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase);

    public static IEnumerable<SheetRow> Read(Stream input, string fileName) =>
        IsXlsx(fileName) ? ReadXlsx(input) : ReadCsv(input);

    public static IEnumerable<SheetRow> ReadCsv(Stream input)
    {
        using var reader = new StreamReader(input, DetectEncoding(input), detectEncodingFromByteOrderMarks: true);
        var header = reader.ReadLine();
        if (header is null)
        {
            yield break;
        }
        var columns = Columns(Csv.SplitLine(header.TrimStart('\uFEFF')));
        var number = 1;
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }
            var cells = line.Contains('"') ? Csv.SplitLine(line).ToArray() : line.Split(',');
            yield return new SheetRow(number, cells, columns);
        }
    }

    public static IEnumerable<SheetRow> ReadXlsx(Stream input)
    {
        IReadOnlyDictionary<string, int>? columns = null;
        var letters = new List<string>();
        var number = 0;
        foreach (IDictionary<string, object?> row in input.Query(useHeaderRow: false, excelType: ExcelType.XLSX))
        {
            number++;
            if (columns is null)
            {
                letters = row.Keys.ToList();
                columns = Columns(row.Values.Select(v => Cell(v)).ToList());
                continue;
            }
            var cells = new string[letters.Count];
            var empty = true;
            for (var i = 0; i < letters.Count; i++)
            {
                cells[i] = row.TryGetValue(letters[i], out var v) ? Cell(v) : "";
                empty &= cells[i].Length == 0;
            }
            if (!empty)
            {
                yield return new SheetRow(number, cells, columns);
            }
        }
    }

    /// <summary>Numbers come back as numbers; an ID number stored as one has already lost digits, which validation then reports.</summary>
    private static string Cell(object? value) => value switch
    {
        null => "",
        string s => s,
        double d => d.ToString("0.############", CultureInfo.InvariantCulture),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "1" : "0",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static Dictionary<string, int> Columns(IReadOnlyList<string> header)
    {
        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++)
        {
            columns.TryAdd(header[i].Trim(), i);
        }
        return columns;
    }

    /// <summary>UTF-8 unless the bytes are not valid UTF-8, in which case the file came from a GBK system.</summary>
    private static System.Text.Encoding DetectEncoding(Stream input)
    {
        if (!input.CanSeek)
        {
            return System.Text.Encoding.UTF8;
        }
        var buffer = new byte[Math.Min(64 * 1024, input.Length - input.Position)];
        var start = input.Position;
        var read = input.Read(buffer, 0, buffer.Length);
        input.Position = start;
        try
        {
            // A multi-byte character cut at the buffer's end is not a sign of GBK; at the end of the file it is.
            new System.Text.UTF8Encoding(false, true).GetDecoder().GetCharCount(buffer, 0, read, flush: start + read >= input.Length);
            return System.Text.Encoding.UTF8;
        }
        catch (System.Text.DecoderFallbackException)
        {
            return System.Text.Encoding.GetEncoding("GB18030");
        }
    }
}
