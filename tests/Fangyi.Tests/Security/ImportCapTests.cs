using Fangyi.Core.Jurisdiction;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Fangyi.Core.Imports;
using Fangyi.Tests.Support;
using MiniExcelLibs;
using System.Diagnostics.CodeAnalysis;

namespace Fangyi.Tests.Security;

/// <summary>Issue 9 findings 6 (unreadable xlsx) and 13: caps per import kind, a capped error report, formula-safe exports.</summary>
public sealed class ImportCapTests
{
    [SuppressMessage("Reliability", "CA2000", Justification = "MultipartFormDataContent.Add takes ownership of the part: disposing the form disposes it.")]
    internal static MultipartFormDataContent FileForm(byte[] bytes, string name)
    {
        var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(bytes), "file", name);
        return form;
    }

    /// <summary>A small zip whose one worksheet expands to <paramref name="expanded"/> bytes.</summary>
    internal static byte[] ZipBomb(long expanded)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var sheet = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.Fastest).Open();
            var chunk = new byte[1 << 20];
            Array.Fill(chunk, (byte)' ');
            sheet.Write("<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"u8);
            for (long written = 0; written < expanded; written += chunk.Length)
            {
                sheet.Write(chunk);
            }
            sheet.Write("</sheetData></worksheet>"u8);
        }
        return buffer.ToArray();
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, problem.GetProperty("code").GetString());
        return problem;
    }

    private static async Task<long> AccountCountAsync(TestApp app)
    {
        await using var connection = await app.Store.OpenAsync();
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM accounts");
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task XlsxImport_OfAFileThatIsNotAZip_IsFileUnreadable(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        using var admin = await app.ClientAsync("city", Roles.Admin, People.Cangzhou);
        var garbage = Encoding.UTF8.GetBytes("username,name,role,division\nnot,a,zip,file\n");

        using var garbageAccounts = FileForm(garbage, "accounts.xlsx");
        await ProblemAsync(await admin.PostAsync("/api/v1/accounts/import", garbageAccounts), HttpStatusCode.BadRequest, "file_unreadable");
        using var garbageResults = FileForm(garbage, "results.xlsx");
        await ProblemAsync(await admin.PostAsync("/api/v1/lab/results/import", garbageResults), HttpStatusCode.BadRequest, "file_unreadable");
        var truncated = ZipBomb(1000)[..200];
        using var truncatedForm = FileForm(truncated, "accounts.xlsx");
        await ProblemAsync(await admin.PostAsync("/api/v1/accounts/import", truncatedForm), HttpStatusCode.BadRequest, "file_unreadable");
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task XlsxImport_ThatExpandsPastItsKindsCap_IsImportTooLarge_BeforeParsing(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        using var admin = await app.ClientAsync("city", Roles.Admin, People.Cangzhou);
        var bomb = ZipBomb(ImportLimits.Accounts.MaxUncompressedBytes + (1 << 20));
        Assert.True(bomb.Length < 1 << 20, $"the bomb is {bomb.Length} bytes");
        var before = await AccountCountAsync(app);

        using var bombForm = FileForm(bomb, "accounts.xlsx");
        var problem = await ProblemAsync(await admin.PostAsync("/api/v1/accounts/import", bombForm), HttpStatusCode.RequestEntityTooLarge, "import_too_large");
        Assert.Contains("64 MB", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await AccountCountAsync(app));
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task CsvImport_WithMoreRowsThanItsKindsCap_IsImportTooLarge_AndOpensNothing(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        using var admin = await app.ClientAsync("city", Roles.Admin, People.Cangzhou);
        var csv = new StringBuilder("username,name,role,division\n");
        for (var i = 0; i <= ImportLimits.Accounts.MaxRows; i++)
        {
            csv.Append('s').Append(i).Append(",采样员,sampler,").Append(People.Simazhuang).Append('\n');
        }
        var before = await AccountCountAsync(app);

        using var form = FileForm(Encoding.UTF8.GetBytes(csv.ToString()), "accounts.csv");
        var problem = await ProblemAsync(await admin.PostAsync("/api/v1/accounts/import", form), HttpStatusCode.RequestEntityTooLarge, "import_too_large");
        Assert.Contains("50,000", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await AccountCountAsync(app));
    }

    [Fact]
    public void ResidentCaps_LeaveRoomForAMillionResidentsInOneFile()
    {
        Assert.True(ImportLimits.Residents.MaxRows >= 1_000_000);
        // A million residents as xlsx is about 100 bytes a cell for ten cells, shared strings included.
        Assert.True(ImportLimits.Residents.MaxUncompressedBytes >= 1_000_000L * 10 * 100);
    }

    [Fact]
    public void ErrorReport_ListsTheFirstThousandErrors_AndCountsTheRest()
    {
        var errors = Enumerable.Range(2, 5000).Select(r => new ImportRowError(r, "idNumber", "证件号码校验位错误")).ToList();
        var report = new ImportReport(5000, 0, 0, 0, errors);

        Assert.Equal(ImportLimits.MaxListedErrors, report.Errors.Count);
        Assert.Equal(5000, report.ErrorCount);
        Assert.Equal(5000, report.Refused);
        var csv = Encoding.UTF8.GetString(report.ErrorsCsv());
        Assert.Contains("另有 4000 条错误未列出", csv, StringComparison.Ordinal);
        Assert.True(csv.Length < 100_000);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://evil.example\",\"点我\")")]
    [InlineData("+1+1")]
    [InlineData("-1+cmd|' /C calc'!A0")]
    [InlineData("@SUM(A1:A2)")]
    [InlineData("\t=1")]
    [InlineData("\r=1")]
    public void CsvCells_ThatWouldBeFormulas_AreWrittenAsText(string value)
    {
        var cell = Csv.Escape(value);
        var unquoted = cell.StartsWith('"') ? cell[1..] : cell;
        Assert.StartsWith("'", unquoted, StringComparison.Ordinal);
        Assert.Equal("张三", Csv.Escape("张三"));
        Assert.Equal("130922000000", Csv.Escape("130922000000"));
    }

    [Fact]
    public void XlsxCells_ThatWouldBeFormulas_AreWrittenAsStringsNotFormulas()
    {
        using var buffer = new MemoryStream();
        buffer.SaveAs(new[] { Core.Imports.SafeCell.Row(new Dictionary<string, object> { ["姓名"] = "=1+1", ["备注"] = "@SUM(A1)", ["数"] = 3 }) });
        buffer.Position = 0;
        using var zip = new ZipArchive(buffer);
        using var sheetReader = new StreamReader(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open());
        var sheet = sheetReader.ReadToEnd();
        Assert.DoesNotContain("<x:f>", sheet, StringComparison.Ordinal);
        Assert.DoesNotContain("<f>", sheet, StringComparison.Ordinal);
        buffer.Position = 0;
        var row = buffer.Query(useHeaderRow: true).Cast<IDictionary<string, object>>().Single();
        Assert.Equal("'=1+1", row["姓名"]);

        // Even unprefixed, MiniExcel writes text as a string cell, never as a formula.
        using var raw = new MemoryStream();
        raw.SaveAs(new[] { new Dictionary<string, object> { ["姓名"] = "=1+1" } });
        raw.Position = 0;
        using var rawZip = new ZipArchive(raw);
        using var rawReader = new StreamReader(rawZip.GetEntry("xl/worksheets/sheet1.xml")!.Open());
        var rawSheet = rawReader.ReadToEnd();
        Assert.DoesNotContain("<x:f>", rawSheet, StringComparison.Ordinal);
        Assert.DoesNotContain("<f>", rawSheet, StringComparison.Ordinal);
    }
}
