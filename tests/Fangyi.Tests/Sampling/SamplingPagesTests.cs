using Fangyi.Core.Jurisdiction;
using System.Text;
using System.Text.RegularExpressions;
using Fangyi.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Fangyi.Tests.Sampling;

public class SamplingPagesTests
{
    private static string Masked(string id) => id[..3] + "***********" + id[14..];

    [Fact]
    public async Task FromRoundToResult_ThroughTheSamplingPages_AndTheResidentsOwn()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite, realPort: true);
        var world = await SamplingWorld.CreateAsync(app);
        var people = await world.ResidentsAsync(Villages.Simazhuang, Villages.Simazhuang);
        await app.CreateAccountAsync("xc_sampler", Roles.Sampler, Villages.Xicheng);
        await app.CreateAccountAsync("cx_admin", Roles.Admin, People.Cangxian);
        await using var browser = await Browser.LaunchAsync();

        // The county admin sets up a round, a site with a team, and a batch of tube codes, then prints it.
        var admin = await browser.NewPageAsync(app.Url);
        await Browser.LogInAsync(admin, "county");
        await admin.ClickAsync(".sidebar >> text=核酸采样");
        await Expect(admin.Locator("h1")).ToHaveTextAsync("核酸采样");
        await Expect(admin.Locator("#rounds")).ToContainTextAsync("青县第一轮全员核酸");

        await admin.FillAsync("#round-form input[name=roundName]", "青县第二轮全员核酸");
        await Expect(admin.Locator("#round-form select[name=ratioLow]")).ToHaveValueAsync("10");
        await Expect(admin.Locator("#round-form select[name=ratioMedium]")).ToHaveValueAsync("5");
        await Expect(admin.Locator("#round-form select[name=ratioHigh]")).ToHaveValueAsync("1");
        await admin.ClickAsync("#round-form button[type=submit]");
        await Expect(admin.Locator(".alert-ok")).ToContainTextAsync("已创建采样轮次：青县第二轮全员核酸");
        await Expect(admin.Locator("#rounds tbody tr")).ToHaveCountAsync(2);
        await Expect(admin.Locator("#rounds")).ToContainTextAsync("10混1 / 5混1 / 单管单采");

        // A site in another county is refused beside its form, in Chinese.
        await admin.FillAsync("#site-form input[name=siteName]", "外县采样点");
        await admin.FillAsync("#site-form input[name=siteDivision]", People.Code(Villages.Dongguan));
        await admin.ClickAsync("#site-form button[type=submit]");
        await Expect(admin.Locator("#sites .alert-error")).ToContainTextAsync("不在您的管辖范围内");

        await admin.FillAsync("#site-form input[name=siteName]", "西城居委会采样点");
        await admin.FillAsync("#site-form input[name=siteDivision]", People.Code(Villages.Xicheng));
        await admin.FillAsync("#site-form input[name=siteAddress]", "居委会院内");
        await admin.ClickAsync("#site-form button[type=submit]");
        await Expect(admin.Locator(".alert-ok")).ToContainTextAsync("已创建采样点：西城居委会采样点");
        await admin.SelectOptionAsync("#team-form select[name=teamSite]", new SelectOptionValue { Label = "西城居委会采样点" });
        await admin.FillAsync("#team-form input[name=teamName]", "西城第1采样队");
        await admin.FillAsync("#team-form input[name=teamMembers]", "xc_sampler");
        await admin.ClickAsync("#team-form button[type=submit]");
        await Expect(admin.Locator("#sites")).ToContainTextAsync("西城第1采样队 xc_sampler");

        await admin.FillAsync("#codes-form input[name=batchCount]", "12");
        await admin.FillAsync("#codes-form input[name=batchTitle]", "青县二轮 试管码");
        await admin.ClickAsync("#codes-form button[type=submit]");
        var fresh = admin.Locator("#batches tr.fresh");
        await Expect(fresh).ToContainTextAsync("青县二轮 试管码");
        await Expect(fresh).ToContainTextAsync("12");
        await Browser.ScreenshotAsync(admin, "sampling-desk", fullPage: true);

        var labels = await admin.RunAndWaitForPopupAsync(() => fresh.Locator("[data-print=a4-html]").ClickAsync());
        await labels.WaitForLoadStateAsync();
        await Expect(labels.Locator("section.page svg")).ToHaveCountAsync(12);
        await Browser.ScreenshotAsync(labels, "sampling-labels-a4");
        await labels.CloseAsync();
        var pdf = await admin.RunAndWaitForDownloadAsync(() => fresh.Locator("[data-print=thermal-pdf]").ClickAsync());
        Assert.EndsWith(".pdf", pdf.SuggestedFilename, StringComparison.Ordinal);

        // A box driven through custody on the phones' API, with one refused scan, then traced from the desk.
        var (box, tube) = await world.ReceivedTubeAsync(people, capacity: 10, boxIndex: 0, tubeIndex: 0);
        Assert.Equal(409, (await world.ActAsync(world.Sampler, "box.seal", new { box })).Status);
        await admin.FillAsync(".trace-search input[name=code]", box.ToLowerInvariant());
        await admin.ClickAsync(".trace-search button");
        await Expect(admin).ToHaveURLAsync(new Regex($"/sampling/boxes/{box}$"));
        await Expect(admin.GetByTestId("state")).ToHaveTextAsync("已接收");
        await Expect(admin.Locator("#tubes")).ToContainTextAsync(tube);
        await Expect(admin.Locator("#people tbody tr")).ToHaveCountAsync(2);
        var timeline = admin.Locator("#timeline");
        foreach (var step in new[] { "开箱", "开管", "采样登记", "封管", "封箱", "揽收", "检测机构接收" })
        {
            await Expect(timeline.Locator("li.accepted strong", new() { HasTextString = step }).First).ToBeVisibleAsync();
        }
        await Expect(timeline.Locator("li.accepted[data-kind='box.pickup']")).ToContainTextAsync("courier");
        await Expect(timeline.Locator("li.accepted[data-kind='box.receive']")).ToContainTextAsync("lab");
        await Expect(timeline.Locator("li.accepted[data-kind='box.open']")).ToContainTextAsync("sampler");
        await Expect(timeline.Locator("li.accepted[data-kind='box.open']")).ToContainTextAsync("司马庄村委会采样点");
        await Expect(timeline.Locator("li.refused[data-kind='box.seal']")).ToContainTextAsync("转运箱已封箱，不能重复封箱");
        var boxPage = await admin.ContentAsync();
        foreach (var number in people)
        {
            Assert.Contains(Masked(number), boxPage, StringComparison.Ordinal);
            Assert.DoesNotContain(number, boxPage, StringComparison.Ordinal);
        }
        Assert.Contains("居*0", boxPage, StringComparison.Ordinal);
        Assert.DoesNotContain("居民0", boxPage, StringComparison.Ordinal);
        await Browser.ScreenshotAsync(admin, "sampling-box", fullPage: true);

        await admin.ClickAsync($"#tubes >> text={tube}");
        await Expect(admin).ToHaveURLAsync(new Regex($"/sampling/tubes/{tube}$"));
        await Expect(admin.GetByTestId("state")).ToHaveTextAsync("已接收");
        await Expect(admin.Locator(".facts")).ToContainTextAsync(box);
        await Browser.ScreenshotAsync(admin, "sampling-tube", fullPage: true);

        // Another county's admin: the box does not exist for them.
        var outsider = await browser.NewPageAsync(app.Url);
        await Browser.LogInAsync(outsider, "cx_admin");
        var foreign = await outsider.GotoAsync($"/sampling/boxes/{box}");
        Assert.Equal(404, foreign!.Status);
        Assert.DoesNotContain(Masked(people[0]), await outsider.ContentAsync(), StringComparison.Ordinal);

        // The lab uploads a results file: the received tube is taken, a tube never opened is refused by row.
        var lab = await browser.NewPageAsync(app.Url);
        await Browser.LogInAsync(lab, "lab", then: "/lab");
        await Expect(lab.Locator(".sidebar")).ToContainTextAsync("检测结果");
        await Expect(lab.Locator(".sidebar")).Not.ToContainTextAsync("核酸采样");
        await lab.ClickAsync(".sidebar >> text=检测结果");
        var csv = $"试管码,结果,CT值\n{tube},阴性,\n{world.Tubes[5]},阳性,28.5\n";
        await lab.SetInputFilesAsync("#results-form input[name=file]", new FilePayload { Name = "results.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await lab.ClickAsync("#results-form button[type=submit]");
        var rows = lab.Locator("#row-outcomes tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Nth(0).Locator("td")).ToHaveTextAsync(["2", tube, "已录入", ""]);
        await Expect(rows.Nth(1).Locator("td")).ToHaveTextAsync(["3", world.Tubes[5], "未录入", "试管未开管，请先扫描试管"]);
        await Expect(lab.Locator("[data-field=accepted]")).ToHaveTextAsync("1");
        await Expect(lab.Locator("[data-field=refused]")).ToHaveTextAsync("1");
        await Browser.ScreenshotAsync(lab, "sampling-lab", fullPage: true);

        await lab.FillAsync("#one-form input[name=tube]", world.Tubes[6]);
        await lab.ClickAsync("#one-form button[type=submit]");
        await Expect(lab.Locator("#one-outcome")).ToContainTextAsync("试管未开管");

        // The resident, on their phone and signed in nowhere: their code, then their result.
        var phone = await browser.NewPageAsync(app.Url, 390, 844);
        await phone.GotoAsync("/my/code");
        await phone.FillAsync("input[name=idNumber]", people[0]);
        await phone.FillAsync("input[name=name]", "别人");
        await phone.ClickAsync("#code-form button[type=submit]");
        await Expect(phone.Locator(".alert-error")).ToContainTextAsync("证件号码与姓名不匹配");
        Assert.DoesNotContain(people[0], await phone.ContentAsync(), StringComparison.Ordinal);

        await phone.FillAsync("input[name=idNumber]", people[0]);
        await phone.FillAsync("input[name=name]", "居民0");
        await phone.ClickAsync("#code-form button[type=submit]");
        await Expect(phone.Locator("#my-code .qr svg")).ToBeVisibleAsync();
        Assert.True(await phone.Locator("#my-code .qr svg rect").CountAsync() > 100);
        await Expect(phone.GetByTestId("id-masked")).ToHaveTextAsync(Masked(people[0]));
        await Expect(phone.GetByTestId("name")).ToHaveTextAsync("居*0");
        Assert.DoesNotContain(people[0], await phone.ContentAsync(), StringComparison.Ordinal);
        await Browser.ScreenshotAsync(phone, "sampling-my-code");

        await phone.ClickAsync("text=查看我的核酸结果");
        await Expect(phone.GetByTestId("latest")).ToContainTextAsync("阴性");
        await Expect(phone.Locator(".samples li")).ToHaveCountAsync(1);
        Assert.DoesNotContain(people[0], await phone.ContentAsync(), StringComparison.Ordinal);
        await Browser.ScreenshotAsync(phone, "sampling-my-results");

        // By number and name, too; and a forged code is refused.
        await phone.GotoAsync("/my/results");
        await phone.FillAsync("#identity-form input[name=idNumber]", people[1]);
        await phone.FillAsync("#identity-form input[name=name]", "居民1");
        await phone.ClickAsync("#identity-form button[type=submit]");
        await Expect(phone.GetByTestId("latest")).ToContainTextAsync("阴性");
        Assert.DoesNotContain(people[1], await phone.ContentAsync(), StringComparison.Ordinal);
        var forged = await phone.GotoAsync("/my/results?code=" + Uri.EscapeDataString("FY1:NOT-A-CODE"));
        Assert.Equal(400, forged!.Status);
        await Expect(phone.Locator(".alert-error")).ToContainTextAsync("二维码不完整或已损坏");
        await Browser.ScreenshotAsync(phone, "sampling-my-results-refused");
    }

    [Fact]
    public async Task CitizenCodeSheet_IsPrintedForAVillageOfTheWorkersOwn()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite, realPort: true);
        var world = await SamplingWorld.CreateAsync(app);
        await world.ResidentsAsync(Villages.Simazhuang, Villages.Simazhuang, Villages.Xicheng);
        await app.CreateAccountAsync("qz_worker", Roles.VillageWorker, Villages.Simazhuang);
        await using var browser = await Browser.LaunchAsync();

        // The county admin walks down to a township and sees its villages with their residents.
        var admin = await browser.NewPageAsync(app.Url);
        await Browser.LogInAsync(admin, "county");
        await admin.GotoAsync("/citizen-codes");
        await admin.ClickAsync("#divisions-below >> text=清州镇");
        var simazhuang = admin.Locator("#divisions-below tr", new() { HasTextString = People.Code(Villages.Simazhuang) });
        await Expect(simazhuang.Locator("td").Nth(2)).ToHaveTextAsync("2");
        await Browser.ScreenshotAsync(admin, "sampling-citizen-codes-township");
        await admin.FillAsync(".village-search input[name=q]", "司马庄");
        await admin.ClickAsync(".village-search button");
        await Expect(admin.Locator("#divisions-below tbody tr")).ToHaveCountAsync(1);
        await Expect(admin.Locator("#divisions-below")).ToContainTextAsync("河北省沧州市青县清州镇司马庄村民委员会");

        // The village worker sees only their village and prints its sheet.
        var worker = await browser.NewPageAsync(app.Url);
        // A village worker lands on the village app; the console is one address away.
        await Browser.LogInAsync(worker, "qz_worker", landing: "/village");
        await worker.GotoAsync("/");
        await worker.ClickAsync(".sidebar >> text=市民码打印");
        await Expect(worker.GetByTestId("village-residents")).ToHaveTextAsync("2");
        var sheet = await worker.RunAndWaitForPopupAsync(() => worker.ClickAsync("[data-print=html]"));
        await sheet.WaitForLoadStateAsync();
        await Expect(sheet.Locator("svg")).ToHaveCountAsync(2);
        await Browser.ScreenshotAsync(worker, "sampling-citizen-codes-village");
        var outside = await worker.GotoAsync($"/citizen-codes?division={Villages.Xicheng}");
        await Expect(worker.Locator(".alert-warn")).ToContainTextAsync("不在您的管辖范围内");
        Assert.Equal(200, outside!.Status);
        await worker.GotoAsync("/sampling");
        await Expect(worker).ToHaveURLAsync(new Regex("/denied"));
    }

    [Fact]
    public async Task ResidentPages_AreOpenToAll_ButUnderThePublicRateLimit()
    {
        await using var app = await TestApp.StartAsync(StoreKind.Sqlite, tweak: o => o with { PublicPerMinute = 5 });
        using var client = app.Anonymous();

        var first = await client.GetAsync("/my/code");
        var statuses = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add((int)(await client.GetAsync("/my/results")).StatusCode);
        }

        Assert.Equal(System.Net.HttpStatusCode.OK, first.StatusCode);
        Assert.True(first.Headers.CacheControl?.NoStore);
        Assert.Equal([200, 200, 200, 200, 429, 429], statuses.ToArray());
    }
}
