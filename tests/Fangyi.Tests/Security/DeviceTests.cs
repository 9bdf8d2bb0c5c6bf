using Fangyi.Core.Jurisdiction;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fangyi.Features.Checkpoint;
using Fangyi.Tests.Checkpoint;
using Fangyi.Tests.Support;

namespace Fangyi.Tests.Security;

/// <summary>Kiosk keys: a per-device limit, rotation, and enrolment by a one-time code (issue 9, finding 12).</summary>
public class DeviceTests
{
    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task Verify_IsLimitedPerDevice_ABurstIsRefusedWith429_AndAuditedOnce(StoreKind kind)
    {
        await using var world = await CheckpointWorld.CreateAsync(kind, o => o with { DeviceChecksPerMinute = 20, DeviceCheckBurst = 10 });
        var person = (await world.ResidentsAsync(1))[0];

        var first = new List<int>();
        for (var i = 0; i < 15; i++)
        {
            first.Add((await world.VerifyAsync("mall", person)).Status);
        }
        var (status, body) = await world.VerifyAsync("mall", person);
        var otherDevice = await world.VerifyAsync("hospital", person);
        world.Clock.Advance(TimeSpan.FromSeconds(3)); // one token back at 20 a minute
        var afterWait = await world.VerifyAsync("mall", person);
        var secondBurst = await world.VerifyAsync("mall", person);

        Assert.Equal(Enumerable.Repeat(200, 10).Concat(Enumerable.Repeat(429, 5)), first);
        Assert.Equal((429, "device.rate_limited"), (status, body.GetProperty("code").GetString()));
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", body.GetProperty("title").GetString()!);
        Assert.Equal(Prompts.TooFast, body.GetProperty("promptKey").GetString());
        Assert.Equal(200, otherDevice.Status);
        Assert.Equal(200, afterWait.Status);
        Assert.Equal(429, secondBurst.Status);
        // Two bursts, two audit rows: not one per refused request.
        Assert.Equal(2, await world.CountAsync("SELECT COUNT(*) FROM audit_log WHERE action = 'checkpoint.device_rate_limited'"));
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task RotatingADeviceKey_RefusesTheOldKeyFromTheNextRequest_WithinTheJurisdictionOnly(StoreKind kind)
    {
        await using var world = await CheckpointWorld.CreateAsync(kind);
        var person = (await world.ResidentsAsync(1))[0];
        var (_, id, oldSecret) = world.Places["mall"];
        using var old = world.Device(id, oldSecret);
        Assert.Equal(200, (await CheckpointWorld.VerifyWithAsync(old, person)).Status);
        using var outsider = await world.App.ClientAsync("cangxian", Roles.Admin, People.Cangxian);

        var foreign = await outsider.PostAsync($"/api/v1/checkpoint/devices/{id}/rotate", null);
        var rotated = await CheckpointWorld.Ok(await world.City.PostAsync($"/api/v1/checkpoint/devices/{id}/rotate", null));
        var newSecret = rotated.GetProperty("secret").GetString()!;
        using var fresh = world.Device(id, newSecret);

        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.NotEqual(oldSecret, newSecret);
        Assert.Equal((401, "device.unknown"), await StatusAndCode(old, person));
        Assert.Equal(200, (await CheckpointWorld.VerifyWithAsync(fresh, person)).Status);
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM audit_log WHERE action = 'checkpoint.device_key_rotated'"));
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task AnEnrolmentCode_IsExchangedOnceForAFreshKey_AndExpiresInADay(StoreKind kind)
    {
        await using var world = await CheckpointWorld.CreateAsync(kind);
        var person = (await world.ResidentsAsync(1))[0];
        var (_, id, oldSecret) = world.Places["mall"];
        using var kiosk = world.App.Anonymous();

        var enrolment = await CheckpointWorld.Ok(await world.City.PostAsync($"/api/v1/checkpoint/devices/{id}/enrolment", null));
        var code = enrolment.GetProperty("code").GetString()!;
        var enrolled = await CheckpointWorld.Ok(await kiosk.PostAsJsonAsync("/api/v1/checkpoint/enrol", new { code = code.ToLowerInvariant() }));
        var again = await kiosk.PostAsJsonAsync("/api/v1/checkpoint/enrol", new { code });
        var wrong = await kiosk.PostAsJsonAsync("/api/v1/checkpoint/enrol", new { code = "AAAAAAAA" });

        Assert.Matches("^[A-HJ-NP-Z2-9]{8}$", code);
        Assert.InRange(enrolment.GetProperty("expiresAt").GetDateTimeOffset() - world.Clock.GetUtcNow(), TimeSpan.FromHours(23.9), TimeSpan.FromHours(24));
        Assert.Equal(id, enrolled.GetProperty("deviceId").GetString());
        using var device = world.Device(id, enrolled.GetProperty("secret").GetString()!);
        Assert.Equal(200, (await CheckpointWorld.VerifyWithAsync(device, person)).Status);
        using var old = world.Device(id, oldSecret);
        Assert.Equal((401, "device.unknown"), await StatusAndCode(old, person));
        foreach (var refused in new[] { again, wrong })
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("device.enrolment_invalid", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }

        var late = await CheckpointWorld.Ok(await world.City.PostAsync($"/api/v1/checkpoint/devices/{id}/enrolment", null));
        world.Clock.Advance(TimeSpan.FromHours(24));
        var expired = await kiosk.PostAsJsonAsync("/api/v1/checkpoint/enrol", new { code = late.GetProperty("code").GetString() });
        Assert.Equal("device.enrolment_invalid", (await expired.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        using var outsider = await world.App.ClientAsync("cangxian", Roles.Admin, People.Cangxian);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.PostAsync($"/api/v1/checkpoint/devices/{id}/enrolment", null)).StatusCode);
    }

    private static async Task<(int, string?)> StatusAndCode(HttpClient device, string person)
    {
        var (status, body) = await CheckpointWorld.VerifyWithAsync(device, person);
        return (status, body.GetProperty("code").GetString());
    }
}
