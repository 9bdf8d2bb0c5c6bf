using System.Net.Http.Json;
using Fangyi.Tests.Sampling;
using Fangyi.Tests.Support;

namespace Fangyi.Tests.Residents;

/// <summary>The residents page's search box: part of an ID number finds nothing, and the page says what to type instead.</summary>
public class ResidentSearchPageTests
{
    private const string Partial = "请输入完整的18位身份证号码，或按姓名搜索";

    private static Task<string> SearchAsync(HttpClient admin, string q) =>
        PageForms.PostForPageAsync(admin, "/residents", "/residents", new Dictionary<string, string> { ["q"] = q });

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task PartialIdNumber_SaysToTypeTheWholeNumberOrAName(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var number = People.NewId();
        (await world.Admin.PutAsJsonAsync("/api/v1/residents", new { idNumber = number, name = "郑部分", division = People.Code(People.Simazhuang) })).EnsureSuccessStatusCode();

        foreach (var part in new[] { number[..6], number[..14], number[..17], number[6..] })
        {
            var html = await SearchAsync(world.Admin, part);
            Assert.Contains(Partial, html, StringComparison.Ordinal);
            Assert.DoesNotContain("郑部分", html, StringComparison.Ordinal);
        }

        var whole = await SearchAsync(world.Admin, number);
        Assert.Contains("郑部分", whole, StringComparison.Ordinal);
        Assert.DoesNotContain(Partial, whole, StringComparison.Ordinal);
        var byName = await SearchAsync(world.Admin, "郑部");
        Assert.Contains("郑部分", byName, StringComparison.Ordinal);
        Assert.DoesNotContain(Partial, byName, StringComparison.Ordinal);
        Assert.DoesNotContain(Partial, await SearchAsync(world.Admin, "查无此名"), StringComparison.Ordinal);
    }
}
