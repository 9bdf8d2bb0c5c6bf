using System.Globalization;
using System.Text.RegularExpressions;
using Fangyi.Core.Identity;
using Fangyi.Core.Jurisdiction;
using Fangyi.Features.Sampling;
using Fangyi.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Fangyi.Tests.Sampling;

/// <summary>
/// The whole chain with only the product's pages, in Debian's Chromium, each role on its own screen: the admin
/// issues codes; the sampler fills a 10:1 tube (one person read off an ID card by the camera, one the registry has
/// never met given with name and phone) and a second tube, and seals the box; the courier picks it up and hands it
/// over; the lab's result comes too early and is refused, the lab receives the box with one tube missing, and the
/// result is then taken; the positive puts ten retest tasks on the village worker's list; the person sampled again
/// in a single tube has their task done; the admin's person page shows every step.
/// </summary>
public class WholeChainTests
{
    private static async Task WedgeAsync(IPage page, string text)
    {
        await page.Keyboard.TypeAsync(text);
        await page.Keyboard.PressAsync("Enter");
    }

    // The phone apps sign their own calls: their own log-in form.
    private static async Task AppLogInAsync(IPage page, string username)
    {
        await page.FillAsync("#login-form input[name=username]", username);
        await page.FillAsync("#login-form input[name=password]", TestApp.Password);
        await page.ClickAsync("#login-form button[type=submit]");
    }

    private static async Task<(List<string> Boxes, List<string> Tubes)> IssueCodesAsync(IPage admin)
    {
        async Task<SampleCode> IssueAsync(string type, int count)
        {
            await admin.GotoAsync("/sampling#codes");
            await admin.SelectOptionAsync("#codes-form select[name=batchType]", type);
            await admin.FillAsync("#codes-form input[name=batchCount]", count.ToString(CultureInfo.InvariantCulture));
            await admin.ClickAsync("#codes-form button[type=submit]");
            var range = await admin.Locator("#batches tr.fresh td.code").InnerTextAsync();
            return SampleCode.Parse(range.Split('–')[0].Trim(), type == "tube" ? CodeType.Tube : CodeType.Box)!.Value;
        }
        var tubes = await IssueAsync("tube", 5);
        await Browser.ScreenshotAsync(admin, "chain-01-codes-issued");
        var boxes = await IssueAsync("box", 2);
        return (Enumerable.Range(0, 2).Select(i => new SampleCode(CodeType.Box, boxes.Serial + i).ToString()).ToList(), Enumerable.Range(0, 5).Select(i => new SampleCode(CodeType.Tube, tubes.Serial + i).ToString()).ToList());
    }

    [Fact]
    public async Task FromCodesToTheVillageWorkersList_WithOnlyTheProductsPages()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite, realPort: true);
        var world = await SamplingWorld.CreateAsync(app);
        var people = await world.ResidentsAsync(Enumerable.Repeat(Villages.Simazhuang, 10).ToArray());
        var stranger = People.NewId(130922, 1985);
        await app.CreateAccountAsync("worker", Roles.VillageWorker, Villages.Simazhuang);
        string camera;
        await using (var drawing = await Browser.LaunchAsync())
        {
            camera = await FakeIdCard.WriteAsync(await drawing.NewPageAsync(app.Url), Path.Combine(app.Folder, "id-card.y4m"), [people[0]], framesEach: 10, fps: 10, seed: 11);
        }
        await using var browser = await Browser.LaunchAsync(fakeCamera: camera);

        // The county admin issues tube and box codes.
        var admin = await browser.NewPageAsync(app.Url);
        await Browser.LogInAsync(admin, "county");
        var (boxes, tubes) = await IssueCodesAsync(admin);
        var box = boxes[0];

        // The sampler: a 10:1 tube, the first person read off an ID card, the last one unknown to the registry.
        var sampler = await browser.NewPhonePageAsync(app.Url, "camera");
        await sampler.GotoAsync("/sampler");
        await AppLogInAsync(sampler, "sampler");
        await sampler.SelectOptionAsync("select[name=round]", world.RoundId.ToString(CultureInfo.InvariantCulture));
        await sampler.SelectOptionAsync("select[name=site]", world.SiteId.ToString(CultureInfo.InvariantCulture));
        await sampler.ClickAsync("#choose-form button[type=submit]");
        await Expect(sampler.Locator("#box-input")).ToBeFocusedAsync();
        await WedgeAsync(sampler, box);
        await WedgeAsync(sampler, tubes[0]);
        await Expect(sampler.Locator("#people-mode")).ToHaveTextAsync("10混1");
        await sampler.ClickAsync("#id-card-toggle");
        await Expect(sampler.Locator("#count")).ToHaveTextAsync("1", new() { Timeout = 60_000 });
        await Expect(sampler.Locator("#people li.ok")).ToContainTextAsync(IdNumber.Mask(people[0]));
        await Browser.ScreenshotAsync(sampler, "chain-02-sampler-id-card");
        await sampler.ClickAsync("#id-card-toggle");
        await sampler.FocusAsync("#person-input");
        foreach (var number in people.Skip(1).Take(8))
        {
            await WedgeAsync(sampler, number);
        }
        await WedgeAsync(sampler, stranger);
        await Expect(sampler.Locator("#stranger-form")).ToBeVisibleAsync();
        await sampler.FillAsync("#stranger-form input[name=name]", "王小明");
        await sampler.FillAsync("#stranger-form input[name=phone]", "13912345678");
        await Browser.ScreenshotAsync(sampler, "chain-03-sampler-stranger");
        await sampler.ClickAsync("#stranger-form button[type=submit]");
        await Expect(sampler.Locator("#count")).ToHaveTextAsync("10");
        await sampler.ClickAsync("#seal-tube");
        // A second tube with one person: the one that goes missing on the way.
        await Expect(sampler.Locator("#tube-input")).ToBeFocusedAsync();
        await WedgeAsync(sampler, tubes[1]);
        await WedgeAsync(sampler, people[9]);
        await Expect(sampler.Locator("#count")).ToHaveTextAsync("1");
        await sampler.ClickAsync("#seal-tube");
        await sampler.ClickAsync("#seal-tube");
        await sampler.ClickAsync("#seal-box");
        await sampler.ClickAsync("#seal-box");
        await Expect(sampler.Locator("#sealed-summary")).ToHaveTextAsync($"转运箱 {box} 已封箱：2 管 11 人");
        await Browser.ScreenshotAsync(sampler, "chain-04-sampler-sealed");

        // The courier picks the box up and hands it over to the lab.
        var courier = await browser.NewPhonePageAsync(app.Url);
        await courier.GotoAsync("/courier");
        await AppLogInAsync(courier, "courier");
        await Expect(courier.Locator("#courier-input")).ToBeFocusedAsync();
        await WedgeAsync(courier, box);
        await Expect(courier.Locator("#onboard li.ok")).ToContainTextAsync("2 管 · 11 人");
        await courier.ClickAsync("#courier-modes button[data-mode=handover]");
        await courier.SelectOptionAsync("#lab-select", "lab");
        await courier.FocusAsync("#courier-input");
        await WedgeAsync(courier, box);
        await Expect(courier.Locator("#delivered li.ok")).ToContainTextAsync("已交接");
        await Browser.ScreenshotAsync(courier, "chain-05-courier-handed-over");

        // The lab's result comes before the box is received: refused, with the reason.
        var desk = await browser.NewPageAsync(app.Url);
        await Browser.LogInAsync(desk, "lab", landing: "/lab");
        await desk.FillAsync("#one-form input[name=tube]", tubes[0]);
        await desk.SelectOptionAsync("#one-form select[name=result]", "positive");
        await desk.ClickAsync("#one-form button[type=submit]");
        await Expect(desk.Locator("#one-outcome")).ToContainTextAsync("未录入");
        await Browser.ScreenshotAsync(desk, "chain-06-lab-too-early");

        // The lab receives the box on its receipt desk: one tube is missing.
        var receipt = await browser.NewPhonePageAsync(app.Url);
        await receipt.GotoAsync("/courier");
        await AppLogInAsync(receipt, "lab");
        await Expect(receipt.Locator("#lab-input")).ToBeFocusedAsync();
        await WedgeAsync(receipt, box);
        await Expect(receipt.Locator("#receipt-expected")).ToHaveTextAsync("2");
        await WedgeAsync(receipt, tubes[0]);
        await receipt.ClickAsync("#reconcile");
        await receipt.ClickAsync("#reconcile");
        await Expect(receipt.Locator("#reconciled")).ToContainTextAsync("缺失1管");
        await Browser.ScreenshotAsync(receipt, "chain-07-lab-received-one-missing");

        // Now the result is taken.
        await desk.GotoAsync("/lab");
        await desk.FillAsync("#one-form input[name=tube]", tubes[0]);
        await desk.SelectOptionAsync("#one-form select[name=result]", "positive");
        await desk.ClickAsync("#one-form button[type=submit]");
        await Expect(desk.Locator("#one-outcome")).ToContainTextAsync("已录入");
        await desk.GotoAsync("/lab");
        await Expect(desk.Locator("#lab-boxes")).ToContainTextAsync("缺失");
        await Browser.ScreenshotAsync(desk, "chain-08-lab-result-taken", fullPage: true);

        // The village worker: ten retest tasks, and the missing tube's person to sample again.
        var worker = await browser.NewPhonePageAsync(app.Url);
        await Browser.LogInAsync(worker, "worker", landing: "/village");
        await AppLogInAsync(worker, "worker");
        var retests = worker.Locator("section[data-kind=retest] li.task");
        await Expect(retests).ToHaveCountAsync(10);
        await Expect(worker.Locator("section[data-kind=retest]")).ToContainTextAsync("王小明");
        await Expect(worker.Locator("section[data-kind=resample] li.task")).ToHaveCountAsync(1);
        await Browser.ScreenshotAsync(worker, "chain-09-worker-retests", fullPage: true);

        // The first person is sampled again, in a single tube; their task is done.
        await WedgeAsync(sampler, boxes[1]);
        await sampler.ClickAsync("#modes [data-capacity='1']");
        await WedgeAsync(sampler, tubes[2]);
        await WedgeAsync(sampler, people[1]);
        await Expect(sampler.Locator("#people li.ok")).ToContainTextAsync(IdNumber.Mask(people[1]));
        await Browser.ScreenshotAsync(sampler, "chain-10-sampler-single-tube");
        await worker.ReloadAsync();
        await Expect(retests).ToHaveCountAsync(9);
        await Browser.ScreenshotAsync(worker, "chain-11-worker-one-done", fullPage: true);

        // The admin's person page shows every step.
        await admin.GotoAsync("/residents");
        await admin.FillAsync("input[name=q]", "居民1");
        await admin.Keyboard.PressAsync("Enter");
        await admin.Locator("table tbody tr", new() { HasText = "居民1" }).Locator("text=详情").ClickAsync();
        var timeline = admin.Locator("#timeline");
        foreach (var step in new[] { "10混1", "已封箱", "转运员已取件", "实验室已接收", "核酸结果：混管阳性", "单管复核：已派发", "单管单采", "单管复核：已完成" })
        {
            await Expect(timeline).ToContainTextAsync(step);
        }
        await Browser.ScreenshotAsync(admin, "chain-12-person-timeline", fullPage: true);
        Assert.True(app.Errors.Entries.Count == 0, app.Errors.ToString());
    }
}
