using Fangyi.Core.Jurisdiction;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Fangyi.Core.Identity;
using Fangyi.Features.Sampling;
using Fangyi.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Fangyi.Tests.Sampling;

/// <summary>The sampler's phone app (/sampler) in Debian's Chromium at a phone's size, against a real host.</summary>
public class SamplerAppTests
{
    // The page's own module, the instance the page uses (one per URL).
    private const string QueuedScans = "async () => (await import('/sampler/queue.js')).count()";

    private static string Masked(string id) => IdNumber.Mask(id);

    internal static async Task<string> CitizenCodeAsync(TestApp app, string idNumber, string name)
    {
        using var responseClient = app.Anonymous();
        var response = await responseClient.PostAsJsonAsync("/api/v1/public/citizen-code", new { idNumber, name });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
    }

    internal static async Task LogInAsync(IPage page, string username, string password)
    {
        await page.FillAsync("#login-form input[name=username]", username);
        await page.FillAsync("#login-form input[name=password]", password);
        await page.ClickAsync("#login-form button[type=submit]");
    }

    /// <summary>Signed in as the sampler with the first round and site chosen, at the box step.</summary>
    private static async Task ReadyToScanAsync(IPage page)
    {
        await page.GotoAsync("/sampler");
        await LogInAsync(page, "sampler", TestApp.Password);
        await page.ClickAsync("#choose-form button[type=submit]");
        await Expect(page.Locator("#box-input")).ToBeFocusedAsync();
    }

    /// <summary>What a keyboard-wedge scanner does: the characters at full speed, then Enter.</summary>
    internal static async Task WedgeAsync(IPage page, string text)
    {
        await page.Keyboard.TypeAsync(text);
        await page.Keyboard.PressAsync("Enter");
    }

    private static async Task<JsonElement> BoxHistoryAsync(SamplingWorld world, string box) =>
        await world.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/sampling/boxes/{box}/history");

    [Fact]
    public async Task Sampler_FillsATenPersonTube_ByCameraHandAndScanner_ThenSealsTubeAndBox()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite, realPort: true);
        var world = await SamplingWorld.CreateAsync(app);
        var people = await world.ResidentsAsync(Enumerable.Repeat(Villages.Simazhuang, 10).ToArray());
        var shownToCamera = await CitizenCodeAsync(app, people[0], "居民0");
        var scannedByWedge = await CitizenCodeAsync(app, people[2], "居民2");
        var camera = FakeCamera.WriteQr(Path.Combine(app.Folder, "citizen-code.y4m"), shownToCamera);
        var (box, tube) = (world.Boxes[0], world.Tubes[0]);

        await using var browser = await Browser.LaunchAsync(fakeCamera: camera);
        var page = await browser.NewPhonePageAsync(app.Url, "camera");

        // Log in with a bearer token (no cookie), then pick the round and the site.
        await page.GotoAsync("/sampler");
        await Expect(page.Locator("#screen-login h1")).ToHaveTextAsync("采样员登录");
        await Browser.ScreenshotAsync(page, "sampler-01-login");
        await LogInAsync(page, "sampler", "wrong-password-1");
        await Expect(page.Locator("#login-error")).ToHaveTextAsync("用户名或密码错误");
        await LogInAsync(page, "sampler", TestApp.Password);
        await Expect(page.Locator("#screen-choose")).ToBeVisibleAsync();
        await page.SelectOptionAsync("select[name=round]", world.RoundId.ToString(CultureInfo.InvariantCulture));
        await page.SelectOptionAsync("select[name=site]", world.SiteId.ToString(CultureInfo.InvariantCulture));
        await Expect(page.Locator("select[name=round] option:checked")).ToHaveTextAsync("青县第一轮全员核酸");
        await Expect(page.Locator("select[name=site] option:checked")).ToHaveTextAsync("司马庄村委会采样点");
        await Browser.ScreenshotAsync(page, "sampler-02-choose");
        await page.ClickAsync("#choose-form button[type=submit]");

        // Box, then tube: the mode defaults to the round's low-risk ratio, 10:1.
        await Expect(page.Locator("#box-input")).ToBeFocusedAsync();
        await WedgeAsync(page, box.ToLowerInvariant());
        await Expect(page.Locator("#tube-box")).ToHaveTextAsync(box);
        await Expect(page.Locator("#modes [data-capacity='10']")).ToHaveAttributeAsync("aria-checked", "true");
        await Browser.ScreenshotAsync(page, "sampler-03-tube");
        await WedgeAsync(page, tube);
        await Expect(page.Locator("#people-tube")).ToHaveTextAsync(tube);
        await Expect(page.Locator("#capacity")).ToHaveTextAsync("10");
        await Expect(page.Locator("#people-mode")).ToHaveTextAsync("10混1");

        // 1: a citizen code read off the camera, by itself.
        await page.ClickAsync("#camera-toggle");
        await Expect(page.Locator("#count")).ToHaveTextAsync("1", new() { Timeout = 30_000 });
        await Expect(page.Locator("#people li.ok")).ToContainTextAsync(Masked(people[0]));
        await Expect(page.Locator("#banner .info")).ToContainTextAsync("已登记 居*0");
        await Browser.ScreenshotAsync(page, "sampler-04-camera");
        await page.ClickAsync("#camera-toggle");
        await Expect(page.Locator("#camera")).ToBeHiddenAsync();

        // 2: typed by hand, digit by digit; the eighteenth digit registers it with no tap.
        await page.Locator("#person-input").PressSequentiallyAsync(people[1][..10], new() { Delay = 30 });
        await Expect(page.Locator("#person-hint")).ToHaveTextAsync("已输入 10/18 位");
        await page.Locator("#person-input").PressSequentiallyAsync(people[1][10..], new() { Delay = 30 });
        await Expect(page.Locator("#count")).ToHaveTextAsync("2");
        await Expect(page.Locator("#people li").First).ToContainTextAsync(Masked(people[1]));

        // A wrong check character is caught on the phone; a region that does not exist is refused by the server.
        var wrongCheck = people[3][..17] + (people[3][17] == '0' ? '1' : '0');
        await page.Keyboard.TypeAsync(wrongCheck);
        await Expect(page.Locator("#person-hint")).ToHaveTextAsync("身份证号码校验位错误，请核对");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#banner .error").First).ToHaveTextAsync("证件号码或市民码无效：身份证号码校验位错误，请核对");
        await page.Keyboard.TypeAsync(IdNumber.Make(990100, new DateOnly(1990, 5, 1), 7));
        await Expect(page.Locator("#banner .error").First).ToHaveTextAsync("证件号码或市民码无效：身份证号码的地区码不存在");
        await Expect(page.Locator("#people li.refused")).ToHaveCountAsync(1);
        await Expect(page.Locator("#count")).ToHaveTextAsync("2");
        await Browser.ScreenshotAsync(page, "sampler-05-refused");

        // 3–10: a scanner (keyboard wedge): one citizen code and seven ID numbers, each followed by Enter.
        await WedgeAsync(page, scannedByWedge);
        foreach (var number in people.Skip(3))
        {
            await WedgeAsync(page, number);
        }
        await Expect(page.Locator("#count")).ToHaveTextAsync("10");
        await Expect(page.Locator("#full")).ToHaveTextAsync("已满，请封管");
        await Expect(page.Locator("#people li.ok")).ToHaveCountAsync(10);
        await Expect(page.Locator("#pending")).ToBeHiddenAsync();
        await Browser.ScreenshotAsync(page, "sampler-06-full");

        // A full tube takes no one more, on the phone already.
        await WedgeAsync(page, People.NewId());
        await Expect(page.Locator("#banner .error").First).ToContainTextAsync("已满，请封管");

        // Seal the tube (full: one tap), then the box (a second tap confirms); the box's answer gives the counts.
        await page.ClickAsync("#seal-tube");
        await Expect(page.Locator("#tube-input")).ToBeFocusedAsync();
        await Expect(page.Locator("#tube-box-tubes")).ToContainTextAsync("已封 1 管");
        await page.ClickAsync("#seal-box");
        await Expect(page.Locator("#seal-box")).ToHaveTextAsync("再点一次封箱");
        await page.ClickAsync("#seal-box");
        await Expect(page.Locator("#sealed-summary")).ToHaveTextAsync($"转运箱 {box} 已封箱：1 管 10 人");
        await Expect(page.Locator("#box-input")).ToBeFocusedAsync();
        await Browser.ScreenshotAsync(page, "sampler-07-sealed");

        var history = await BoxHistoryAsync(world, box);
        Assert.Equal(BoxStates.Sealed, history.GetProperty("current").GetProperty("state").GetString());
        var tubes = history.GetProperty("tubes").EnumerateArray().ToList();
        var only = Assert.Single(tubes);
        Assert.Equal(tube, only.GetProperty("code").GetString());
        Assert.Equal(10, only.GetProperty("people").GetInt32());
        Assert.Equal(10, only.GetProperty("capacity").GetInt32());
        Assert.Equal(TubeStates.Boxed, only.GetProperty("state").GetString());
        var sampled = history.GetProperty("people").EnumerateArray().Select(p => p.GetProperty("idMasked").GetString()).ToList();
        Assert.Equal(people.Select(Masked).Order(), sampled.Order());
        Assert.Equal(10, history.GetProperty("events").EnumerateArray().Count(e => e.GetProperty("kind").GetString() == ScanKinds.AddPerson && e.GetProperty("accepted").GetBoolean()));
    }

    [Fact]
    public async Task ScansWithoutNetwork_AreQueued_SurviveAReload_AndLandExactlyOnce()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite, realPort: true);
        var world = await SamplingWorld.CreateAsync(app);
        await app.CreateAccountAsync("new_sampler", Roles.Sampler, Villages.Simazhuang, mustChange: true);
        var people = await world.ResidentsAsync(Enumerable.Repeat(Villages.Simazhuang, 6).ToArray());
        var (box, tube) = (world.Boxes[1], world.Tubes[1]);

        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPhonePageAsync(app.Url);
        var context = page.Context;

        // A first log-in with a one-time password must change it before anything else.
        await page.GotoAsync("/sampler");
        await LogInAsync(page, "new_sampler", TestApp.Password);
        await Expect(page.Locator("#screen-password h1")).ToHaveTextAsync("请修改初始密码");
        await page.FillAsync("input[name=newPassword]", "short");
        await page.FillAsync("input[name=confirm]", "short");
        await page.ClickAsync("#password-form button[type=submit]");
        await Expect(page.Locator("#password-error")).ToHaveTextAsync("密码至少8位，且须同时包含字母和数字");
        await page.FillAsync("input[name=newPassword]", "Caiyang2026x");
        await page.FillAsync("input[name=confirm]", "Caiyang2026x");
        await page.ClickAsync("#password-form button[type=submit]");
        await Expect(page.Locator("#screen-choose")).ToBeVisibleAsync();
        await page.ClickAsync("#choose-form button[type=submit]");

        await WedgeAsync(page, box);
        await page.ClickAsync("#modes [data-capacity='5']");
        await WedgeAsync(page, tube);
        await WedgeAsync(page, people[0]);
        await WedgeAsync(page, people[1]);
        await Expect(page.Locator("#people li.ok")).ToHaveCountAsync(2);
        await Expect(page.Locator("#pending")).ToBeHiddenAsync();
        await page.WaitForFunctionAsync("() => navigator.serviceWorker.controller !== null");

        // No network: scans queue on the phone, the tube is counted as if they had landed.
        await context.SetOfflineAsync(true);
        await Expect(page.Locator("#network")).ToHaveTextAsync("离线");
        foreach (var number in people.Skip(2).Take(2))
        {
            await WedgeAsync(page, number);
        }
        await Expect(page.Locator("#pending")).ToHaveTextAsync("待上传 2 条");
        await Expect(page.Locator("#count")).ToHaveTextAsync("4");
        await Expect(page.Locator("#people li.pending")).ToHaveCountAsync(2);
        await Browser.ScreenshotAsync(page, "sampler-11-offline");

        // A reload with no network: the service worker opens the app, the queue is still there.
        var reload = await page.ReloadAsync();
        Assert.True(reload!.FromServiceWorker, "the page was not served by the service worker");
        await Expect(page.Locator("#screen-scan")).ToBeVisibleAsync();
        await Expect(page.Locator("#pending")).ToHaveTextAsync("待上传 2 条");
        await Expect(page.Locator("#count")).ToHaveTextAsync("4");
        Assert.Equal(2, await page.EvaluateAsync<int>(QueuedScans));
        await WedgeAsync(page, people[4]);
        await Expect(page.Locator("#pending")).ToHaveTextAsync("待上传 3 条");
        await Expect(page.Locator("#count")).ToHaveTextAsync("5");
        await Expect(page.Locator("#full")).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(page, "sampler-12-offline-reloaded");

        // The network returns, but the answer to the first upload is lost on the way back: the phone sends the same
        // scans again, and the server, knowing their client ids, counts each once.
        var uploads = 0;
        await page.RouteAsync("**/api/v1/scans/batch", async route =>
        {
            if (Interlocked.Increment(ref uploads) == 1)
            {
                await route.FetchAsync();
                await route.AbortAsync();
                return;
            }
            await route.ContinueAsync();
        });
        await context.SetOfflineAsync(false);
        await Expect(page.Locator("#pending")).ToBeHiddenAsync(new() { Timeout = 20_000 });
        await Expect(page.Locator("#network")).ToHaveTextAsync("在线");
        await Expect(page.Locator("#people li.ok")).ToHaveCountAsync(5);
        Assert.True(uploads >= 2, $"the lost answer was not followed by a resend ({uploads} uploads)");
        Assert.Equal(0, await page.EvaluateAsync<int>(QueuedScans));
        await Browser.ScreenshotAsync(page, "sampler-13-synced");

        var history = await world.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/sampling/tubes/{tube}/history");
        Assert.Equal(5, history.GetProperty("current").GetProperty("people").GetInt32());
        var sampled = history.GetProperty("people").EnumerateArray().Select(p => p.GetProperty("idMasked").GetString()).ToList();
        Assert.Equal(people.Take(5).Select(Masked).Order(), sampled.Order());
        Assert.Equal(5, history.GetProperty("events").EnumerateArray().Count(e => e.GetProperty("kind").GetString() == ScanKinds.AddPerson && e.GetProperty("accepted").GetBoolean()));
    }

    [Fact]
    public async Task ACameraThePhoneRefuses_IsExplained_AndScanningGoesOnWithoutIt()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite, realPort: true);
        var world = await SamplingWorld.CreateAsync(app);

        var camera = FakeCamera.WriteQr(Path.Combine(app.Folder, "box.y4m"), world.Boxes[2]);
        await using var browser = await Browser.LaunchAsync(fakeCamera: camera, cameraAsks: true);
        var page = await browser.NewPhonePageAsync(app.Url);   // not granted "camera"
        await ReadyToScanAsync(page);

        await page.ClickAsync("#camera-toggle");
        await Expect(page.Locator("#banner .error")).ToHaveTextAsync("无法打开摄像头：请在浏览器设置中允许使用摄像头");
        await Expect(page.Locator("#camera")).ToBeHiddenAsync();
        await Expect(page.Locator("#camera-toggle")).ToHaveTextAsync("开启摄像头扫码");
        await Browser.ScreenshotAsync(page, "sampler-08-camera-refused");
        await WedgeAsync(page, world.Boxes[2]);
        await Expect(page.Locator("#tube-box")).ToHaveTextAsync(world.Boxes[2]);
    }

    [Fact]
    public async Task AnOpenTubeResumedOnAnotherPhone_ListsThePeopleAlreadyInIt()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite, realPort: true);
        var world = await SamplingWorld.CreateAsync(app);
        var people = await world.ResidentsAsync(Villages.Simazhuang, Villages.Simazhuang, Villages.Simazhuang);
        var (box, tube) = (world.Boxes[0], world.Tubes[0]);
        await using var browser = await Browser.LaunchAsync();

        var first = await browser.NewPhonePageAsync(app.Url);
        await ReadyToScanAsync(first);
        await WedgeAsync(first, box);
        await WedgeAsync(first, tube);
        await Expect(first.Locator("#person-input")).ToBeFocusedAsync();
        await WedgeAsync(first, people[0]);
        await WedgeAsync(first, people[1]);
        await Expect(first.Locator("#people li.ok")).ToHaveCountAsync(2);
        await first.WaitForFunctionAsync($"async () => (await ({QueuedScans})()) === 0");

        // The first phone's battery dies; the sampler signs in on a second phone and scans the same box and tube.
        var second = await browser.NewPhonePageAsync(app.Url);
        await ReadyToScanAsync(second);
        await WedgeAsync(second, box);
        await WedgeAsync(second, tube);
        await Expect(second.Locator("#count")).ToHaveTextAsync("2");
        await Expect(second.Locator("#people li.ok")).ToHaveCountAsync(2);
        await Expect(second.Locator("#people li").First).ToContainTextAsync(Masked(people[1]));
        await Expect(second.Locator("#people li").Last).ToContainTextAsync(Masked(people[0]));
        await Expect(second.Locator("#people li").First).ToContainTextAsync("居*1");
        await WedgeAsync(second, people[2]);
        await Expect(second.Locator("#count")).ToHaveTextAsync("3");
        await Expect(second.Locator("#people li.ok")).ToHaveCountAsync(3);
        await Expect(second.Locator("#people li").First).ToContainTextAsync(Masked(people[2]));
        await Browser.ScreenshotAsync(second, "sampler-10-resumed-on-another-phone");
    }

    [Fact]
    public async Task APersonTheRegistryDoesNotKnow_IsAskedForNameAndPhoneOnTheSameScreen_AndGoesIntoTheTube()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite, realPort: true);
        var world = await SamplingWorld.CreateAsync(app);
        var known = (await world.ResidentsAsync(Villages.Simazhuang))[0];
        var stranger = People.NewId(110101);
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPhonePageAsync(app.Url);
        await ReadyToScanAsync(page);
        await WedgeAsync(page, world.Boxes[0]);
        await WedgeAsync(page, world.Tubes[0]);
        await Expect(page.Locator("#person-input")).ToBeFocusedAsync();

        await WedgeAsync(page, known);
        await Expect(page.Locator("#people li.ok")).ToHaveCountAsync(1);
        await Expect(page.Locator("#stranger-form")).ToBeHiddenAsync();   // a registered person never sees it
        await WedgeAsync(page, stranger);
        await Expect(page.Locator("#stranger-form")).ToBeVisibleAsync();
        await Expect(page.Locator("#stranger-id")).ToHaveTextAsync(Masked(stranger));
        await Expect(page.Locator("#stranger-form input[name=name]")).ToBeFocusedAsync();
        await page.FillAsync("#stranger-form input[name=name]", "王小明");
        await page.FillAsync("#stranger-form input[name=phone]", "1391234");
        await page.ClickAsync("#stranger-form button[type=submit]");
        await Expect(page.Locator("#stranger-error")).ToHaveTextAsync("请填写11位手机号码");
        await page.FillAsync("#stranger-form input[name=phone]", "13912345678");
        await Browser.ScreenshotAsync(page, "sampler-09-stranger");
        await page.ClickAsync("#stranger-form button[type=submit]");

        await Expect(page.Locator("#count")).ToHaveTextAsync("2");
        await Expect(page.Locator("#people li.ok").First).ToContainTextAsync("王*明");
        await Expect(page.Locator("#stranger-form")).ToBeHiddenAsync();
        await Expect(page.Locator("#banner .error")).ToBeHiddenAsync();
        await Expect(page.Locator("#person-input")).ToBeFocusedAsync();
        var stored = await page.EvaluateAsync<string>("() => JSON.stringify(localStorage)");
        Assert.DoesNotContain(stranger, stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheAppShell_IsServedWithoutASession_AndIsInstallable()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite);
        using var client = app.Anonymous();

        var page = await client.GetAsync("/sampler");
        var html = await page.Content.ReadAsStringAsync();
        var manifest = await client.GetFromJsonAsync<JsonElement>("/sampler/manifest.webmanifest");

        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-cache", page.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.Contains("<link rel=\"manifest\" href=\"/sampler/manifest.webmanifest\">", html, StringComparison.Ordinal);
        Assert.Equal("防疫采样", manifest.GetProperty("name").GetString());
        Assert.Equal("/sampler", manifest.GetProperty("start_url").GetString());
        foreach (var icon in manifest.GetProperty("icons").EnumerateArray())
        {
            var response = await client.GetAsync(icon.GetProperty("src").GetString());
            Assert.True(response.IsSuccessStatusCode, icon.ToString());
            Assert.Equal(icon.GetProperty("type").GetString(), response.Content.Headers.ContentType?.MediaType);
        }
        // The service worker precaches these; each must exist, the camera library included (built from npm).
        var worker = await client.GetStringAsync("/sampler-sw.js");
        foreach (var path in System.Text.RegularExpressions.Regex.Matches(worker, "'(/[^']+)',").Select(m => m.Groups[1].Value))
        {
            Assert.True((await client.GetAsync(path)).IsSuccessStatusCode, path);
        }
        Assert.Contains("/lib/zxing/zxing-browser.min.js", worker, StringComparison.Ordinal);

        // Every module the page imports, however deep, is kept by the service worker (one left out and the app does
        // not open offline) and preloaded by the page (else a slow network waits for each level of imports in turn).
        var kept = Quoted(worker, "'(/[^']+)',");
        var preloaded = Quoted(html, "<link rel=\"modulepreload\" href=\"([^\"]+)\">");
        var modules = await ModulesAsync(client, Quoted(html, "<script type=\"module\" src=\"([^\"]+)\">"));
        Assert.Contains("/sampler/queue.js", modules);   // imported by outbox.js alone
        foreach (var module in modules)
        {
            Assert.Contains(module, kept);
            Assert.Contains(module, preloaded);
        }
    }

    private static HashSet<string> Quoted(string text, string pattern) =>
        System.Text.RegularExpressions.Regex.Matches(text, pattern).Select(m => m.Groups[1].Value).ToHashSet();

    /// <summary>The paths of the given modules and of everything they import, followed to the end.</summary>
    private static async Task<HashSet<string>> ModulesAsync(HttpClient client, IEnumerable<string> entries)
    {
        var found = new HashSet<string>();
        var next = new Queue<string>(entries);
        while (next.TryDequeue(out var path))
        {
            if (!found.Add(path))
            {
                continue;
            }
            var source = await client.GetStringAsync(path);
            foreach (var specifier in Quoted(source, @"(?m)^\s*(?:import\s*|(?:import|export)\b[^;'""]*?\bfrom\s*)['""]([^'""]+)['""]"))
            {
                next.Enqueue(new Uri(new Uri("http://app" + path), specifier).AbsolutePath);
            }
        }
        return found;
    }

    [Fact]
    public async Task ChecksOnThePhone_AgreeWithTheServer_ForIdNumbersAndCodes()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite, realPort: true);
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPhonePageAsync(app.Url);
        await page.GotoAsync("/sampler");

        var today = DateOnly.FromDateTime(DateTime.Now);
        const string checkCharacters = "0123456789X";
        var numbers = new List<string>();
        for (var i = 0; i < 60; i++)
        {
            // A valid number, the same with another check character, and with one digit changed.
            var number = People.NewId(year: 1930 + i);
            var otherCheck = checkCharacters[(checkCharacters.IndexOf(number[17], StringComparison.Ordinal) + 1 + i % 10) % 11];
            var digit = i % 17;
            numbers.Add(number);
            numbers.Add(number[..17] + otherCheck);
            numbers.Add(number[..digit] + (char)('0' + (number[digit] - '0' + 1) % 10) + number[(digit + 1)..]);
        }
        numbers.AddRange([
            IdNumber.Make(130922, new DateOnly(2000, 2, 29), 1), "13092220010229001X", "13092219990231001X",
            // Two days ahead: a future birth date wherever the phone and the server keep their clocks.
            IdNumber.Make(130922, today.AddDays(2), 1), IdNumber.Make(130922, new DateOnly(1889, 12, 31), 1),
            " 130922 19850101 0013 ", "1309221985010100", "13092219850101001234", "13092A198501010013", "",
        ]);
        // One ending in X, typed as a small x.
        numbers.Add(Enumerable.Range(1, 200).Select(n => IdNumber.Make(130922, new DateOnly(1975, 7, 9), n)).First(n => n.EndsWith('X')).ToLowerInvariant());

        var phone = await page.EvaluateAsync<string[]>("async numbers => { const id = await import('/sampler/idnumber.js'); return numbers.map(n => id.validate(id.normalize(n))); }", numbers);
        var server = numbers.Select(n => IdNumber.Validate(IdNumber.Normalize(n), _ => true, today)).Select(e => e == IdError.None ? "" : IdNumber.Code(e)[3..]).ToArray();
        Assert.Equal(server, phone);
        Assert.Contains("", phone);
        Assert.Contains("check_character", phone);

        var codes = new List<string>();
        for (var serial = 1L; serial < 400; serial += 7)
        {
            var good = new SampleCode(serial % 2 == 0 ? CodeType.Tube : CodeType.Box, serial * 7919).ToString();
            codes.Add(good);
            codes.Add(good[..10] + (char)('0' + (good[10] - '0' + 3) % 10));
            codes.Add(good[..3] + good[4] + good[3] + good[5..]);
        }
        var phoneTubes = await page.EvaluateAsync<bool[]>("async codes => { const id = await import('/sampler/idnumber.js'); return codes.map(c => id.sampleCode(c, 'T') !== null); }", codes);
        var phoneBoxes = await page.EvaluateAsync<bool[]>("async codes => { const id = await import('/sampler/idnumber.js'); return codes.map(c => id.sampleCode(c, 'B') !== null); }", codes);
        Assert.Equal(codes.Select(c => SampleCode.Parse(c, CodeType.Tube) is not null), phoneTubes);
        Assert.Equal(codes.Select(c => SampleCode.Parse(c, CodeType.Box) is not null), phoneBoxes);
    }
}
