using System.Globalization;
using Fangyi.Core.Identity;
using Fangyi.Tests.Support;
using static Fangyi.Tests.Sampling.SamplerAppTests;
using static Microsoft.Playwright.Assertions;

namespace Fangyi.Tests.Sampling;

/// <summary>The sampler app's camera on what a phone really sees: grain, a code held at arm's length, an ID card.</summary>
public class SamplerCameraTests
{
    [Fact]
    public async Task Sampler_ReadsACitizenCode_ThroughGrain_AtAQuarterOfTheFrameHeight()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite, realPort: true);
        var world = await SamplingWorld.CreateAsync(app);
        var person = (await world.ResidentsAsync([Villages.Simazhuang]))[0];
        var code = await CitizenCodeAsync(app, person, "居民0");
        var camera = FakeCamera.WriteQr(Path.Combine(app.Folder, "noisy-far.y4m"), code, new CameraShot(Height: 0.25, Noise: 8, Frames: 10));

        await using var browser = await Browser.LaunchAsync(fakeCamera: camera);
        var page = await browser.NewPhonePageAsync(app.Url, "camera");
        await OpenTubeAsync(page, world);

        await page.ClickAsync("#camera-toggle");
        await Expect(page.Locator("#count")).ToHaveTextAsync("1", new() { Timeout = 30_000 });
        await Expect(page.Locator("#people li.ok")).ToContainTextAsync(IdNumber.Mask(person));
        await Browser.ScreenshotAsync(page, "sampler-camera-noisy-far");
        Assert.Empty(app.Errors.Entries);
    }

    [Fact]
    public async Task Sampler_ReadsTheNumberOffAnIdCard_AndAddsThePerson_WithTheKeypadStillThere()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite, realPort: true);
        var world = await SamplingWorld.CreateAsync(app);
        var person = (await world.ResidentsAsync([Villages.Simazhuang]))[0];
        string camera;
        await using (var drawing = await Browser.LaunchAsync())
        {
            var canvas = await drawing.NewPageAsync(app.Url);
            camera = await FakeIdCard.WriteAsync(canvas, Path.Combine(app.Folder, "id-card.y4m"), [person], framesEach: 10, fps: 10, seed: 7);
        }

        await using var browser = await Browser.LaunchAsync(fakeCamera: camera);
        var page = await browser.NewPhonePageAsync(app.Url, "camera");
        await OpenTubeAsync(page, world);
        await page.ClickAsync("#id-card-toggle");
        await Expect(page.Locator("#id-card-guide")).ToBeVisibleAsync();
        await Expect(page.Locator("#camera-note")).ToHaveTextAsync("身份证人像面放入虚线框，号码对准绿框");
        await Browser.ScreenshotAsync(page, "sampler-camera-id-card");

        await Expect(page.Locator("#count")).ToHaveTextAsync("1", new() { Timeout = 60_000 });
        await Expect(page.Locator("#people li.ok")).ToContainTextAsync(IdNumber.Mask(person));
        // Still reading for the next card, and the keypad one tap away.
        await Expect(page.Locator("#id-card-toggle")).ToHaveTextAsync("停止识读");
        await Expect(page.Locator("#person-input")).ToBeEditableAsync();
        await Browser.ScreenshotAsync(page, "sampler-camera-id-card-read");
        await page.ClickAsync("#id-card-toggle");
        await Expect(page.Locator("#camera")).ToBeHiddenAsync();
        Assert.Empty(app.Errors.Entries);
    }

    /// <summary>Signs in, picks the round and the site, opens a box and a 10:1 tube.</summary>
    private static async Task OpenTubeAsync(Microsoft.Playwright.IPage page, SamplingWorld world)
    {
        await page.GotoAsync("/sampler");
        await LogInAsync(page, "sampler", TestApp.Password);
        await Expect(page.Locator("#screen-choose")).ToBeVisibleAsync();
        await page.SelectOptionAsync("select[name=round]", world.RoundId.ToString(CultureInfo.InvariantCulture));
        await page.SelectOptionAsync("select[name=site]", world.SiteId.ToString(CultureInfo.InvariantCulture));
        await page.ClickAsync("#choose-form button[type=submit]");
        await Expect(page.Locator("#box-input")).ToBeFocusedAsync();
        await WedgeAsync(page, world.Boxes[0]);
        await Expect(page.Locator("#tube-box")).ToHaveTextAsync(world.Boxes[0]);
        await WedgeAsync(page, world.Tubes[0]);
        await Expect(page.Locator("#people-tube")).ToHaveTextAsync(world.Tubes[0]);
    }
}
