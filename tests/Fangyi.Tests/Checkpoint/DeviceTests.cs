using Fangyi.Core.Jurisdiction;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fangyi.Features.Checkpoint;
using Fangyi.Tests.Support;

namespace Fangyi.Tests.Checkpoint;

public class DeviceTests
{
    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task ARevokedDevice_IsRefusedAtOnce_AndAWrongKeyNeverGetsIn(StoreKind kind)
    {
        await using var world = await CheckpointWorld.CreateAsync(kind);
        var person = (await world.ResidentsAsync(1))[0];
        var (_, id, secret) = world.Places["mall"];
        using var device = world.Device(id, secret);
        Assert.Equal(200, (await CheckpointWorld.VerifyWithAsync(device, person)).Status);

        var revoke = await world.City.PostAsync($"/api/v1/checkpoint/devices/{id}/revoke", null);
        var (status, body) = await CheckpointWorld.VerifyWithAsync(device, person);
        var heartbeat = await device.PostAsync("/api/v1/checkpoint/heartbeat", null);

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        Assert.Equal((401, "device.revoked"), (status, body.GetProperty("code").GetString()));
        Assert.Equal("设备已停用", body.GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, heartbeat.StatusCode);
        foreach (var (wrongId, wrongSecret) in new[] { (world.Places["hospital"].Device, secret), ("D999999", secret), (world.Places["hospital"].Device, "") })
        {
            using var stranger = world.Device(wrongId, wrongSecret);
            var refused = await CheckpointWorld.VerifyWithAsync(stranger, person);
            Assert.Equal((401, "device.unknown"), (refused.Status, refused.Body.GetProperty("code").GetString()));
        }
        using var anonymousClient = world.App.Anonymous();
        var anonymous = await anonymousClient.PostAsJsonAsync("/api/v1/checkpoint/verify", new { input = person });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        // The revocation is in the store, for other hosts and the next start.
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM devices WHERE id = @row AND revoked_at IS NOT NULL", new { row = DeviceRegistry.RowOf(id) }));
        // Outside the jurisdiction a device is not there to revoke.
        using var other = await world.App.ClientAsync("cangxian", Roles.Admin, People.Cangxian);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/v1/checkpoint/devices/{world.Places["hospital"].Device}/revoke", null)).StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task DevicesAreRegisteredInThousands_EachWithItsOwnKey_AndAnImportReportsBadRows(StoreKind kind)
    {
        await using var world = await CheckpointWorld.CreateAsync(kind);
        var mall = world.Places["mall"].Place;

        var bulk = await CheckpointWorld.Ok(await world.City.PostAsJsonAsync("/api/v1/checkpoint/devices", new { placeId = mall, count = 3000 }));
        var registered = bulk.GetProperty("registered").EnumerateArray().ToList();
        var csv = $"场所编号,设备名称\n{mall},东门1号机\n999999,不存在的场所\n{world.Places["hospital"].Place},\n{world.Places["hospital"].Place},急诊入口\n";
        using var formPart = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        using var form = new MultipartFormDataContent { { formPart, "file", "devices.csv" } };
        var imported = await CheckpointWorld.Ok(await world.City.PostAsync("/api/v1/checkpoint/devices/import", form));

        Assert.Equal(3000, registered.Count);
        Assert.Equal(3000, registered.Select(r => r.GetProperty("secret").GetString()).Distinct().Count());
        Assert.Equal(3000, registered.Select(r => r.GetProperty("deviceId").GetString()).Distinct().Count());
        Assert.All(registered, r => Assert.Matches("^D[0-9]{6,}$", r.GetProperty("deviceId").GetString()!));
        var last = registered[^1];
        using var device = world.Device(last.GetProperty("deviceId").GetString()!, last.GetProperty("secret").GetString()!);
        Assert.Equal(200, (await CheckpointWorld.VerifyWithAsync(device, People.NewId())).Status);
        Assert.Equal(["东门1号机", "急诊入口"], imported.GetProperty("registered").EnumerateArray().Select(r => r.GetProperty("name").GetString()!).ToArray());
        Assert.Equal([3, 4], imported.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("row").GetInt32()).ToArray());
        Assert.Equal(["place_id", "name"], imported.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("column").GetString()!).ToArray());
        // Only the hash of a secret is kept.
        var secret = last.GetProperty("secret").GetString()!;
        Assert.Equal(0, await world.CountAsync("SELECT COUNT(*) FROM devices WHERE name = @secret", new { secret }));
        Assert.Equal(3000 + 4 + 2, await world.CountAsync("SELECT COUNT(*) FROM devices"));
    }

    [Fact]
    public async Task Heartbeat_AndPrompts_TellTheKioskWhatItNeeds()
    {
        await using var world = await CheckpointWorld.CreateAsync(StoreKind.Sqlite);
        using var device = world.Device("hospital");

        var heartbeat = await CheckpointWorld.Ok(await device.PostAsync("/api/v1/checkpoint/heartbeat", null));
        using var promptsClient = world.App.Anonymous();
        var prompts = await promptsClient.GetFromJsonAsync<JsonElement>("/api/v1/checkpoint/prompts");

        Assert.Equal(world.Clock.GetUtcNow().ToUnixTimeMilliseconds(), heartbeat.GetProperty("serverTime").GetInt64());
        Assert.True(heartbeat.GetProperty("indexAsOf").GetInt64() > 0);
        Assert.Equal("default-1", heartbeat.GetProperty("rulesVersion").GetString());
        Assert.Equal(("青县人民医院", "hospital"), (heartbeat.GetProperty("place").GetProperty("name").GetString(), heartbeat.GetProperty("place").GetProperty("category").GetString()));
        Assert.Equal(24, heartbeat.GetProperty("windowHours").GetInt32());
        var texts = prompts.EnumerateArray().ToDictionary(p => p.GetProperty("key").GetString()!, p => p.GetProperty("text").GetString()!);
        Assert.Equal("绿码通行", texts["pass"]);
        Assert.Equal("非绿码请核查", texts["not_green"]);
        Assert.Equal("你的核酸结果已超时", texts["result_timed_out"]);
        Assert.Equal("查无此人，请人工核查", texts["not_found"]);
        Assert.Equal(Prompts.Texts.Count, texts.Count);
        // Last seen is written a little later, not on each request.
        await world.App.Get<DeviceRegistry>().FlushSeenAsync();
        Assert.Equal(world.Clock.GetUtcNow().ToUnixTimeMilliseconds(),
            await world.CountAsync("SELECT last_seen_at FROM devices WHERE id = @row", new { row = DeviceRegistry.RowOf(world.Places["hospital"].Device) }));
    }
}
