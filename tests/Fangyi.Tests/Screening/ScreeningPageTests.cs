using System.Net.Http.Json;
using System.Text;
using Fangyi.Core.Identity;
using Fangyi.Core.Jurisdiction;
using Fangyi.Tests.Sampling;
using Fangyi.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Fangyi.Tests.Screening;

/// <summary>
/// The pool in Chromium as its people use it: a county admin uploads a big-data push on the pool page; a village worker,
/// on a phone, opens a case from the pool, records a call that did not reach the person, then a visit, and decides
/// home isolation under the rules; the case page says what happened and a refusal in the server's words.
/// </summary>
public class ScreeningPageTests
{
    [Fact]
    public async Task ACountyPushesAFile_AndAVillageWorkerOnAPhone_VerifiesAndDecides()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite, realPort: true);
        var world = await SamplingWorld.CreateAsync(app);
        var people = await world.ResidentsAsync(Villages.Simazhuang, Villages.Simazhuang, Villages.Xicheng);
        await app.CreateAccountAsync("qx-admin", Roles.Admin, People.Qingxian);
        await app.CreateAccountAsync("smz-worker", Roles.VillageWorker, Villages.Simazhuang);
        var csv = Path.Combine(app.Folder, "push.csv");
        await File.WriteAllTextAsync(csv, $"身份证号,手机号,姓名,地址\n{people[0]},,,\n{people[1]},,,\n{people[2]},,,\n123,,,\n", new UTF8Encoding(false));

        await using var browser = await Browser.LaunchAsync();
        var desk = await browser.NewPageAsync(app.Url);
        await Browser.LogInAsync(desk, "qx-admin");
        await desk.GotoAsync("/screening");
        await desk.FillAsync("#push-form input[name=reason]", "时空伴随");
        await desk.SetInputFilesAsync("#push-form input[name=file]", csv);
        await desk.ClickAsync("#push-form button[type=submit]");
        await Expect(desk.Locator("#message")).ToContainTextAsync("推送文件已开始导入");
        await Until.TrueAsync(async () => (await desk.ReloadAsync()) is not null && await desk.Locator("#cases tbody tr").CountAsync() == 3, "the push's three cases on the pool page");
        await Expect(desk.Locator("#summary [data-state=open] .value")).ToHaveTextAsync("3");
        await Browser.ScreenshotAsync(desk, "screening-01-county-pool", fullPage: true);

        // The worker sees only the village's two, overdue-first, and opens the first.
        var phone = await browser.NewPhonePageAsync(app.Url);
        await Browser.LogInAsync(phone, "smz-worker", then: "/screening");
        await Expect(phone.Locator("#cases tbody tr")).ToHaveCountAsync(2);
        await Browser.ScreenshotAsync(phone, "screening-02-village-pool", fullPage: true);
        var masked = IdNumber.Mask(people[0]);
        await phone.ClickAsync($"#cases tbody tr:has-text('{masked}') a");
        await Expect(phone.Locator("#person")).ToContainTextAsync(masked);

        // A decision before anyone was reached is refused in the server's words; the call is kept.
        await phone.CheckAsync("#verify-form input[name=reached][value=false]");
        await phone.ClickAsync("#verify-form button[type=submit]");
        await Expect(phone.Locator("#message")).ToHaveTextAsync("已记录：未联系到本人");
        await phone.UncheckAsync("#decide-form input[name=reached]");
        await phone.SelectOptionAsync("#decide-form select[name=category]", "high_risk_arrival");
        await phone.ClickAsync("#decide-form button[type=submit]");
        await Expect(phone.Locator("#error")).ToHaveTextAsync("尚未联系到本人，不能研判；请先记录核实情况");

        // Visited, decided: home isolation, with the end shown and the history.
        await phone.FillAsync("#decide-form input[name=whereabouts]", "在家");
        await phone.SelectOptionAsync("#decide-form select[name=category]", "high_risk_arrival");
        await phone.ClickAsync("#decide-form button[type=submit]");
        await Expect(phone.Locator("#message")).ToHaveTextAsync("已研判处置");
        await Expect(phone.Locator("#state")).ToContainTextAsync("居家隔离（高风险地区来返）");
        await Expect(phone.Locator("#state")).ToContainTextAsync("管控至");
        await Expect(phone.Locator("#steps tbody tr")).ToHaveCountAsync(2);
        // One entry: reloading the county's page after its upload did not send the file again.
        await Expect(phone.Locator("#entries tbody tr")).ToHaveCountAsync(1);
        await Expect(phone.Locator("#decide-form")).ToHaveCountAsync(0);
        await Browser.ScreenshotAsync(phone, "screening-03-case-decided", fullPage: true);

        // The person page's timeline shows the case.
        using var admin = await app.SignInAsync("qx-admin", TestApp.Password);
        var search = await (await admin.PostAsJsonAsync("/api/v1/residents/search", new { q = people[0] })).Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        await desk.GotoAsync($"/residents/{search[0].GetProperty("id").GetInt64()}");
        await Expect(desk.Locator("body")).ToContainTextAsync("纳入待排查：大数据推送");
        await Expect(desk.Locator("body")).ToContainTextAsync("研判处置");
    }
}
