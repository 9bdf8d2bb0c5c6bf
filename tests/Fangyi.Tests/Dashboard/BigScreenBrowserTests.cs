using Fangyi.Core.Jurisdiction;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Fangyi.Host;
using Fangyi.Tests.Sampling;
using Fangyi.Tests.Support;
using Microsoft.Playwright;
using MiniExcelLibs;
using static Microsoft.Playwright.Assertions;

namespace Fangyi.Tests.Dashboard;

/// <summary>The command big screen in Debian's Chromium, against a real host on a loopback port.</summary>
public class BigScreenBrowserTests
{
    private const long Jinniu = 130922101000;   // 青县金牛镇

    private static ILocator Tile(IPage page, string id) => page.Locator($"#{id} .value");

    // What runs past the display's edges, or past its own box (a tile's number wider than its tile); rows inside a
    // scrolling table are meant to run on below.
    private const string Overflows = """
        () => {
          const out = [];
          for (const el of document.querySelectorAll('.top, .top *, .wall, .wall *')) {
            if (el.closest('.scroll') && el.closest('.scroll') !== el) continue;
            const r = el.getBoundingClientRect();
            if (!r.width) continue;
            if (r.left < -0.5 || r.top < -0.5 || r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5) {
              out.push(`${el.id || el.className || el.tagName} at ${Math.round(r.left)},${Math.round(r.top)}..${Math.round(r.right)},${Math.round(r.bottom)}`);
            }
            if (el.matches('.tile .value, .tile .label, h1, h2, .scroll') && el.scrollWidth > el.clientWidth + 1) {
              out.push(`${el.parentElement.id || el.className}: ${el.textContent} is wider than its box`);
            }
          }
          const doc = document.documentElement;
          if (doc.scrollWidth > innerWidth || doc.scrollHeight > innerHeight) out.push(`the page is ${doc.scrollWidth}×${doc.scrollHeight}`);
          return out;
        }
        """;

    [Fact]
    public async Task BigScreen_FitsWallAndLaptopDisplays_OpensAVillage_AndBackGoesUpOneLevel()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite, realPort: true);
        var world = await SamplingWorld.CreateAsync(app);
        var people = await world.ResidentsAsync(Villages.Simazhuang, Villages.Simazhuang, Villages.Simazhuang, Villages.Xicheng);
        await app.CreateAccountAsync("city_screen", Roles.Commander, People.Cangzhou);
        var (box, tube) = (world.Boxes[0], world.Tubes[0]);
        Assert.Equal(201, (await world.OpenBoxAsync(box)).Status);
        Assert.Equal(201, (await world.OpenTubeAsync(box, tube, 10)).Status);
        Assert.Equal(201, (await world.AddAsync(tube, people[0])).Status);
        Assert.Equal(201, (await world.AddAsync(tube, people[1])).Status);
        await using var browser = await Browser.LaunchAsync();

        foreach (var (width, height) in new[] { (1920, 1080), (1440, 900), (1366, 768) })
        {
            var page = await browser.NewPageAsync(app.Url, width, height);
            await Browser.LogInAsync(page, "city_screen", then: "/screen");
            await Expect(page.Locator("#live")).ToHaveTextAsync("实时");
            await Expect(Tile(page, "tile-people")).ToHaveTextAsync("2");
            await Expect(Tile(page, "tile-unsampled")).ToHaveTextAsync("2");
            // 沧县 has nobody registered: its coverage is "—", not a share of nothing.
            await Expect(page.Locator($"#children tr[data-division='{People.Cangxian}'] td").Nth(3)).ToHaveTextAsync("—");
            await page.WaitForTimeoutAsync(500);   // the charts' first animation
            Assert.Empty(await page.EvaluateAsync<string[]>(Overflows));
            await Browser.ScreenshotAsync(page, $"screen-scaling/{width}x{height}");
            if (width != 1366)
            {
                await page.CloseAsync();
                continue;
            }

            // Down to a village, which has its own view and its not-sampled count; Back goes up one level at a time.
            await page.ClickAsync($"#children tr[data-division='{People.Qingxian}']");
            await Expect(page.Locator("#crumbs")).ToHaveTextAsync("沧州市›青县");
            await page.ClickAsync($"#children tr[data-division='{People.Qingzhou}']");
            await Expect(page.Locator("#crumbs")).ToHaveTextAsync("沧州市›青县›清州镇");
            await page.ClickAsync($"#children tr[data-division='{Villages.Simazhuang}']");
            await Expect(page.Locator("#crumbs")).ToHaveTextAsync("沧州市›青县›清州镇›司马庄村民委员会");
            await Expect(Tile(page, "tile-residents")).ToHaveTextAsync("3");
            await Expect(Tile(page, "tile-unsampled")).ToHaveTextAsync("1");
            await Expect(Tile(page, "tile-coverage")).ToHaveTextAsync("66.7%");
            await Expect(page.Locator("#children-title")).ToContainTextAsync("未采 1 人");
            await Expect(page.Locator($"#children tr[data-division='{Villages.Simazhuang}'] td").Nth(4)).ToHaveTextAsync("1");
            Assert.Empty(await page.EvaluateAsync<string[]>(Overflows));
            await Browser.ScreenshotAsync(page, "screen-scaling/1366x768-village");

            await page.GoBackAsync();
            await Expect(page.Locator("#crumbs")).ToHaveTextAsync("沧州市›青县›清州镇");
            await Expect(page.Locator($"#children tr[data-division='{Villages.Simazhuang}'] td").Nth(2)).ToHaveTextAsync("2");
            await page.GoBackAsync();
            await Expect(page.Locator("#crumbs")).ToHaveTextAsync("沧州市›青县");
            await page.GoForwardAsync();
            await Expect(page.Locator("#crumbs")).ToHaveTextAsync("沧州市›青县›清州镇");
            await page.GoBackAsync();
            await page.GoBackAsync();
            await Expect(page.Locator("#crumbs")).ToHaveTextAsync("沧州市");
            Assert.EndsWith("/screen?round=" + world.RoundId + "&division=" + People.Cangzhou, page.Url, StringComparison.Ordinal);

            // A laptop window made smaller still fits.
            await page.SetViewportSizeAsync(1280, 720);
            await page.WaitForTimeoutAsync(500);
            Assert.Empty(await page.EvaluateAsync<string[]>(Overflows));
        }
    }

    [Fact]
    public async Task BigScreen_FollowsScansLive_DrillsDownAndBack_AndReconnectsAfterARestart()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite, realPort: true);
        var world = await SamplingWorld.CreateAsync(app);
        var people = await world.ResidentsAsync(Villages.Simazhuang, Villages.Simazhuang, Villages.Simazhuang, Villages.Xicheng, Villages.Xiaoniuzhuang);
        await app.CreateAccountAsync("city_screen", Roles.Commander, People.Cangzhou);
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync(app.Url, 1920, 1080);
        await Browser.LogInAsync(page, "city_screen", then: "/screen");

        await Expect(page.Locator("#live")).ToHaveTextAsync("实时");
        await Expect(page.Locator("#banner")).ToBeHiddenAsync();
        await Expect(page.Locator("#crumbs")).ToHaveTextAsync("沧州市");
        await Expect(Tile(page, "tile-residents")).ToHaveTextAsync("5");
        await Expect(Tile(page, "tile-people")).ToHaveTextAsync("0");
        await Expect(page.Locator("#children tbody tr")).ToHaveCountAsync(19);
        await page.EvaluateAsync("""
            () => {
                window.changedAt = {};
                for (const tile of document.querySelectorAll('.tile')) {
                    new MutationObserver(() => window.changedAt[tile.id] = Date.now()).observe(tile, { subtree: true, childList: true, characterData: true });
                }
            }
            """);
        // The checkpoint counts its checks and devices: none yet today, a zero rather than the "not counted" note.
        await Expect(Tile(page, "tile-checks")).ToHaveTextAsync("0");
        await Expect(Tile(page, "tile-devices")).ToHaveTextAsync("0");
        await Expect(page.Locator("#checkpoint-note")).ToBeHiddenAsync();

        // Scans through the API reach the wall within a second of being answered.
        var (box, tube) = (world.Boxes[0], world.Tubes[0]);
        Assert.Equal(201, (await world.OpenBoxAsync(box)).Status);
        Assert.Equal(201, (await world.OpenTubeAsync(box, tube, 5)).Status);
        // After a quiet second the next change is pushed at once (under a stream, with the next push: see below).
        // The tube just opened may itself be pushed up to a second after the box's push, so the quiet second
        // starts after that.
        await Task.Delay(2_200);
        Assert.Equal(201, (await world.AddAsync(tube, people[0])).Status);
        var answered = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await Expect(Tile(page, "tile-people")).ToHaveTextAsync("1", new() { Timeout = 5000 });
        // When the page changed, by the page's own clock (the same machine's): Playwright's polling adds its own delay.
        var shown = await page.EvaluateAsync<long>("() => window.changedAt['tile-people']");
        Assert.True(shown - answered < 1000, $"on the screen {shown - answered} ms after the answer");
        await Expect(Tile(page, "tile-coverage")).ToHaveTextAsync("20.0%");
        await Expect(page.Locator("#children tr[data-division='130922000000'] td").Nth(2)).ToHaveTextAsync("1");

        var latencies = new List<long> { shown - answered };
        // A steady stream: pushes come at most once a second, so a scan that lands just after one waits for the
        // next, about a second; the margin is for delivery and drawing on a loaded test machine.
        foreach (var person in people.Skip(1).Take(3))
        {
            var (status, _) = await world.AddAsync(tube, person);
            Assert.Equal(201, status);
            answered = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var expected = (people.IndexOf(person) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Expect(Tile(page, "tile-people")).ToHaveTextAsync(expected, new() { Timeout = 5000 });
            shown = await page.EvaluateAsync<long>("() => window.changedAt['tile-people']");
            latencies.Add(shown - answered);
        }
        Assert.True(latencies.Max() < 1500, $"on the screen after {string.Join(", ", latencies)} ms");
        await Expect(Tile(page, "tile-samples")).ToHaveTextAsync("4");
        await Expect(page.Locator("#tile-coverage .value")).ToHaveTextAsync("80.0%");
        await Browser.ScreenshotAsync(page, "screen-01-city");

        // Into 青县: its townships, with the breadcrumb back.
        await page.ClickAsync("#children tr[data-division='130922000000']");
        await Expect(page.Locator("#crumbs")).ToHaveTextAsync("沧州市›青县");
        await Expect(page.Locator("#children-title")).ToHaveTextAsync("各乡镇（街道）");
        await Expect(page.Locator($"#children tr[data-division='{People.Qingzhou}'] td").Nth(2)).ToHaveTextAsync("4");
        await Expect(page.Locator($"#children tr[data-division='{Jinniu}'] td").Nth(1)).ToHaveTextAsync("1");
        await Expect(page.Locator($"#children tr[data-division='{Jinniu}'] td").Nth(2)).ToHaveTextAsync("0");
        Assert.Contains("division=130922000000", page.Url, StringComparison.Ordinal);

        // Sealed, picked up and received while watching the county: the custody numbers follow.
        Assert.Equal(200, (await world.ActAsync(world.Sampler, "tube.seal", new { tube })).Status);
        Assert.Equal(200, (await world.ActAsync(world.Sampler, "box.seal", new { box })).Status);
        Assert.Equal(200, (await world.ActAsync(world.Courier, "box.pickup", new { box })).Status);
        Assert.Equal(200, (await world.ActAsync(world.Lab, "box.receive", new { box })).Status);
        await Expect(Tile(page, "tile-backlog")).ToHaveTextAsync("4");
        await Expect(Tile(page, "tile-backlog-tubes")).ToHaveTextAsync("1");
        Assert.Equal(200, (await world.ActAsync(world.Lab, "tube.result", new { tube, result = "positive" })).Status);
        await Expect(Tile(page, "tile-mixed")).ToHaveTextAsync("4");
        await Expect(Tile(page, "tile-backlog")).ToHaveTextAsync("0");
        await Expect(page.Locator("#turnaround tr[data-key='tat.total'] td").Nth(2)).ToHaveTextAsync("1");
        await Browser.ScreenshotAsync(page, "screen-02-county");

        // Down to 清州镇's villages, then back up by the breadcrumb.
        await page.ClickAsync($"#children tr[data-division='{People.Qingzhou}']");
        await Expect(page.Locator("#crumbs")).ToHaveTextAsync("沧州市›青县›清州镇");
        await Expect(page.Locator($"#children tr[data-division='{Villages.Simazhuang}'] td").Nth(2)).ToHaveTextAsync("3");
        await Expect(page.Locator($"#children tr[data-division='{Villages.Simazhuang}'] td").Nth(3)).ToHaveTextAsync("100.0%");
        await Browser.ScreenshotAsync(page, "screen-03-township");
        await page.ClickAsync("#crumbs a:text('沧州市')");
        await Expect(page.Locator("#crumbs")).ToHaveTextAsync("沧州市");
        await Expect(page.Locator("#children tbody tr")).ToHaveCountAsync(19);
        await Expect(Tile(page, "tile-mixed")).ToHaveTextAsync("4");

        // The current view as a sheet: a row per county and the total.
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#export"));
        Assert.EndsWith(".xlsx", download.SuggestedFilename, StringComparison.Ordinal);
        var sheet = Path.Combine(app.Folder, download.SuggestedFilename);
        await download.SaveAsAsync(sheet);
        var rows = (await MiniExcel.QueryAsync(sheet, useHeaderRow: true)).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(20, rows.Count);
        Assert.Equal(4.0, Convert.ToDouble(rows.Single(r => (string)r["区划"] == "青县")["已采人数"], System.Globalization.CultureInfo.InvariantCulture));

        // The daily report, printable.
        var report = await page.RunAndWaitForPopupAsync(() => page.ClickAsync("#daily"));
        await Expect(report.Locator("h1")).ToContainTextAsync("沧州市 核酸采样日报");
        await Expect(report.Locator("#report tr", new() { HasTextString = "青县" }).First).ToContainTextAsync("80.0%");
        await Browser.ScreenshotAsync(report, "screen-04-daily", fullPage: true);
        await report.CloseAsync();

        // The server goes away: the wall says so at once. It comes back on the same port: the wall reconnects by
        // itself, and the numbers (recounted at start) are the same.
        await app.App.StopAsync();
        await Expect(page.Locator("#banner")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Expect(page.Locator("#live")).ToHaveTextAsync("断开 · 重连中");
        await Browser.ScreenshotAsync(page, "screen-05-disconnected");
        await using var again = await FangyiHost.BuildAsync(app.Options with { Urls = app.Url }, b => b.Logging.SetMinimumLevel(LogLevel.Warning), TextWriter.Null);
        await again.StartAsync();
        await Expect(page.Locator("#banner")).ToBeHiddenAsync(new() { Timeout = 15_000 });
        await Expect(page.Locator("#live")).ToHaveTextAsync("实时");
        await Expect(Tile(page, "tile-people")).ToHaveTextAsync("4");
        await Expect(Tile(page, "tile-mixed")).ToHaveTextAsync("4");
        var newcomer = People.NewId();
        await world.Admin.PutAsJsonAsync("/api/v1/residents", new { idNumber = newcomer, name = "新居民", division = People.Code(Villages.Xicheng) });
        await Expect(Tile(page, "tile-residents")).ToHaveTextAsync("6");
        await again.StopAsync();
    }
}
