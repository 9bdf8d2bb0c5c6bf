using Fangyi.Core.Jurisdiction;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Fangyi.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Fangyi.Tests.Residents;

/// <summary>A transfer request (迁入申请) walked through the console by both sides: the requester sees no one's details, the holding county decides.</summary>
public class TransferBrowserTests
{
    [Fact]
    public async Task ARequestFromAnotherCounty_IsSeenWithoutTheHolder_AndAcceptedByTheHoldingCounty()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite, realPort: true);
        await app.CreateAccountAsync("qx_admin", Roles.Admin, People.Qingxian);
        await app.CreateAccountAsync("cx_admin", Roles.Admin, People.Cangxian);
        using var qingxian = await app.ClientAsync("qx_seed", Roles.Admin, People.Qingxian);
        using var cangxian = await app.ClientAsync("cx_seed", Roles.Admin, People.Cangxian);
        var number = People.NewId();
        var created = await qingxian.PutAsJsonAsync("/api/v1/residents", new { idNumber = number, name = "王迁移", division = People.Code(Villages.Simazhuang) });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var asked = await cangxian.PutAsJsonAsync("/api/v1/residents", new { idNumber = number, name = "王迁移", division = People.Code(Villages.Dongguan) });
        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);

        await using var browser = await Browser.LaunchAsync();

        // 沧县 asked: it sees its request, but not where the person is held nor their number.
        var requester = await browser.NewPageAsync(app.Url);
        await Browser.LogInAsync(requester, "cx_admin");
        await requester.ClickAsync("nav >> text=迁入申请");
        var row = requester.Locator("#transfers tbody tr");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("待处理");
        await Expect(row).ToContainTextAsync("（不显示）");
        await Expect(row).Not.ToContainTextAsync("青县");
        await Expect(row.Locator("button")).ToHaveCountAsync(0);
        await Browser.ScreenshotAsync(requester, "transfer-01-requester");

        // 青县 holds the person: it decides.
        var holder = await browser.NewPageAsync(app.Url);
        await Browser.LogInAsync(holder, "qx_admin");
        await holder.ClickAsync("nav >> text=迁入申请");
        var held = holder.Locator("#transfers tbody tr");
        await Expect(held).ToContainTextAsync("司马庄村");
        await Expect(held).ToContainTextAsync("东关村");
        await Browser.ScreenshotAsync(holder, "transfer-02-holder");
        await held.Locator("button", new() { HasText = "同意迁入" }).ClickAsync();
        await Expect(holder.Locator("[data-testid=notice]")).ToContainTextAsync("已同意迁入");
        await Expect(holder.Locator("#transfers tbody tr")).ToContainTextAsync("已同意");
        await Browser.ScreenshotAsync(holder, "transfer-03-accepted");

        // The person now lives in 沧县: 沧县 reads them, 青县 no longer does.
        Assert.Equal(HttpStatusCode.OK, (await cangxian.GetAsync($"/api/v1/residents/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await qingxian.GetAsync($"/api/v1/residents/{id}")).StatusCode);
    }
}
