using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Fangyi.Core.Jurisdiction;
using Fangyi.Tests.Sampling;
using Fangyi.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Fangyi.Tests.Tasks;

/// <summary>
/// The village worker's app (/village) in Debian's Chromium at a phone's size: the worker signs in, sees the retest
/// tasks a positive 10:1 tube put on the list with a phone to call, goes offline, marks a door-to-door visit, and
/// the mark lands once when the network is back.
/// </summary>
public class VillageAppTests
{
    [Fact]
    public async Task AWorker_SeesRetestsWithAPhoneToCall_AndAVisitMarkedOffline_LandsOnce()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite, realPort: true);
        var world = await SamplingWorld.CreateAsync(app);
        var numbers = new List<string>();
        for (var i = 0; i < 11; i++)
        {
            numbers.Add(People.NewId());
            var put = await world.Admin.PutAsJsonAsync("/api/v1/residents", new { idNumber = numbers[i], name = $"司马庄{i + 1}号", phone = $"1391234{i:D4}", division = People.Code(Villages.Simazhuang) });
            put.EnsureSuccessStatusCode();
        }
        var (_, tube) = await world.ReceivedTubeAsync(numbers.Take(10).ToList(), 10, 0, 0);
        var upload = await (await world.Lab.PostAsJsonAsync("/api/v1/lab/results", new[] { new { tube, result = "positive" } })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(upload[0].GetProperty("accepted").GetBoolean(), upload.ToString());
        Assert.Equal(10, (await world.Admin.GetFromJsonAsync<JsonElement>("/api/v1/tasks?kind=retest")).GetArrayLength());
        var sent = await world.Admin.PostAsJsonAsync("/api/v1/tasks/door-to-door", new { roundId = world.RoundId, division = Villages.Simazhuang });
        Assert.Equal(1, (await sent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("created").GetInt32());
        await app.CreateAccountAsync("worker", Roles.VillageWorker, Villages.Simazhuang);
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPhonePageAsync(app.Url);

        // Signing in on the console lands a village worker on their app, which signs its own calls.
        await page.GotoAsync("/login");
        await page.FillAsync("input[name=username]", "worker");
        await page.FillAsync("input[name=password]", TestApp.Password);
        await page.ClickAsync("button[type=submit]");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/village$"));
        await page.FillAsync("#login-form input[name=username]", "worker");
        await page.FillAsync("#login-form input[name=password]", TestApp.Password);
        await page.ClickAsync("#login-form button[type=submit]");

        var retests = page.Locator("section[data-kind=retest] li.task");
        await Expect(retests).ToHaveCountAsync(10);
        await Expect(page.Locator("section[data-kind=retest] h2")).ToContainTextAsync("10 人");
        var first = retests.Filter(new() { HasText = "司马庄1号" });
        await Expect(first.Locator("a.tel")).ToHaveAttributeAsync("href", "tel:13912340000");
        await Expect(first.Locator(".id")).ToHaveTextAsync(numbers[0][..3] + "***********" + numbers[0][14..]);
        await Expect(first.Locator(".address")).ToContainTextAsync("司马庄村");
        await Browser.ScreenshotAsync(page, "village-01-retests", fullPage: true);

        // A retest: 已通知, with a note; it stays on the list until the single-tube sample.
        await first.GetByRole(AriaRole.Button, new() { Name = "已通知" }).ClickAsync();
        await first.Locator("textarea").FillAsync("已电话通知，明早到村委会采样点");
        await first.GetByRole(AriaRole.Button, new() { Name = "提交" }).ClickAsync();
        await Expect(page.Locator("#banner .info")).ToContainTextAsync("通知情况已上传");

        // Offline at the door of the one who was not sampled.
        await page.Context.SetOfflineAsync(true);
        var door = page.Locator("section[data-kind=door_to_door] li.task");
        await Expect(door).ToContainTextAsync("司马庄11号");
        await door.GetByRole(AriaRole.Button, new() { Name = "已上门" }).ClickAsync();
        await door.GetByRole(AriaRole.Radio, new() { Name = "卧床" }).ClickAsync();
        await door.Locator("textarea").FillAsync("卧床不起，需上门采样");
        await Browser.ScreenshotAsync(page, "village-02-visit-form");
        await door.GetByRole(AriaRole.Button, new() { Name = "提交" }).ClickAsync();
        await Expect(page.Locator("#pending")).ToHaveTextAsync("待上传 1 条");
        await Expect(door.Locator(".done-line")).ToContainTextAsync("已上门（卧床）");
        await Expect(door.Locator(".done-line")).ToContainTextAsync("待上传");
        await Expect(page.Locator("#network")).ToHaveTextAsync("离线");
        await Browser.ScreenshotAsync(page, "village-03-offline-queued");

        // Back online: the queued mark lands by itself, once.
        await page.Context.SetOfflineAsync(false);
        await Expect(page.Locator("#pending")).ToBeHiddenAsync();
        await Expect(page.Locator("#banner .info")).ToContainTextAsync("上门情况已上传");
        await Browser.ScreenshotAsync(page, "village-04-landed");

        var task = (await world.Admin.GetFromJsonAsync<JsonElement>("/api/v1/tasks?kind=door_to_door&state=all"))[0];
        Assert.Equal(("done", "bedridden", "卧床不起，需上门采样"), (task.GetProperty("state").GetString(), task.GetProperty("reason").GetString(), task.GetProperty("note").GetString()));
        var retest = (await world.Admin.GetFromJsonAsync<JsonElement>("/api/v1/tasks?kind=retest")).EnumerateArray().Single(t => t.GetProperty("name").GetString() == "司马庄1号");
        Assert.Equal("已电话通知，明早到村委会采样点", retest.GetProperty("note").GetString());
        await using var connection = await app.Store.OpenAsync();
        Assert.Equal(2, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM events WHERE kind = 'task.mark'"));
        Assert.True(app.Errors.Entries.Count == 0, app.Errors.ToString());
    }

    [Fact]
    public async Task TheAppShell_IsInstallable_AndItsWorkerKeepsEveryModuleItImports()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite);
        using var client = app.Anonymous();

        var manifest = await client.GetFromJsonAsync<JsonElement>("/village/manifest.webmanifest");
        var worker = await client.GetStringAsync("/village-sw.js");
        var shell = System.Text.RegularExpressions.Regex.Matches(worker, "'(/[^']+)',").Select(m => m.Groups[1].Value).ToHashSet();

        Assert.Equal("/village", manifest.GetProperty("start_url").GetString());
        Assert.True((await client.GetAsync("/sampler/shell-worker.js")).IsSuccessStatusCode);
        foreach (var path in shell)
        {
            Assert.True((await client.GetAsync(path)).IsSuccessStatusCode, path);
        }
        foreach (var script in new[] { "/village/app.js", "/sampler/signin.js", "/sampler/outbox.js" })
        {
            var text = await client.GetStringAsync(script);
            foreach (var import in System.Text.RegularExpressions.Regex.Matches(text, "from '([^']+)'").Select(m => m.Groups[1].Value))
            {
                var path = import.StartsWith("./", StringComparison.Ordinal) ? "/sampler/" + import[2..] : import;
                Assert.Contains(path, shell);
            }
        }
    }
}
