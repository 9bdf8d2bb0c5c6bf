using System.Net.Http.Json;
using System.Text.Json;
using Fangyi.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Fangyi.Tests.Sampling;

/// <summary>
/// The courier's and lab's app (/courier) in Debian's Chromium at a phone's size: a courier picks sealed boxes up
/// (an open one is refused with the server's words), keeps a manifest of what is on board, goes offline and hands
/// a box over to a chosen lab, and the scans land once when the network is back; the lab receives the box and
/// checks its tubes off, one missing and one broken.
/// </summary>
public class CourierAppTests
{
    private static async Task LogInAsync(IPage page, string username)
    {
        await page.FillAsync("#login-form input[name=username]", username);
        await page.FillAsync("#login-form input[name=password]", TestApp.Password);
        await page.ClickAsync("#login-form button[type=submit]");
    }

    private static async Task WedgeAsync(IPage page, string text)
    {
        await page.Keyboard.TypeAsync(text);
        await page.Keyboard.PressAsync("Enter");
    }

    // A sealed box of three tubes of two people each, and an open box.
    private static async Task<(string Sealed, List<string> Tubes, string Open)> BoxesAsync(SamplingWorld world)
    {
        var people = await world.ResidentsAsync(Villages.Simazhuang, Villages.Simazhuang, Villages.Simazhuang, Villages.Simazhuang, Villages.Simazhuang, Villages.Simazhuang, Villages.Simazhuang);
        var box = world.Boxes[0];
        var tubes = world.Tubes.Take(3).ToList();
        await world.OpenBoxAsync(box);
        for (var t = 0; t < 3; t++)
        {
            await world.OpenTubeAsync(box, tubes[t], 5);
            await world.AddAsync(tubes[t], people[2 * t]);
            await world.AddAsync(tubes[t], people[2 * t + 1]);
            await world.ActAsync(world.Sampler, "tube.seal", new { tube = tubes[t] });
        }
        Assert.Equal(200, (await world.ActAsync(world.Sampler, "box.seal", new { box })).Status);
        var open = world.Boxes[1];
        await world.OpenBoxAsync(open);
        await world.OpenTubeAsync(open, world.Tubes[5], 5);
        await world.AddAsync(world.Tubes[5], people[6]);
        return (box, tubes, open);
    }

    [Fact]
    public async Task ACourierPicksUpAndHandsOver_AndTheLabReceivesAndReconciles_FromTheirPhones()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite, realPort: true);
        var world = await SamplingWorld.CreateAsync(app);
        var (box, tubes, open) = await BoxesAsync(world);
        await using var browser = await Browser.LaunchAsync();

        // The courier.
        var courier = await browser.NewPhonePageAsync(app.Url);
        await courier.GotoAsync("/courier");
        await LogInAsync(courier, "courier");
        await Expect(courier.Locator("#courier-input")).ToBeFocusedAsync();
        await WedgeAsync(courier, open);
        await Expect(courier.Locator("#banner .error")).ToContainTextAsync("尚未封箱");
        await WedgeAsync(courier, box);
        await Expect(courier.Locator("#onboard li.ok")).ToContainTextAsync("3 管 · 6 人");
        await Expect(courier.Locator("#banner .error")).ToBeHiddenAsync();   // the success clears the refusal before it
        await Expect(courier.Locator("#onboard-boxes")).ToHaveTextAsync("1");
        await Expect(courier.Locator("#onboard-people")).ToHaveTextAsync("6");
        await Browser.ScreenshotAsync(courier, "courier-01-on-board");

        await courier.ClickAsync("#courier-modes button[data-mode=handover]");
        await courier.SelectOptionAsync("#lab-select", "lab");
        await courier.Context.SetOfflineAsync(true);
        await courier.FocusAsync("#courier-input");
        await WedgeAsync(courier, box);
        await Expect(courier.Locator("#pending")).ToHaveTextAsync("待上传 1 条");
        await Expect(courier.Locator("#delivered li")).ToContainTextAsync("待上传");
        await Browser.ScreenshotAsync(courier, "courier-02-handed-over-offline");
        await courier.Context.SetOfflineAsync(false);
        await Expect(courier.Locator("#delivered li.ok")).ToContainTextAsync("已交接");
        await Expect(courier.Locator("#pending")).ToBeHiddenAsync();
        await Expect(courier.Locator("#onboard-boxes")).ToHaveTextAsync("0");

        // The lab, on another phone.
        var lab = await browser.NewPhonePageAsync(app.Url);
        await lab.GotoAsync("/courier");
        await LogInAsync(lab, "lab");
        await Expect(lab.Locator("#lab-input")).ToBeFocusedAsync();
        await WedgeAsync(lab, box);
        await Expect(lab.Locator("#receipt-expected")).ToHaveTextAsync("3");
        await WedgeAsync(lab, tubes[0]);
        await WedgeAsync(lab, tubes[1]);
        await lab.Locator("#receipt-tubes li", new() { HasText = tubes[1] }).ClickAsync();
        await Expect(lab.Locator("#receipt-tubes li.damaged")).ToContainTextAsync(tubes[1]);
        await Expect(lab.Locator("#receipt-checked")).ToHaveTextAsync("2");
        await Browser.ScreenshotAsync(lab, "lab-01-reconciling");
        await lab.ClickAsync("#reconcile");
        await Expect(lab.Locator("#reconcile")).ToContainTextAsync("还有 1 管未核对");
        await lab.ClickAsync("#reconcile");
        await Expect(lab.Locator("#reconciled")).ToContainTextAsync("缺失1管");
        await Expect(lab.Locator("#reconciled")).ToContainTextAsync("破损1管");
        await Browser.ScreenshotAsync(lab, "lab-02-reconciled");

        var history = await world.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/sampling/boxes/{box}/history");
        Assert.Equal("testing", history.GetProperty("current").GetProperty("state").GetString());
        var events = history.GetProperty("events").EnumerateArray().Where(e => e.GetProperty("accepted").GetBoolean()).Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Equal(1, events.Count(k => k == "box.pickup"));
        Assert.Equal(1, events.Count(k => k == "box.handover"));
        Assert.Equal(1, events.Count(k => k == "box.reconcile"));
        Assert.Contains("\"to\":\"lab\"", history.GetProperty("events").EnumerateArray().First(e => e.GetProperty("kind").GetString() == "box.handover").GetProperty("payload").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAppShell_IsInstallable_AndItsWorkerKeepsEveryModuleItImports()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite);
        using var client = app.Anonymous();

        var manifest = await client.GetFromJsonAsync<JsonElement>("/courier/manifest.webmanifest");
        var worker = await client.GetStringAsync("/courier-sw.js");
        var shell = System.Text.RegularExpressions.Regex.Matches(worker, "'(/[^']+)',").Select(m => m.Groups[1].Value).ToHashSet();

        Assert.Equal("/courier", manifest.GetProperty("start_url").GetString());
        foreach (var path in shell)
        {
            Assert.True((await client.GetAsync(path)).IsSuccessStatusCode, path);
        }
        foreach (var script in new[] { "/courier/app.js", "/courier/chain.js" })
        {
            var text = await client.GetStringAsync(script);
            foreach (var import in System.Text.RegularExpressions.Regex.Matches(text, "from '([^']+)'").Select(m => m.Groups[1].Value))
            {
                var path = import.StartsWith("./", StringComparison.Ordinal) ? "/courier/" + import[2..] : import;
                Assert.Contains(path, shell);
            }
        }
    }
}
