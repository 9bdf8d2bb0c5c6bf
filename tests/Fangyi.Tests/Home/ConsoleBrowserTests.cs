using Fangyi.Core.Jurisdiction;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Fangyi.Tests.Support;
using Microsoft.Playwright;
using MiniExcelLibs;
using static Microsoft.Playwright.Assertions;

namespace Fangyi.Tests.Home;

public class ConsoleBrowserTests
{
    private sealed record Seeded(long Id, string IdNumber, string Name);

    private static async Task<Seeded> SeedAsync(HttpClient client, string idNumber, string name, long division, string? tags = null)
    {
        var response = await client.PutAsJsonAsync("/api/v1/residents", new { idNumber, name, phone = "13812345678", division = People.Code(division), tags });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new Seeded(body.GetProperty("id").GetInt64(), idNumber, name);
    }

    private static string Masked(string id) => id[..3] + "***********" + id[14..];

    [Fact]
    public async Task CountyAdmin_WorksThroughTheConsole_SeeingOnlyTheirCounty()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite, realPort: true);
        await app.CreateAccountAsync("qx_admin", Roles.Admin, People.Qingxian);
        using var qingxian = await app.ClientAsync("qx_seed", Roles.Admin, People.Qingxian);
        using var cangxian = await app.ClientAsync("cx_seed", Roles.Admin, People.Cangxian);
        var zhang = await SeedAsync(qingxian, People.NewId(), "张晓明", People.Simazhuang, "重点人群");
        var li = await SeedAsync(qingxian, People.NewId(year: 1992), "李红", 130922101201);
        var outsider = await SeedAsync(cangxian, People.NewId(region: 130921), "赵外县", 130921100201);

        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync(app.Url);
        page.Dialog += (_, dialog) => dialog.AcceptAsync();

        // Log-in: an unknown password is refused in Chinese, the right one lands on the home page.
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/login"));
        await Browser.ScreenshotAsync(page, "01-login");
        await Browser.LogInAsync(page, "qx_admin", "wrong-password-1");
        await Expect(page.Locator(".alert-error")).ToHaveTextAsync("用户名或密码错误");
        await Browser.LogInAsync(page, "qx_admin", TestApp.Password);
        await Expect(page).ToHaveURLAsync(new Regex("/$"));
        await Expect(page.Locator(".facts")).ToContainTextAsync("河北省沧州市青县");
        await Expect(page.Locator(".facts")).ToContainTextAsync("管理员");
        await Expect(page.GetByTestId("resident-total")).ToHaveTextAsync("2");
        await Browser.ScreenshotAsync(page, "02-home");

        // Residents: only the county's, numbers masked.
        await page.GotoAsync("/residents");
        await Expect(page.Locator("#residents tbody tr")).ToHaveCountAsync(2);
        var list = await page.ContentAsync();
        Assert.Contains(Masked(zhang.IdNumber), list, StringComparison.Ordinal);
        Assert.Contains(Masked(li.IdNumber), list, StringComparison.Ordinal);
        Assert.DoesNotContain(zhang.IdNumber, list, StringComparison.Ordinal);
        Assert.DoesNotContain(li.IdNumber, list, StringComparison.Ordinal);
        Assert.DoesNotContain(outsider.Name, list, StringComparison.Ordinal);
        Assert.Contains("138****5678", list, StringComparison.Ordinal);
        await Browser.ScreenshotAsync(page, "03-residents");

        await page.FillAsync("input[name=q]", "张");
        await page.ClickAsync("form.filters button[type=submit]");
        await Expect(page.Locator("#residents tbody tr")).ToHaveCountAsync(1);

        // Detail: the full number only after the audited reveal.
        await page.ClickAsync("#residents >> text=详情");
        await Expect(page.Locator("h1")).ToHaveTextAsync("张晓明");
        await Expect(page.GetByTestId("id-number")).ToHaveTextAsync(Masked(zhang.IdNumber));
        Assert.DoesNotContain(zhang.IdNumber, await page.ContentAsync(), StringComparison.Ordinal);
        await page.ClickAsync("text=查看完整证件号");
        await Expect(page.GetByTestId("id-number")).ToHaveTextAsync(zhang.IdNumber);
        await Expect(page.GetByTestId("phone")).ToHaveTextAsync("13812345678");
        await Expect(page.Locator("#audit-trail")).ToContainTextAsync("查看完整证件号");
        await Browser.ScreenshotAsync(page, "04-resident-revealed", fullPage: true);

        // Outside the jurisdiction a resident does not exist.
        var outside = await page.GotoAsync($"/residents/{outsider.Id}");
        Assert.Equal(404, outside!.Status);
        Assert.DoesNotContain(outsider.Name, await page.ContentAsync(), StringComparison.Ordinal);

        // Import: one good row, one with a wrong check character, refused by row number and reason.
        var good = People.NewId();
        var bad = People.NewId();
        bad = bad[..17] + (bad[17] == '0' ? '1' : '0');
        var csv = $"证件类型,证件号码,姓名,手机号,区划代码,户籍类型,标签\n居民身份证,{good},孙导入,13900001111,{People.Simazhuang},户籍,\n居民身份证,{bad},钱错行,13900002222,{People.Simazhuang},流动,\n";
        await page.GotoAsync("/imports");
        await Expect(page.GetByTestId("template-header")).ToHaveTextAsync("证件类型,证件号码,姓名,手机号,区划代码,户籍类型,标签");
        await page.SetInputFilesAsync("input[name=file]", new FilePayload { Name = "residents.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await page.ClickAsync("#import-form button[type=submit]");
        await Expect(page.Locator(".progress-text")).ToContainTextAsync("导入完成");
        await Expect(page.Locator("[data-field=created]")).ToHaveTextAsync("1");
        await Expect(page.Locator("[data-field=refused]")).ToHaveTextAsync("1");
        var errorRow = page.Locator(".import-errors tbody tr");
        await Expect(errorRow).ToHaveCountAsync(1);
        await Expect(errorRow.Locator("td").Nth(0)).ToHaveTextAsync("3");
        await Expect(errorRow.Locator("td").Nth(1)).ToHaveTextAsync("证件号码");
        await Expect(errorRow.Locator("td").Nth(2)).ToContainTextAsync("校验");
        await Expect(page.Locator(".error-report")).ToHaveAttributeAsync("href", new Regex(@"/api/v1/imports/\w+/errors\.csv"));
        await Browser.ScreenshotAsync(page, "05-import", fullPage: true);

        // Accounts: bulk-open one sampler from a sheet; the one-time password is shown once and in the download.
        using var sheet = new MemoryStream();
        await sheet.SaveAsAsync(new[] { new Dictionary<string, object> { ["用户名"] = "qz_sampler_01", ["姓名"] = "采样员甲", ["角色"] = "采样员", ["区划代码"] = People.Code(People.Simazhuang) } });
        await page.GotoAsync("/accounts");
        await Expect(page.Locator("#accounts")).ToContainTextAsync("qx_admin");
        await page.SetInputFilesAsync("input[name=sheet]", new FilePayload { Name = "samplers.xlsx", MimeType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Buffer = sheet.ToArray() });
        await page.ClickAsync("form[action*='handler=Bulk'] button");
        await Expect(page.Locator("#opened-accounts")).ToContainTextAsync("qz_sampler_01");
        var password = await page.GetByTestId("one-time-password").InnerTextAsync();
        Assert.Matches("^[a-z2-9]{10}$", password);
        await Expect(page.Locator("#accounts")).ToContainTextAsync("待改初始密码");
        await Browser.ScreenshotAsync(page, "06-accounts", fullPage: true);

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("text=下载账号与初始密码"));
        var saved = Path.Combine(app.Folder, "credentials.xlsx");
        await download.SaveAsAsync(saved);
        var credentials = (await MiniExcel.QueryAsync(saved, useHeaderRow: true)).Cast<IDictionary<string, object>>().Single();
        Assert.Equal("qz_sampler_01", credentials["用户名"]);
        Assert.Equal(password, credentials["初始密码(首次登录须修改)"]);
        using var sampler = await app.SignInAsync("qz_sampler_01", password);

        // Divisions: the tree opens at the county and loads a township's villages on demand; search within it.
        await page.GotoAsync("/divisions");
        await Expect(page.Locator("#division-tree .tree-name").First).ToHaveTextAsync("青县");
        await page.ClickAsync("[data-code='130922100000'] > .tree-row .tree-toggle");
        await Expect(page.Locator("[data-code='130922100238']")).ToContainTextAsync("司马庄村民委员会");
        await page.FillAsync("#division-search input[name=q]", "司马庄");
        await page.ClickAsync("#division-search button");
        await Expect(page.Locator("#division-search-results")).ToContainTextAsync("河北省沧州市青县清州镇司马庄村民委员会");
        await page.FillAsync("#address-resolve input[name=address]", "青县清州镇司马庄村3排5号");
        await page.ClickAsync("#address-resolve button");
        await Expect(page.Locator("#address-result .alert")).ToBeVisibleAsync();
        await page.FillAsync("#address-resolve input[name=address]", "青县清州镇思马庄3排5号");
        await page.ClickAsync("#address-resolve button");
        await Expect(page.Locator("#address-result [data-corrections]")).ToHaveTextAsync("已纠正：思马庄→司马庄村");
        await Browser.ScreenshotAsync(page, "07-divisions");
    }

    [Fact]
    public async Task OneTimePassword_SendsTheAccountToChangeItFirst()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite, realPort: true);
        await app.CreateAccountAsync("fresh_sampler", Roles.Sampler, People.Simazhuang, mustChange: true);
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync(app.Url);

        await Browser.LogInAsync(page, "fresh_sampler", TestApp.Password);
        await Expect(page).ToHaveURLAsync(new Regex("/account/password$"));
        await page.GotoAsync("/residents");
        await Expect(page).ToHaveURLAsync(new Regex("/account/password$"));
        await Expect(page.Locator(".alert-warn")).ToContainTextAsync("初始密码");
        await Browser.ScreenshotAsync(page, "08-change-password");

        await page.FillAsync("input[name=oldPassword]", TestApp.Password);
        await page.FillAsync("input[name=newPassword]", "lettersonly");
        await page.FillAsync("input[name=confirmPassword]", "lettersonly");
        await page.ClickAsync("button[type=submit] >> text=保存新密码");
        await Expect(page.Locator(".alert-error")).ToContainTextAsync("至少8位");

        await page.FillAsync("input[name=oldPassword]", TestApp.Password);
        await page.FillAsync("input[name=newPassword]", "Renewed-2026");
        await page.FillAsync("input[name=confirmPassword]", "Renewed-2026");
        await page.ClickAsync("button[type=submit] >> text=保存新密码");
        // A sampler lands on the sampler app, where their work is.
        await Expect(page).ToHaveURLAsync(new Regex("/sampler$"));
        await page.GotoAsync("/");
        await Expect(page.Locator(".facts")).ToContainTextAsync("采样员");

        // The sampler may read residents but not manage accounts.
        await page.GotoAsync("/accounts");
        await Expect(page).ToHaveURLAsync(new Regex("/denied"));
        await Expect(page.Locator("h1")).ToHaveTextAsync("无权访问");
        await Browser.ScreenshotAsync(page, "09-denied");

        await page.ClickAsync("text=退出登录");
        await Expect(page).ToHaveURLAsync(new Regex("/login$"));
        await Browser.LogInAsync(page, "fresh_sampler", "Renewed-2026");
        await Expect(page).ToHaveURLAsync(new Regex("/sampler$"));
    }

    [Fact]
    public async Task LoginPage_IsUnderTheLoginRateLimit()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite, tweak: o => o with { LoginsPerMinute = 2 });
        using var client = app.Anonymous();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await client.GetAsync("/login")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }
}
