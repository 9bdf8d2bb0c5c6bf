using System.Diagnostics.CodeAnalysis;
using Fangyi.Core.Http;
using Fangyi.Core.Ingest;

namespace Fangyi.Core.Imports;

/// <summary>
/// The one way an upload comes in: the file's checks, its rows (<see cref="SheetReader"/>, within the upload's
/// <see cref="ImportLimits"/>), and a <see cref="RowOutcome"/> per row for the uploads that answer row by row.
/// </summary>
public static class RowIntake
{
    public static readonly ApiProblem FileMissing = new("file_missing", 400, "请选择要导入的文件（CSV 或 XLSX）");

    /// <summary>No file, or an empty one: answered with <see cref="FileMissing"/>.</summary>
    public static bool IsMissing([NotNullWhen(false)] IFormFile? file) => file is null || file.Length == 0;

    /// <summary>Whether a file's name says it is a sheet the reader takes (CSV or XLSX), for the pages that refuse other files up front.</summary>
    public static bool IsSheet(string fileName) => fileName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || SheetReader.IsXlsx(fileName);

    /// <summary>The rows of an uploaded sheet, read as they are enumerated from a copy in memory.</summary>
    public static async Task<IEnumerable<SheetRow>> RowsAsync(IFormFile file, ImportLimits limits, CancellationToken ct)
    {
        var stream = new MemoryStream();
        await file.CopyToAsync(stream, ct);
        stream.Position = 0;
        return SheetReader.Read(stream, file.FileName, limits);
    }

    /// <summary>Copies an upload to a temp file, for an import that outlives the request; read it with <see cref="RowsOf"/>, delete it after.</summary>
    public static async Task<string> KeepAsync(IFormFile file, CancellationToken ct)
    {
        var path = Path.GetTempFileName();
        await using var target = File.Create(path);
        await file.CopyToAsync(target, ct);
        return path;
    }

    /// <summary>The rows of an upload <see cref="KeepAsync"/> kept, read as they are enumerated.</summary>
    public static IEnumerable<SheetRow> RowsOf(string path, string fileName, ImportLimits limits)
    {
        using var stream = File.OpenRead(path);
        foreach (var row in SheetReader.Read(stream, fileName, limits))
        {
            yield return row;
        }
    }

    /// <summary>Waits for every row's ingest item and answers each row, in the given order.</summary>
    public static async Task<List<RowOutcome>> OutcomesAsync(IReadOnlyList<(int Row, Task<IngestOutcome> Outcome)> rows, bool withAnswer = true)
    {
        await Task.WhenAll(rows.Select(r => r.Outcome));
        return rows.Select(r => RowOutcome.Of(r.Row, r.Outcome.Result, withAnswer)).ToList();
    }
}
