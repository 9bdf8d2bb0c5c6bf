using System.Globalization;
using System.IO.Compression;
using System.Xml;
using Fangyi.Core.Http;
using MiniExcelLibs;

namespace Fangyi.Core.Imports;

/// <summary>
/// Reads CSV (UTF-8, or GB18030 as saved by Chinese Excel) and XLSX sheets (MiniExcel) into rows addressed by
/// header name, so every import reads both the same way.
/// </summary>
public static class SheetReader
{
    static SheetReader() => System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);

    public static bool IsXlsx(string fileName) => fileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The rows of a file, within the limits of its kind. A file over a limit or not readable at all is refused before
    /// the first row is handed out (an <see cref="ApiProblemException"/>), so nothing of it is stored; the row count is
    /// checked again while reading, for streams that could not be measured first.
    /// </summary>
    public static IEnumerable<SheetRow> Read(Stream input, string fileName, ImportLimits? limits = null)
    {
        limits ??= ImportLimits.Default;
        if (IsXlsx(fileName))
        {
            Measure(input, limits);
            return Guard(ReadXlsx(input), limits, xlsx: true);
        }
        CountLines(input, limits);
        return Guard(ReadCsv(input), limits, xlsx: false);
    }

    // Checks an XLSX before MiniExcel parses it: a zip at all, the declared sizes of its entries, then the bytes they
    // really expand to (a declared size can lie) and the rows of its worksheets, streamed and discarded.
    private static void Measure(Stream input, ImportLimits limits)
    {
        if (!input.CanSeek)
        {
            return;
        }
        var start = input.Position;
        try
        {
            using var zip = new ZipArchive(input, ZipArchiveMode.Read, leaveOpen: true);
            if (zip.Entries.Sum(e => e.Length) > limits.MaxUncompressedBytes)
            {
                throw new ApiProblemException(limits.BytesExceeded());
            }
            long expanded = 0;
            var buffer = new byte[81920];
            foreach (var entry in zip.Entries)
            {
                using var raw = entry.Open();
                using var counted = new CappedStream(raw, limits.MaxUncompressedBytes - expanded, limits);
                if (entry.FullName.StartsWith("xl/worksheets/", StringComparison.OrdinalIgnoreCase) && entry.FullName.EndsWith(".xml", StringComparison.OrdinalIgnoreCase))
                {
                    var rows = 0;
                    using var xml = XmlReader.Create(counted, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreWhitespace = true });
                    while (xml.Read())
                    {
                        if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "row" && ++rows > limits.MaxRows + 1)
                        {
                            throw new ApiProblemException(limits.RowsExceeded());
                        }
                    }
                }
                else
                {
                    while (counted.Read(buffer, 0, buffer.Length) > 0)
                    {
                    }
                }
                expanded += counted.Count;
            }
        }
        catch (Exception error) when (error is InvalidDataException or XmlException or IOException or NotSupportedException)
        {
            throw new ApiProblemException(ImportLimits.Unreadable);
        }
        finally
        {
            input.Position = start;
        }
    }

    // A CSV's data rows counted as line breaks before parsing: a cheap byte scan.
    private static void CountLines(Stream input, ImportLimits limits)
    {
        if (!input.CanSeek)
        {
            return;
        }
        var start = input.Position;
        var buffer = new byte[81920];
        long lines = 0;
        int read;
        while ((read = input.Read(buffer, 0, buffer.Length)) > 0)
        {
            lines += buffer.AsSpan(0, read).Count((byte)'\n');
            if (lines > limits.MaxRows + 1)
            {
                input.Position = start;
                throw new ApiProblemException(limits.RowsExceeded());
            }
        }
        input.Position = start;
    }

    private static IEnumerable<SheetRow> Guard(IEnumerable<SheetRow> rows, ImportLimits limits, bool xlsx)
    {
        using var reader = Unreadable(() => rows.GetEnumerator(), xlsx);
        var count = 0;
        while (Unreadable(reader.MoveNext, xlsx))
        {
            if (++count > limits.MaxRows)
            {
                throw new ApiProblemException(limits.RowsExceeded());
            }
            yield return reader.Current;
        }
    }

    // Whatever MiniExcel throws on a broken workbook is the file's fault, not the host's.
    private static T Unreadable<T>(Func<T> step, bool xlsx)
    {
        try
        {
            return step();
        }
        catch (Exception error) when (xlsx && error is not ApiProblemException and not OperationCanceledException)
        {
            throw new ApiProblemException(ImportLimits.Unreadable);
        }
    }

    // Counts what a decompressing stream hands out and refuses past the limit.
    private sealed class CappedStream(Stream inner, long allowed, ImportLimits limits) : Stream
    {
        public long Count { get; private set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            Count += read;
            if (Count > allowed)
            {
                throw new ApiProblemException(limits.BytesExceeded());
            }
            return read;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Count; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

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
            var cells = line.Contains('"', StringComparison.Ordinal) ? Csv.SplitLine(line).ToArray() : line.Split(',');
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

    // Numbers come back as numbers; an ID number stored as one has already lost digits, which validation then reports.
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

    private static Dictionary<string, int> Columns(List<string> header)
    {
        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++)
        {
            columns.TryAdd(header[i].Trim(), i);
        }
        return columns;
    }

    // UTF-8 unless the bytes are not valid UTF-8, in which case the file came from a GBK system.
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
