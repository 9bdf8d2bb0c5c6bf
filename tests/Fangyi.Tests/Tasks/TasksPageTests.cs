using System.Net.Http.Json;
using System.Text.Json;
using Fangyi.Core.Jurisdiction;
using Fangyi.Tests.Sampling;
using Fangyi.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Fangyi.Tests.Tasks;

/// <summary>The console's tasks page (/tasks) in Chromium: a township admin sends a village door to door and filters the list.</summary>
public class TasksPageTests
{
    [Fact]
    public async Task ATownshipAdmin_SendsAVillageDoorToDoor_AndFiltersTheList()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite, realPort: true);
        var world = await SamplingWorld.CreateAsync(app);
        var people = await world.ResidentsAsync(Villages.Simazhuang, Villages.Simazhuang, Villages.Xicheng);
        var (_, tube) = await world.ReceivedTubeAsync([people[0]], 5, 0, 0);
        await world.Lab.PostAsJsonAsync("/api/v1/lab/results", new[] { new { tube, result = "positive" } });
        await app.CreateAccountAsync("township", Roles.Admin, People.Qingzhou);
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.NewPageAsync(app.Url);
        await Browser.LogInAsync(page, "township");

        // The positive pooled tube gave its person a single-tube retest and, in the screening pool, a case to verify.
        await page.GotoAsync("/tasks");
        await Expect(page.Locator("#tasks tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("#tasks tbody tr", new() { HasTextString = "单管复核" })).ToHaveCountAsync(1);
        await Expect(page.Locator("#tasks tbody tr", new() { HasTextString = "核实排查" })).ToHaveCountAsync(1);
        await page.SelectOptionAsync("#door-to-door-form select[name=village]", People.Code(Villages.Simazhuang));
        await page.ClickAsync("#door-to-door-form button[type=submit]");
        await Expect(page.Locator("#created")).ToContainTextAsync("派发上门排查 1 人");
        await Expect(page.Locator("#tasks tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#tasks tbody tr")).ToContainTextAsync("上门排查");
        await Browser.ScreenshotAsync(page, "tasks-01-door-to-door-sent", fullPage: true);

        await page.SelectOptionAsync("#task-filters select[name=kind]", "");
        await page.SelectOptionAsync("#task-filters select[name=division]", "");
        await page.ClickAsync("#task-filters button[type=submit]");
        await Expect(page.Locator("#tasks tbody tr")).ToHaveCountAsync(3);
        await page.CheckAsync("#task-filters input[name=overdue]");
        await page.ClickAsync("#task-filters button[type=submit]");
        await Expect(page.Locator("#tasks tbody tr")).ToHaveCountAsync(0);
        var list = await world.Admin.GetFromJsonAsync<JsonElement>("/api/v1/tasks?kind=door_to_door");
        Assert.Equal(1, list.GetArrayLength());
    }
}
