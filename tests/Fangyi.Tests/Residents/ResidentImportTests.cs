using Fangyi.Core.Jurisdiction;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Fangyi.Tests.Support;
using MiniExcelLibs;

namespace Fangyi.Tests.Residents;

public class ResidentImportTests
{
    private const string Header = "证件类型,证件号码,姓名,手机号,区划代码,户籍类型,标签";

    /// <summary>Uploads a file and reads the import's status once the job itself has finished.</summary>
    private static async Task<JsonElement> ImportAsync(TestApp app, HttpClient client, byte[] file, string fileName)
    {
        using var form = new MultipartFormDataContent();
        using var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue(fileName.EndsWith(".xlsx", StringComparison.Ordinal) ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv");
        form.Add(content, "file", fileName);
        var started = await client.PostAsync("/api/v1/residents/import", form);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var status = await app.FinishedImportAsync(client, started);
        Assert.Equal("done", status.GetProperty("state").GetString());
        return status;
    }

    private static (string Good1, string Good2, string Dup, string BadCheck) Numbers()
    {
        var bad = People.NewId();
        return (People.NewId(), People.NewId(), People.NewId(), bad[..17] + (bad[17] == '1' ? '2' : '1'));
    }

    private static string MixedCsv((string Good1, string Good2, string Dup, string BadCheck) n) => string.Join('\n',
        Header,
        $"身份证,{n.Good1},张三,13812345678,130922100238,户籍,",          // row 2 good
        $"身份证,{n.BadCheck},李四,13812345679,130922100238,户籍,",       // row 3 bad check character
        $"身份证,{n.Good2},王五,,130922100238,流动,重点人群",               // row 4 good
        $",{n.Dup},赵六,1381234,130922100000,户籍,",                       // row 5 bad phone and not a village
        $"护照,E12345678,John Smith,,130922100238,流动,",                  // row 6 good passport
        $"身份证,{n.Dup},赵六,13900000000,130922100238,,独居老人",          // row 7 good
        $"身份证,{n.Dup.ToLowerInvariant()},赵六,,130922100238,,重点人群",  // row 8 same person again: merged
        $"驾照,123456,钱七,,130922100238,,",                                // row 9 unknown document type
        $"身份证,{n.Good1},张三,13812345678,130921100201,户籍,");           // row 10 outside 青县

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task Import_MixedRows_ReportsEveryBadRowAndKeepsTheGoodOnes(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        using var client = await app.ClientAsync("county", Roles.Admin, People.Qingxian);
        var n = Numbers();

        var status = await ImportAsync(app, client, Encoding.UTF8.GetBytes(MixedCsv(n)), "residents.csv");

        var report = status.GetProperty("report");
        Assert.Equal(9, report.GetProperty("rows").GetInt32());
        Assert.Equal(4, report.GetProperty("created").GetInt32());
        var errors = report.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("column").GetString()!, e.GetProperty("reason").GetString()!)).ToList();
        Assert.Equal(
            [(3, "id_number", "身份证号码校验位错误，请核对"), (5, "phone", "手机号码格式不正确"), (5, "division", "居住地须填写到村（社区）"),
             (9, "doc_type", "证件类型不支持"), (10, "division", "居住地不在您的管辖范围内")],
            errors);

        await using var connection = await app.Store.OpenAsync();
        Assert.Equal(4, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM residents"));
        var zhao = await connection.QuerySingleAsync<string>("SELECT tags FROM residents WHERE name = '赵六'");
        Assert.Equal("独居老人,重点人群", zhao);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM residents WHERE registered = @no AND name = '张三'", new { no = false }));

        var errorCsv = await client.GetStringAsync(status.GetProperty("errorReportUrl").GetString());
        Assert.Contains("3,id_number,身份证号码校验位错误，请核对", errorCsv, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task Import_TheSameFileTwice_ChangesNothing(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        using var client = await app.ClientAsync("county", Roles.Admin, People.Qingxian);
        var file = Encoding.UTF8.GetBytes(MixedCsv(Numbers()));
        await ImportAsync(app, client, file, "residents.csv");
        await using var connection = await app.Store.OpenAsync();
        var before = (await connection.QueryAsync<(long, long)>("SELECT id, updated_at FROM residents ORDER BY id")).ToList();

        var again = (await ImportAsync(app, client, file, "residents.csv")).GetProperty("report");

        Assert.Equal(0, again.GetProperty("created").GetInt32());
        Assert.Equal(0, again.GetProperty("updated").GetInt32() - 1); // row 8 merges into row 7 in every run
        Assert.Equal(before, (await connection.QueryAsync<(long, long)>("SELECT id, updated_at FROM residents ORDER BY id")).ToList());
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task Import_Xlsx_ReadsTheSameColumns(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        using var client = await app.ClientAsync("county", Roles.Admin, People.Qingxian);
        var good = People.NewId();
        using var sheet = new MemoryStream();
        await sheet.SaveAsAsync(new[]
        {
            new Dictionary<string, object> { ["证件号码"] = good, ["姓名"] = "孙八", ["手机号"] = "13700000000", ["区划代码"] = "130922100238", ["标签"] = "" },
            new Dictionary<string, object> { ["证件号码"] = "123", ["姓名"] = "周九", ["手机号"] = "", ["区划代码"] = "130922100238", ["标签"] = "" },
        });

        var report = (await ImportAsync(app, client, sheet.ToArray(), "residents.xlsx")).GetProperty("report");

        Assert.Equal(1, report.GetProperty("created").GetInt32());
        var error = Assert.Single(report.GetProperty("errors").EnumerateArray());
        Assert.Equal(3, error.GetProperty("row").GetInt32());
        Assert.Equal("身份证号码应为18位", error.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Import_GbkEncodedCsv_IsReadAsChinese()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite);
        using var client = await app.ClientAsync("county", Roles.Admin, People.Qingxian);
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var csv = Encoding.GetEncoding("GB18030").GetBytes($"{Header}\n身份证,{People.NewId()},钱十,,130922100238,流动,\n");

        var report = (await ImportAsync(app, client, csv, "gbk.csv")).GetProperty("report");

        Assert.Equal(1, report.GetProperty("created").GetInt32());
        var list = await client.GetFromJsonAsync<JsonElement>("/api/v1/residents");
        Assert.Equal("钱十", list[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Import_WithoutAFile_IsAProblem()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite);
        using var client = await app.ClientAsync("county", Roles.Admin, People.Qingxian);
        using var formPart = new StringContent("x");
        using var form = new MultipartFormDataContent { { formPart, "other" } };

        var response = await client.PostAsync("/api/v1/residents/import", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("file_missing", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }
}
