using Fangyi.Core.Http;

namespace Fangyi.Core.Imports;

/// <summary>
/// How much one import of a kind may hold: data rows, bytes once decompressed (an XLSX is a zip, and a small one can
/// expand a thousandfold), and errors listed in its report (the rest are counted). Checked before parsing where the
/// file allows it, and again while reading.
/// </summary>
public sealed record ImportLimits(string Kind, int MaxRows, long MaxUncompressedBytes)
{
    /// <summary>Errors a report lists; beyond this they are counted, so a file of bad rows cannot make a huge answer.</summary>
    public const int MaxListedErrors = 1_000;

    /// <summary>A city's population in one file: a million residents must go through, and twice that is still allowed.</summary>
    public static readonly ImportLimits Residents = new("residents", 2_000_000, 2L << 30);

    /// <summary>A big-data push (大数据推送) can name a million people in one list.</summary>
    public static readonly ImportLimits Pushes = new("screening push", 2_000_000, 2L << 30);

    public static readonly ImportLimits Accounts = new("accounts", 50_000, 64L << 20);

    public static readonly ImportLimits LabResults = new("lab results", 50_000, 256L << 20);

    public static readonly ImportLimits Devices = new("devices", 50_000, 64L << 20);

    public static readonly ImportLimits HealthFacts = new("health facts", 100_000, 128L << 20);

    /// <summary>For a reader that names no kind.</summary>
    public static readonly ImportLimits Default = new("file", 1_000_000, 1L << 30);

    public static readonly ApiProblem TooLarge = new("import_too_large", 413, "导入文件过大");
    public static readonly ApiProblem Unreadable = new("file_unreadable", 400, "文件无法读取，请上传有效的 CSV 或 XLSX 文件");

    public ApiProblem RowsExceeded() => TooLarge.WithDetail($"一次最多导入 {MaxRows:N0} 行，请拆分文件后分批导入");

    public ApiProblem BytesExceeded() => TooLarge.WithDetail($"文件解压后超过 {MaxUncompressedBytes / (1 << 20):N0} MB，请拆分文件后分批导入");
}
