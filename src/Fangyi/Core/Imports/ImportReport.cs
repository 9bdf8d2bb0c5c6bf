using System.Text;

namespace Fangyi.Core.Imports;

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
