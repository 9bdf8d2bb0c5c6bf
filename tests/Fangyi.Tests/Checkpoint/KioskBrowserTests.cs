using Fangyi.Tests.Support;
using Microsoft.Playwright;

namespace Fangyi.Tests.Checkpoint;

/// <summary>
/// The kiosk at a bus station (48-hour window) in real Chromium: a guard types an ID number, the screen turns green
/// and says 绿码通行; two days later the same person's result has timed out and the screen says 你的核酸结果已超时;
/// with the network gone it shows no verdict at all and says it is offline.
/// </summary>
public sealed class KioskBrowserTests
{
    // Speech and audio are recorded rather than heard: the page speaks through speechSynthesis when the browser has
    // a Chinese voice and plays its recorded prompt otherwise; either way the test sees what was said.
    private const string RecordSpeech = """
        window.__said = [];
        const play = HTMLMediaElement.prototype.play;
        HTMLMediaElement.prototype.play = function () { window.__said.push(this.src); return Promise.resolve(); };
        if (window.speechSynthesis) {
          speechSynthesis.speak = (u) => window.__said.push(u.text);
        }
        """;

    [Fact]
    public async Task Kiosk_IsSetUpWithAOneTimeEnrolmentCode_NeverWithItsKey()
    {
        await using var world = await CheckpointWorld.CreateAsync(StoreKind.Sqlite, realPort: true);
        var person = (await world.ResidentsAsync(1))[0];
        var (_, device, _) = world.Places["mall"];
        var enrolment = await CheckpointWorld.Ok(await world.City.PostAsync($"/api/v1/checkpoint/devices/{device}/enrolment", null));
        var code = enrolment.GetProperty("code").GetString()!;

        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync(world.App.Url, 1280, 800);
        await page.GotoAsync("/kiosk");
        await Assertions.Expect(page.Locator("#screen-setup")).ToBeVisibleAsync();
        await page.Locator("#setup-form input[name=code]").FillAsync("AAAAAAAA");
        await page.Locator("#setup-form button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#setup-error")).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(page, "kiosk-00-setup-refused");
        await page.Locator("#setup-form input[name=code]").FillAsync(code);
        await page.Locator("#setup-form button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#screen-ready")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#place")).ToContainTextAsync("青县华联商厦");
        Assert.DoesNotContain(code, page.Url, StringComparison.Ordinal);

        await page.Keyboard.TypeAsync(person);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#screen-verdict")).ToBeVisibleAsync();

        // The code was good once: a second kiosk cannot use it again.
        var second = await browser.NewPageAsync(world.App.Url, 1280, 800);
        await second.GotoAsync("/kiosk");
        await second.Locator("#setup-form input[name=code]").FillAsync(code);
        await second.Locator("#setup-form button[type=submit]").ClickAsync();
        await Assertions.Expect(second.Locator("#setup-error")).ToBeVisibleAsync();
        await Assertions.Expect(second.Locator("#screen-ready")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task Kiosk_ShowsGreenThenTimedOut_AndSaysWhenOffline()
    {
        await using var world = await CheckpointWorld.CreateAsync(StoreKind.Sqlite, realPort: true);
        var person = (await world.ResidentsAsync(1))[0];
        await world.SampleAsync([person], "negative");
        var (_, device, secret) = world.Places["transport"];

        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync(world.App.Url, 1280, 800);
        await page.AddInitScriptAsync(RecordSpeech);
        await page.GotoAsync($"/kiosk#device={device}.{secret}");
        await Assertions.Expect(page.Locator("#screen-ready")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#place")).ToContainTextAsync("青县汽车站");
        Assert.DoesNotContain("#device", page.Url, StringComparison.Ordinal);   // the key is not left in the address bar
        await Browser.ScreenshotAsync(page, "kiosk-01-ready");

        // A card reader types the number and presses Enter, as a person typing does.
        await page.Keyboard.TypeAsync(person);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#screen-verdict")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bpass\b"));
        await Assertions.Expect(page.Locator("#verdict-prompt")).ToHaveTextAsync("绿码通行");
        await Assertions.Expect(page.Locator("#fact-colour")).ToHaveTextAsync("绿码");
        await Assertions.Expect(page.Locator("#fact-na")).ToHaveTextAsync("阴性");
        await Assertions.Expect(page.Locator("#verdict-person")).ToContainTextAsync("********");
        await Browser.ScreenshotAsync(page, "kiosk-02-pass");

        // 48 hours and a minute later, scanned again while the green screen is still up.
        world.Clock.Advance(TimeSpan.FromHours(48) + TimeSpan.FromMinutes(1));
        await page.Locator("#entry").FillAsync(person);
        await page.Locator("#entry").PressAsync("Enter");
        await Assertions.Expect(page.Locator("#screen-verdict")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\btimeout\b"));
        await Assertions.Expect(page.Locator("#verdict-prompt")).ToHaveTextAsync("你的核酸结果已超时");
        await Assertions.Expect(page.Locator("#fact-na-note")).ToContainTextAsync("48 小时内");
        await Browser.ScreenshotAsync(page, "kiosk-03-timed-out");

        var said = await page.EvaluateAsync<string[]>("() => window.__said");
        Assert.Contains(said, s => s.Contains("绿码通行", StringComparison.Ordinal) || s.EndsWith("/kiosk/audio/pass.wav", StringComparison.Ordinal));
        Assert.Contains(said, s => s.Contains("你的核酸结果已超时", StringComparison.Ordinal) || s.EndsWith("/kiosk/audio/result_timed_out.wav", StringComparison.Ordinal));

        // Network gone: no verdict is shown as if it were current.
        await page.Context.SetOfflineAsync(true);
        await page.Locator("#entry").FillAsync(person);
        await page.Locator("#entry").PressAsync("Enter");
        await Assertions.Expect(page.Locator("#screen-verdict")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bunknown\b"));
        await Assertions.Expect(page.Locator("#verdict-prompt")).ToContainTextAsync("网络中断");
        await Assertions.Expect(page.Locator("#facts")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#stale")).ToContainTextAsync("设备离线");
        await Assertions.Expect(page.Locator("#link")).ToHaveTextAsync("离线");
        await Browser.ScreenshotAsync(page, "kiosk-04-offline");
    }

    // What a phone or kiosk does when the screen is switched off or another app comes to the front.
    private const string SetHidden = """
        hidden => {
          Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
          Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
          document.dispatchEvent(new Event('visibilitychange'));
        }
        """;

    // A stream other than the one kept in window.__stream (if any), live and playing in a panel that is shown.
    private const string CameraPlaying = """
        () => {
          const video = document.getElementById('camera-video');
          const stream = video.srcObject;
          return stream !== null && stream !== window.__stream && stream.active && video.currentTime > 0 && !document.getElementById('camera').hidden;
        }
        """;

    [Fact]
    public async Task Kiosk_ReadsACodeByCamera_FreesTheCameraWhileHidden_AndOpensItAgain()
    {
        await using var world = await CheckpointWorld.CreateAsync(StoreKind.Sqlite, realPort: true);
        var person = (await world.ResidentsAsync(1))[0];
        await world.SampleAsync([person], "negative");
        var (_, device, secret) = world.Places["transport"];
        var camera = FakeCamera.WriteQr(Path.Combine(world.App.Folder, "id-number.y4m"), person);

        await using var browser = await Browser.LaunchAsync(fakeCamera: camera);
        var page = await browser.NewPageAsync(world.App.Url, 1280, 800);
        await page.Context.GrantPermissionsAsync(["camera"]);
        await page.GotoAsync($"/kiosk#device={device}.{secret}");
        await Assertions.Expect(page.Locator("#screen-ready")).ToBeVisibleAsync();

        await page.Locator("#camera-toggle").ClickAsync();
        await page.WaitForFunctionAsync(CameraPlaying);
        await Assertions.Expect(page.Locator("#verdict-prompt")).ToHaveTextAsync("绿码通行", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#verdict-person")).ToContainTextAsync("********");
        await Browser.ScreenshotAsync(page, "kiosk-06-camera-pass");

        // Hidden, the page lets the camera go (its tracks end) but remembers it was on; shown again, it opens it again.
        await page.EvaluateAsync("() => { window.__stream = document.getElementById('camera-video').srcObject; }");
        await page.EvaluateAsync(SetHidden, true);
        await Assertions.Expect(page.Locator("#camera")).ToHaveAttributeAsync("hidden", "");
        Assert.True(await page.EvaluateAsync<bool>("() => window.__stream.getTracks().every(t => t.readyState === 'ended')"));
        Assert.Equal("true", await page.EvaluateAsync<string>("() => localStorage.getItem('fangyi.kiosk.camera')"));
        await page.EvaluateAsync(SetHidden, false);
        await page.WaitForFunctionAsync(CameraPlaying);

        // Turned off by hand, it stays off after a reload.
        await page.Locator("#camera-toggle").ClickAsync();
        await Assertions.Expect(page.Locator("#camera")).ToHaveAttributeAsync("hidden", "");
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#screen-ready")).ToBeVisibleAsync();
        Assert.Equal("false", await page.EvaluateAsync<string>("() => localStorage.getItem('fangyi.kiosk.camera')"));
        await Assertions.Expect(page.Locator("#camera")).ToBeHiddenAsync();
    }

    // Every prompt in turn on the verdict screen, with its four facts: what runs past the screen's right or bottom edge.
    private const string Overflows = """
        prompts => {
          const out = [];
          const box = document.getElementById('verdict-prompt');
          for (const prompt of prompts) {
            box.textContent = prompt;
            for (const el of document.querySelectorAll('#screen-verdict, #screen-verdict *')) {
              const r = el.getBoundingClientRect();
              if (r.width && (r.left < 0 || r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5 || el.scrollWidth > el.clientWidth + 1)) {
                out.push(`${prompt}: ${el.id || el.className} ${Math.round(r.left)}..${Math.round(r.right)} × ..${Math.round(r.bottom)}`);
              }
            }
            if (document.documentElement.scrollWidth > innerWidth || document.documentElement.scrollHeight > innerHeight) {
              out.push(`${prompt}: the page scrolls (${document.documentElement.scrollWidth}×${document.documentElement.scrollHeight})`);
            }
          }
          return out;
        }
        """;

    [Fact]
    public async Task Kiosk_OnA768PixelTablet_FitsEveryPrompt_AndSpeaksChineseOnly()
    {
        await using var world = await CheckpointWorld.CreateAsync(StoreKind.Sqlite, realPort: true);
        var person = (await world.ResidentsAsync(1))[0];
        await world.SampleAsync([person], "negative");
        var (_, device, secret) = world.Places["transport"];
        var prompts = Fangyi.Features.Checkpoint.Prompts.Texts.Values.Append("网络中断，请人工查验").ToArray();
        var longest = prompts.MaxBy(t => t.Length)!;

        await using var browser = await Browser.LaunchAsync();
        // Upright and on its side.
        foreach (var (width, height) in new[] { (768, 1024), (1024, 768) })
        {
            var page = await browser.NewPageAsync(world.App.Url, width, height);
            await page.AddInitScriptAsync(RecordSpeech);
            await page.GotoAsync($"/kiosk#device={device}.{secret}");
            await Assertions.Expect(page.Locator("#screen-ready")).ToBeVisibleAsync();
            // The ready screen speaks the guard's language: no English line under the Chinese one.
            Assert.DoesNotMatch("[A-Za-z]{3,}", await page.Locator("#screen-ready .ready-text").InnerTextAsync());
            await Browser.ScreenshotAsync(page, $"kiosk-07-tablet-{width}x{height}-ready");

            await page.Locator("#entry").FillAsync(person);
            await page.Locator("#entry").PressAsync("Enter");
            await Assertions.Expect(page.Locator("#screen-verdict")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bpass\b"));
            Assert.Empty(await page.EvaluateAsync<string[]>(Overflows, prompts));
            await page.EvaluateAsync("text => document.getElementById('verdict-prompt').textContent = text", longest);
            await Browser.ScreenshotAsync(page, $"kiosk-08-tablet-{width}x{height}-longest-prompt");
            await page.CloseAsync();
        }
    }

    [Fact]
    public async Task Kiosk_ReadsTheNumberOffAnIdCard_ByCamera()
    {
        await using var world = await CheckpointWorld.CreateAsync(StoreKind.Sqlite, realPort: true);
        var person = (await world.ResidentsAsync(1))[0];
        await world.SampleAsync([person], "negative");
        var (_, device, secret) = world.Places["transport"];
        string camera;
        await using (var drawing = await Browser.LaunchAsync())
        {
            camera = await FakeIdCard.WriteAsync(await drawing.NewPageAsync(world.App.Url), Path.Combine(world.App.Folder, "id-card.y4m"), [person], framesEach: 10, fps: 10, seed: 21);
        }

        await using var browser = await Browser.LaunchAsync(fakeCamera: camera);
        var page = await browser.NewPageAsync(world.App.Url, 1280, 800);
        await page.Context.GrantPermissionsAsync(["camera"]);
        await page.GotoAsync($"/kiosk#device={device}.{secret}");
        await Assertions.Expect(page.Locator("#screen-ready")).ToBeVisibleAsync();

        await page.Locator("#id-card-toggle").ClickAsync();
        await Assertions.Expect(page.Locator("#id-card-guide")).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(page, "kiosk-07-id-card");
        await Assertions.Expect(page.Locator("#verdict-prompt")).ToHaveTextAsync("绿码通行", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#verdict-person")).ToContainTextAsync("********");
        await Browser.ScreenshotAsync(page, "kiosk-08-id-card-pass");
        Assert.Empty(world.App.Errors.Entries);
    }

    [Fact]
    public async Task Kiosk_RefusedDevice_AsksForItsKeyAgain()
    {
        await using var world = await CheckpointWorld.CreateAsync(StoreKind.Sqlite, realPort: true);
        var (_, device, _) = world.Places["mall"];

        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync(world.App.Url, 1280, 800);
        await page.GotoAsync($"/kiosk#device={device}.not-its-key");
        await Assertions.Expect(page.Locator("#screen-setup")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#setup-error")).ToBeVisibleAsync();
        await Browser.ScreenshotAsync(page, "kiosk-05-refused");
    }
}
