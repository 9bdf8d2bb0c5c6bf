using Fangyi.Core.Jurisdiction;
using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Fangyi.Tests.Support;
using MiniExcelLibs;

namespace Fangyi.Tests.Accounts;

/// <summary>The console's upload and <c>fangyi accounts import</c> are one import: the same sheet, the same outcome.</summary>
public partial class AccountImportTests
{
    [Fact]
    public async Task TheSameSheet_OpensAndRefusesTheSameRows_ThroughTheCommandAsThroughTheApi()
    {
        var sheet = Sheet(
            ("cy001", "采样员一", "采样员", Villages.Simazhuang),    // 2 good
            ("zy001", "转运员一", "courier", People.Qingxian),        // 3 good
            ("cy001", "重复", "采样员", Villages.Simazhuang),          // 4 the same username twice in the file
            ("taken01", "已开通", "采样员", Villages.Simazhuang),      // 5 an account that exists already
            ("gl001", "管理员", "管理员", Villages.Simazhuang),        // 6 admins are not opened in bulk
            ("x", "短", "采样员", Villages.Simazhuang),                // 7 username too short
            ("cy002", "无区划", "采样员", 130922999999),               // 8 unknown division
            ("cy003", "", "采样员", Villages.Simazhuang),              // 9 no name
            ("cy004", "无角色", "宇航员", Villages.Simazhuang));       // 10 no such role

        // Through the API, as the city's admin.
        await using var api = await TestApp.StartAsync(StoreKind.Sqlite);
        await api.CreateAccountAsync("taken01", Roles.Sampler, Villages.Simazhuang);
        using var admin = await api.ClientAsync("city", Roles.Admin, People.Cangzhou);
        using var formPart = new ByteArrayContent(sheet);
        using var form = new MultipartFormDataContent { { formPart, "file", "team.xlsx" } };
        var answer = await (await admin.PostAsync("/api/v1/accounts/import", form)).Content.ReadFromJsonAsync<JsonElement>();
        var apiErrors = answer.GetProperty("errors").EnumerateArray()
            .Select(e => (e.GetProperty("row").GetInt32(), e.GetProperty("column").GetString()!, e.GetProperty("reason").GetString()!)).ToList();

        // Through the command, on a store of its own holding the same account.
        await using var cli = await TestApp.StartAsync(StoreKind.Sqlite);
        await cli.CreateAccountAsync("taken01", Roles.Sampler, Villages.Simazhuang);
        var file = Path.Combine(cli.Folder, "team.xlsx");
        await File.WriteAllBytesAsync(file, sheet);
        var credentials = Path.Combine(cli.Folder, "opened.xlsx");
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await Cli.Commands.Root().Parse(["accounts", "import", file, "--out", credentials, "--store", cli.Options.Store, "--data", cli.Folder])
            .InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
        var cliErrors = ErrorLine().Matches(stdout.ToString()).Select(m => (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups[2].Value, m.Groups[3].Value.TrimEnd('\r'))).ToList();

        Assert.Equal([4, 5, 6, 7, 8, 9, 10], apiErrors.Select(e => e.Item1).ToArray());
        Assert.Equal(apiErrors, cliErrors);
        Assert.Equal(2, exit);
        var opened = await OpenedAsync(api);
        Assert.Equal([("cy001", "采样员一", Roles.Sampler, Villages.Simazhuang, 1L), ("zy001", "转运员一", Roles.Courier, People.Qingxian, 1L)], opened);
        Assert.Equal(opened, await OpenedAsync(cli));
        Assert.Equal(["cy001", "zy001"], answer.GetProperty("opened").EnumerateArray().Select(o => o.GetProperty("username").GetString()!).ToArray());
        Assert.Equal(["cy001", "zy001"], (await new MemoryStream(await File.ReadAllBytesAsync(credentials)).QueryAsync(useHeaderRow: true)).Select(r => (string)((IDictionary<string, object>)r)["用户名"]).ToArray());
        Assert.Matches("(?m)^accounts: 9 rows, 7 errors in ", stderr.ToString());
    }

    private static async Task<List<(string, string, string, long, long)>> OpenedAsync(TestApp app)
    {
        await using var connection = await app.Store.OpenAsync();
        return (await connection.QueryAsync<(string, string, string, long, long)>(
            "SELECT username, display_name, role, division, must_change_password FROM accounts WHERE username NOT IN ('city', 'taken01') ORDER BY username")).ToList();
    }

    private static byte[] Sheet(params (string Username, string Name, string Role, long Division)[] rows)
    {
        using var sheet = new MemoryStream();
        sheet.SaveAs(rows.Select(r => new Dictionary<string, object>
        {
            ["用户名"] = r.Username,
            ["姓名"] = r.Name,
            ["角色"] = r.Role,
            ["区划代码"] = People.Code(r.Division),
        }));
        return sheet.ToArray();
    }

    [GeneratedRegex(@"^  row (\d+), ([^:]+): (.*)$", RegexOptions.Multiline)]
    private static partial Regex ErrorLine();
}
