using System.Text.RegularExpressions;
using Fangyi.Core.Jurisdiction;
using Fangyi.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Fangyi.Tests.Sampling;

/// <summary>
/// The console in Debian's Chromium as its people use it: field roles land on their apps and the commander on the
/// screen; a county admin on a 390 px phone reads the home page, goes down the coverage page to a village's
/// not-sampled people and opens a person's timeline without the page growing sideways; renames and retires a
/// site; the lab reads its worklist and corrects a result.
/// </summary>
public class ConsoleDeskBrowserTests
{
    // How much wider than the viewport the page is (0 when nothing overflows sideways).
    private static Task<int> OverflowAsync(IPage page) =>
        page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");

    [Fact]
    public async Task FieldRolesLandOnTheirApps_AndACountyAdminWorksFromAPhone_AndTheLabCorrectsAResult()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite, realPort: true);
        var world = await SamplingWorld.CreateAsync(app);
        var people = await world.ResidentsAsync(Villages.Simazhuang, Villages.Simazhuang, Villages.Simazhuang, Villages.Xicheng);
        var (_, tube) = await world.ReceivedTubeAsync([people[0], people[1]], 5, 0, 0);
        await world.ActAsync(world.Lab, "tube.result", new { tube, result = "positive" });
        await app.CreateAccountAsync("qx_commander", Roles.Commander, People.Qingxian);
        await using var browser = await Browser.LaunchAsync();

        // Where each role lands after signing in.
        foreach (var (user, landing) in new[] { ("sampler", "/sampler"), ("courier", "/courier"), ("lab", "/lab"), ("qx_commander", "/screen"), ("county", "/") })
        {
            var page = await browser.NewPageAsync(app.Url);
            await Browser.LogInAsync(page, user, then: null, password: null, landing: landing);
            await page.Context.CloseAsync();
        }

        // The county admin on a phone.
        var phone = await browser.NewPhonePageAsync(app.Url);
        await Browser.LogInAsync(phone, "county");
        await Expect(phone.Locator("#running")).ToContainTextAsync("青县第一轮全员核酸");
        await Expect(phone.GetByTestId("round-people")).ToContainTextAsync("2");
        Assert.True(await OverflowAsync(phone) <= 0, "the home page is wider than the phone");
        await Browser.ScreenshotAsync(phone, "console-390-01-home", fullPage: true);

        await phone.ClickAsync("text=查看覆盖情况与未采名单");
        await Expect(phone.Locator("#coverage-children")).ToContainTextAsync("清州镇");
        await phone.ClickAsync("#coverage-children >> text=清州镇");
        await phone.ClickAsync("#coverage-children >> text=司马庄村");
        await Expect(phone.GetByTestId("not-sampled")).ToHaveTextAsync("1");
        await Expect(phone.Locator("#not-sampled")).ToContainTextAsync("居民2");
        await Expect(phone.Locator("#not-sampled")).Not.ToContainTextAsync("居民0");
        Assert.True(await OverflowAsync(phone) <= 0, "the coverage page is wider than the phone");
        await Browser.ScreenshotAsync(phone, "console-390-02-coverage-village", fullPage: true);
        await phone.ClickAsync("#retest-list");
        await Expect(phone).ToHaveURLAsync(new Regex("/tasks\\?kind=retest"));
        await Expect(phone.Locator("main")).ToContainTextAsync("居民0");
        await phone.GoBackAsync();
        await phone.ClickAsync("#crumbs >> text=青县");
        await Expect(phone.Locator("#coverage-children")).ToContainTextAsync("清州镇");

        // The sampled person's page: one timeline, newest first.
        await phone.GotoAsync($"/sampling/coverage?round={world.RoundId}&division={Villages.Xicheng}");
        await phone.ClickAsync("#not-sampled >> text=居民3");
        await Expect(phone.Locator("h1")).ToHaveTextAsync("居民3");
        await phone.GotoAsync("/residents");
        await phone.FillAsync("input[name=q]", "居民0");
        await phone.Keyboard.PressAsync("Enter");
        await phone.Locator("table tbody tr", new() { HasText = "居民0" }).Locator("text=详情").ClickAsync();
        await Expect(phone.Locator("#timeline")).ToContainTextAsync("混管阳性");
        await Expect(phone.Locator("#timeline")).ToContainTextAsync("单管复核：已派发到村（社区）");
        await Expect(phone.Locator("#timeline li").Last).ToContainTextAsync("核酸采样");
        Assert.True(await OverflowAsync(phone) <= 0, "the person page is wider than the phone");
        await Browser.ScreenshotAsync(phone, "console-390-03-person-timeline", fullPage: true);

        // On the desk: a site renamed, then retired.
        var desk = await browser.NewPageAsync(app.Url);
        await Browser.LogInAsync(desk, "county");
        await desk.GotoAsync("/sampling#sites");
        var row = desk.Locator("#sites tbody tr", new() { HasText = "司马庄村委会采样点" });
        await row.Locator("summary").ClickAsync();
        await row.Locator("input[name=editName]").FillAsync("司马庄村文化广场采样点");
        await row.Locator("button >> text=保存").ClickAsync();
        await Expect(desk.Locator(".alert-ok")).ToContainTextAsync("已修改采样点");
        row = desk.Locator("#sites tbody tr", new() { HasText = "司马庄村文化广场采样点" });
        await row.Locator("summary").ClickAsync();
        desk.Dialog += (_, dialog) => dialog.AcceptAsync();
        await row.Locator("button >> text=停用采样点").ClickAsync();
        await Expect(desk.Locator(".alert-ok")).ToContainTextAsync("已停用采样点");
        await Expect(desk.Locator("#sites tbody tr", new() { HasText = "司马庄村文化广场采样点" })).ToContainTextAsync("已停用");
        await Browser.ScreenshotAsync(desk, "console-04-sites-retired");

        // The lab: its worklist, and a wrong result corrected with a reason.
        var lab = await browser.NewPageAsync(app.Url);
        await Browser.LogInAsync(lab, "lab", landing: "/lab");
        await Expect(lab.Locator("#lab-boxes")).ToContainTextAsync(world.Boxes[0]);
        await Expect(lab.Locator("#lab-boxes")).ToContainTextAsync("检测完成");
        await lab.FillAsync("#correction-form input[name=fixTube]", tube);
        await lab.SelectOptionAsync("#correction-form select[name=fixResult]", "negative");
        await lab.FillAsync("#correction-form input[name=fixReason]", "复核后确认录入错误");
        await lab.ClickAsync("#correction-form button[type=submit]");
        await Expect(lab.Locator("#correction-outcome")).ToContainTextAsync("已更正");
        await Browser.ScreenshotAsync(lab, "console-05-lab-worklist-correction", fullPage: true);
        await lab.FillAsync("#correction-form input[name=fixTube]", tube);
        await lab.SelectOptionAsync("#correction-form select[name=fixResult]", "negative");
        await lab.FillAsync("#correction-form input[name=fixReason]", "再来一次");
        await lab.ClickAsync("#correction-form button[type=submit]");
        await Expect(lab.Locator("#correction-outcome")).ToContainTextAsync("与原结果相同");

        await phone.ReloadAsync();
        await Expect(phone.Locator("#timeline")).ToContainTextAsync("复核后确认录入错误");
        await Expect(phone.Locator("#timeline")).ToContainTextAsync("单管复核：已撤销");
        await Expect(phone.Locator("#timeline")).Not.ToContainTextAsync("withdrawn");
    }
}
