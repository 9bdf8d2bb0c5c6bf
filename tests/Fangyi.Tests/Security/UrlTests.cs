using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Fangyi.Core.Http;
using Fangyi.Tests.Checkpoint;
using Fangyi.Tests.Support;

namespace Fangyi.Tests.Security;

/// <summary>Finding 11: ID numbers never travel in a URL, so none reaches an access log or a browser's history.</summary>
public partial class UrlTests
{
    [GeneratedRegex(@"\d{17}[\dXx]")]
    private static partial Regex IdNumberLike();

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task AFullRun_LeavesNoIdNumberInTheAccessLog(StoreKind kind)
    {
        await using var world = await CheckpointWorld.CreateAsync(kind);
        var admin = world.Sampling.Admin;
        var number = People.NewId();
        var stranger = People.NewId(130921);

        (await admin.PutAsJsonAsync("/api/v1/residents", new { idNumber = number, name = "张三", division = People.Code(People.Simazhuang) })).EnsureSuccessStatusCode();
        var found = await CheckpointWorld.Ok(await admin.PostAsJsonAsync("/api/v1/residents/search", new { q = number }));
        Assert.Equal("张三", Assert.Single(found.EnumerateArray()).GetProperty("name").GetString());
        var exported = await admin.PostAsJsonAsync("/api/v1/residents/export", new { q = number, format = "csv" });
        Assert.Contains("张三", await exported.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        (await admin.GetAsync("/api/v1/residents/export?format=csv")).EnsureSuccessStatusCode();
        // The console's search form posts, with its antiforgery token, whichever way the page lets this client in.
        var page = await admin.GetStringAsync("/residents");
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"").Groups[1].Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["q"] = number, ["__RequestVerificationToken"] = token });
        await admin.PostAsync("/residents", form);
        await world.Sampling.ReceivedTubeAsync([number, stranger], 5, 0, 0);
        var (status, _) = await world.VerifyAsync("mall", number);
        Assert.Equal(200, status);

        await world.App.Get<AccessLog>().FlushAsync();
        var log = await ReadAsync(world.App.Get<AccessLog>().Path);
        Assert.Contains("POST /api/v1/residents/search", log, StringComparison.Ordinal);
        Assert.Contains("POST /api/v1/checkpoint/verify", log, StringComparison.Ordinal);
        Assert.Empty(IdNumberLike().Matches(log));
        Assert.DoesNotContain("[idnumber]", log, StringComparison.Ordinal);

        // A client that puts a number in a URL anyway is refused, and the log keeps no number even then.
        var refused = await admin.GetAsync($"/api/v1/residents?q={number}");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("idnumber_in_url", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.GetAsync($"/api/v1/residents/export?q={number}")).StatusCode);
        await world.App.Get<AccessLog>().FlushAsync();
        log = await ReadAsync(world.App.Get<AccessLog>().Path);
        Assert.Empty(IdNumberLike().Matches(log));
        Assert.Contains("GET /api/v1/residents?q=[idnumber] 400", log, StringComparison.Ordinal);
    }

    private static async Task<string> ReadAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
