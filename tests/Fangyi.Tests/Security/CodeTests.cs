using Fangyi.Core.Jurisdiction;
using System.Formats.Cbor;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Fangyi.Cli;
using Fangyi.Core.Codes;
using Fangyi.Features.Citizens;
using Fangyi.Tests.Checkpoint;
using Fangyi.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Fangyi.Tests.Security;

/// <summary>Citizen codes that expire, are revoked, and are refused cleanly when broken (issue 9, findings 5 and 6).</summary>
public class CodeTests
{
    private static readonly byte[] Subject = Convert.FromHexString("00112233445566778899aabbccddeeff");

    [Fact]
    public void AHugeIntegerInTheCoseHeaderOrPayload_IsMalformed_NotAnException()
    {
        var keys = CodeKeys.OpenOrCreate(Path.Combine(TestStore.TempFolder(), "codes.json"));
        var codes = new SignedCodes(keys, new FakeTimeProvider(DateTimeOffset.UtcNow));

        foreach (var text in HugeIntegerCodes(keys))
        {
            Assert.Equal(CodeError.Format, codes.Verify(text).Error);
        }
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task BrokenCodes_AreRefusedWithTheirCode_AtEveryEntryPoint_NeverA500(StoreKind kind)
    {
        await using var world = await CheckpointWorld.CreateAsync(kind);
        var keys = world.App.Get<CodeKeys>();
        var genuine = world.App.Get<SignedCodes>().Issue(CodeKind.Citizen, Subject, TimeSpan.FromMinutes(5));
        var corpus = new List<string>
        {
            genuine[..^7], genuine[..12], "FY1:", "FY1:abc~", "FY1:" + new string('0', 300), genuine[..^6] + "000000",
            Cose(Header(1, -7, 4, keys.ActiveKeyId), [0xa0], keys.Signer, extra: true),                          // five elements
            "FY1:" + Base45.Encode([0xd2, 0x84, 0x40, 0xa0, 0x40]),                                                  // truncated array
            "FY1:" + Base45.Encode(Enumerable.Repeat((byte)0x81, 200).ToArray()),                                    // deep nesting
        };
        corpus.AddRange(HugeIntegerCodes(keys));
        await world.Sampling.OpenBoxAsync(world.Sampling.Boxes[0]);
        await world.Sampling.OpenTubeAsync(world.Sampling.Boxes[0], world.Sampling.Tubes[0], 10);
        using var resident = world.App.Anonymous();

        foreach (var text in corpus)
        {
            var byCode = await resident.PostAsJsonAsync("/api/v1/public/results/by-code", new { code = text });
            var byCodeBody = await byCode.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True((int)byCode.StatusCode == 400, $"by-code {text}: {(int)byCode.StatusCode} {byCodeBody}");
            Assert.StartsWith("code.", byCodeBody.GetProperty("code").GetString(), StringComparison.Ordinal);
            Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", byCodeBody.GetProperty("title").GetString()!);

            var (status, body) = await world.VerifyAsync("mall", text);
            Assert.True(status is 400 or 422, $"verify {text}: {status} {body}");
            Assert.StartsWith("code.", body.GetProperty("code").GetString(), StringComparison.Ordinal);

            var scan = await world.Sampling.AddAsync(world.Sampling.Tubes[0], text);
            Assert.True(scan.Status is 400 or 422, $"scan {text}: {scan.Status} {scan.Body}");
            Assert.Equal("person_invalid", scan.Body.GetProperty("code").GetString());
        }
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task APhoneCode_LivesFiveMinutes_AndIsRefreshedByShowingIt_APrintedOneIsNot(StoreKind kind)
    {
        await using var world = await CheckpointWorld.CreateAsync(kind);
        var number = (await world.ResidentsAsync(1))[0];
        using var resident = world.App.Anonymous();
        var first = await CheckpointWorld.Ok(await resident.PostAsJsonAsync("/api/v1/public/citizen-code", new { idNumber = number, name = "居民0" }));
        var firstCode = first.GetProperty("code").GetString()!;

        Assert.InRange(first.GetProperty("expires").GetDateTimeOffset() - world.Clock.GetUtcNow(), TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(5));
        Assert.StartsWith("<svg", first.GetProperty("qrSvg").GetString(), StringComparison.Ordinal);
        world.Clock.Advance(TimeSpan.FromMinutes(4));
        var next = await CheckpointWorld.Ok(await resident.PostAsJsonAsync("/api/v1/public/citizen-code/refresh", new { code = firstCode }));
        var nextCode = next.GetProperty("code").GetString()!;
        world.Clock.Advance(TimeSpan.FromMinutes(2));

        Assert.NotEqual(firstCode, nextCode);
        Assert.Equal("code.expired", (await world.VerifyAsync("mall", firstCode)).Body.GetProperty("code").GetString());
        Assert.Equal(200, (await world.VerifyAsync("mall", nextCode)).Status);
        var stale = await resident.PostAsJsonAsync("/api/v1/public/citizen-code/refresh", new { code = firstCode });
        Assert.Equal("code.expired", (await stale.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        var printed = await PrintAsync(world, "居民0");
        var refused = await resident.PostAsJsonAsync("/api/v1/public/citizen-code/refresh", new { code = printed });
        Assert.Equal("citizen_code.not_refreshable", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task Reprinting_RevokesTheEarlierPrintedCode_AndAnAdminRevokesOnRequest(StoreKind kind)
    {
        await using var world = await CheckpointWorld.CreateAsync(kind);
        await world.ResidentsAsync(1);
        var first = await PrintAsync(world, "居民0");
        Assert.Equal(200, (await world.VerifyAsync("mall", first)).Status); // verified once: cached

        var second = await PrintAsync(world, "居民0");
        var refused = await world.VerifyAsync("mall", first);

        Assert.Equal((422, "code.revoked"), (refused.Status, refused.Body.GetProperty("code").GetString()));
        Assert.Equal(200, (await world.VerifyAsync("mall", second)).Status);
        var id = await world.CountAsync("SELECT id FROM residents WHERE name = @name", new { name = "居民0" });
        using var other = await world.App.ClientAsync("cangxian", Roles.Admin, People.Cangxian);
        Assert.Equal(404, (int)(await other.PostAsJsonAsync($"/api/v1/residents/{id}/citizen-codes/revoke", new { reason = "越权" })).StatusCode);
        var revoked = await CheckpointWorld.Ok(await world.City.PostAsJsonAsync($"/api/v1/residents/{id}/citizen-codes/revoke", new { reason = "卡片遗失" }));
        Assert.Equal(1, revoked.GetProperty("revoked").GetInt32());
        Assert.Equal("code.revoked", (await world.VerifyAsync("mall", second)).Body.GetProperty("code").GetString());
        Assert.Equal(1, await world.CountAsync("SELECT COUNT(*) FROM audit_log WHERE action = 'resident.citizen_codes_revoked'"));
    }

    [Fact]
    public async Task ARevocationOnOneHost_IsHonouredByAnotherHostOnItsNextPoll_EvenForACachedCode()
    {
        await using var world = await CheckpointWorld.CreateAsync(StoreKind.Postgres);
        var clock = world.Clock;
        await using var other = await TestApp.StartAsync(StoreKind.Postgres, tweak: o => o with { Store = world.App.Options.Store, DataDir = world.App.Options.DataDir },
            configure: builder => builder.Services.AddSingleton<TimeProvider>(clock));
        await world.ResidentsAsync(1);
        var printed = await PrintAsync(world, "居民0");
        using var device = other.Anonymous();
        device.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Device", $"{world.Places["mall"].Device}.{world.Places["mall"].Secret}");
        await other.Get<Features.Checkpoint.DeviceRegistry>().ReloadChangedAsync();
        Assert.Equal(200, (await CheckpointWorld.VerifyWithAsync(device, printed)).Status);

        await PrintAsync(world, "居民0"); // the reprint revokes the first card, on the first host
        var beforePoll = await CheckpointWorld.VerifyWithAsync(device, printed);
        await other.Get<CodeRevocationPoller>().PollOnceAsync();
        var afterPoll = await CheckpointWorld.VerifyWithAsync(device, printed);

        // Between the commit and the other host's next poll (about a second) the old card still passes there.
        Assert.Equal(200, beforePoll.Status);
        Assert.Equal("code.revoked", afterPoll.Body.GetProperty("code").GetString());
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task ResultsByCode_NeedAFreshCode_OrTheNameWithAnOlderOne(StoreKind kind)
    {
        await using var world = await CheckpointWorld.CreateAsync(kind);
        var number = (await world.ResidentsAsync(1))[0];
        using var resident = world.App.Anonymous();
        var phone = (await CheckpointWorld.Ok(await resident.PostAsJsonAsync("/api/v1/public/citizen-code", new { idNumber = number, name = "居民0" }))).GetProperty("code").GetString()!;
        var printed = await PrintAsync(world, "居民0");

        var fresh = await resident.PostAsJsonAsync("/api/v1/public/results/by-code", new { code = phone });
        var cardAlone = await resident.PostAsJsonAsync("/api/v1/public/results/by-code", new { code = printed });
        var cardWrongName = await resident.PostAsJsonAsync("/api/v1/public/results/by-code", new { code = printed, name = "别人" });
        var cardAndName = await resident.PostAsJsonAsync("/api/v1/public/results/by-code", new { code = printed, name = "居民0" });

        Assert.Equal(200, (int)fresh.StatusCode);
        Assert.Equal("citizen_code.name_required", (await cardAlone.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal("identity_not_matched", (await cardWrongName.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(200, (int)cardAndName.StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task KeysAndTheRevocationList_AreServedToOfflineVerifiers_WithoutPersonalData(StoreKind kind)
    {
        await using var world = await CheckpointWorld.CreateAsync(kind);
        await world.ResidentsAsync(1);
        var first = await PrintAsync(world, "居民0");
        await PrintAsync(world, "居民0");
        using var anonymous = world.App.Anonymous();

        var set = await CheckpointWorld.Ok(await anonymous.GetAsync("/.well-known/fangyi-code-keys"));
        var list = await CheckpointWorld.Ok(await anonymous.GetAsync("/api/v1/public/code-revocations"));

        var key = set.GetProperty("keys")[0];
        Assert.Equal(world.App.Get<CodeKeys>().ActiveKeyId, key.GetProperty("kid").GetString());
        Assert.Equal(("ES256", "EC", "P-256"), (key.GetProperty("alg").GetString(), key.GetProperty("kty").GetString(), key.GetProperty("crv").GetString()));
        Assert.False(key.GetProperty("retired").GetBoolean());
        Assert.True(key.TryGetProperty("notBefore", out _) && key.TryGetProperty("notAfter", out _));
        Assert.False(key.TryGetProperty("d", out _)); // no private part
        using var ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = FromBase64Url(key.GetProperty("x").GetString()!), Y = FromBase64Url(key.GetProperty("y").GetString()!) },
        });
        Assert.Equal(Convert.ToBase64String(ecdsa.ExportSubjectPublicKeyInfo()), key.GetProperty("spki").GetString());
        var revoked = list.GetProperty("revocations").EnumerateArray().ToList();
        var (_, claims) = world.App.Get<SignedCodes>().Verify(first);
        Assert.Null(claims); // revoked
        Assert.Single(revoked);
        Assert.Equal(["codeId", "expiresAt", "revokedAt"], revoked[0].EnumerateObject().Select(p => p.Name).Order().ToArray());
    }

    [Fact]
    public async Task RotateThenRetire_FromTheCommandLine_OldCodesVerifyUntilRetired_ThenAreRefusedWithKeyRetired()
    {
        await using var world = await CheckpointWorld.CreateAsync(StoreKind.Sqlite);
        await world.ResidentsAsync(1);
        var before = await PrintAsync(world, "居民0");
        var oldKey = world.App.Get<CodeKeys>().ActiveKeyId;
        var poller = world.App.Get<CodeRevocationPoller>();
        var data = world.App.Options.DataDir;
        var store = world.App.Options.Store;

        Assert.Equal(0, await Commands.Root().Parse(["codes", "rotate", "--store", store, "--data", data]).InvokeAsync());
        await poller.PollOnceAsync();
        var newKey = world.App.Get<CodeKeys>().ActiveKeyId;
        Assert.NotEqual(oldKey, newKey);
        Assert.Equal(200, (await world.VerifyAsync("mall", before)).Status);
        using var anonymous = world.App.Anonymous();
        var keys = (await CheckpointWorld.Ok(await anonymous.GetAsync("/.well-known/fangyi-code-keys"))).GetProperty("keys").EnumerateArray().ToList();
        Assert.Equal(2, keys.Count);
        Assert.NotEqual(JsonValueKind.Null, keys.Single(k => k.GetProperty("kid").GetString() == oldKey).GetProperty("notAfter").ValueKind);

        Assert.Equal(0, await Commands.Root().Parse(["codes", "retire", oldKey, "--store", store, "--data", data]).InvokeAsync());
        Assert.NotEqual(0, await Commands.Root().Parse(["codes", "retire", "00000000", "--store", store, "--data", data]).InvokeAsync());
        await poller.PollOnceAsync();
        var refused = await world.VerifyAsync("mall", before);
        using var byCodeClient = world.App.Anonymous();
        var byCode = await byCodeClient.PostAsJsonAsync("/api/v1/public/results/by-code", new { code = before, name = "居民0" });

        Assert.Equal("code.key_retired", refused.Body.GetProperty("code").GetString());
        Assert.Equal("code.key_retired", (await byCode.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(200, (await world.VerifyAsync("mall", await PrintAsync(world, "居民0"))).Status);
    }

    /// <summary>A printed (long-lived) code for a resident of the world's county, as a village sheet or staff print gives.</summary>
    private static async Task<string> PrintAsync(CheckpointWorld world, string name)
    {
        var id = await world.CountAsync("SELECT id FROM residents WHERE name = @name", new { name });
        var issued = await CheckpointWorld.Ok(await world.City.PostAsync($"/api/v1/residents/{id}/citizen-code", null));
        return issued.GetProperty("code").GetString()!;
    }

    /// <summary>Codes with integers too big for their field, in the header (unsigned) and in a payload signed with the host's own key.</summary>
    private static IEnumerable<string> HugeIntegerCodes(CodeKeys keys)
    {
        yield return Cose(Header(1, 1L << 40, 4, keys.ActiveKeyId), Payload(1, 1), null);
        yield return Cose(Header(1L << 40, -7, 4, keys.ActiveKeyId), Payload(1, 1), null);
        yield return Cose(Header(1, -7, 4, keys.ActiveKeyId), Payload(1L << 40, 1), keys.Signer);
        yield return Cose(Header(1, -7, 4, keys.ActiveKeyId), Payload(1, 1L << 62), keys.Signer);
        yield return Cose(Header(1, -7, 4, "zz"), Payload(1, 1), null);
    }

    private static byte[] Header(long algLabel, long alg, long kidLabel, string keyId)
    {
        var w = new CborWriter(CborConformanceMode.Lax);
        w.WriteStartMap(2);
        w.WriteInt64(algLabel);
        w.WriteInt64(alg);
        w.WriteInt64(kidLabel);
        if (keyId.All(Uri.IsHexDigit) && keyId.Length % 2 == 0)
        {
            w.WriteByteString(Convert.FromHexString(keyId));
        }
        else
        {
            w.WriteTextString(keyId);
        }
        w.WriteEndMap();
        return w.Encode();
    }

    private static byte[] Payload(long kind, long expires)
    {
        var w = new CborWriter(CborConformanceMode.Canonical);
        w.WriteStartMap(4);
        w.WriteInt32(1);
        w.WriteInt64(kind);
        w.WriteInt32(2);
        w.WriteByteString(Subject);
        w.WriteInt32(3);
        w.WriteInt64(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        w.WriteInt32(4);
        w.WriteInt64(expires);
        w.WriteEndMap();
        return w.Encode();
    }

    private static string Cose(byte[] header, byte[] payload, ECDsa? signer, bool extra = false)
    {
        var structure = new CborWriter(CborConformanceMode.Canonical);
        structure.WriteStartArray(4);
        structure.WriteTextString("Signature1");
        structure.WriteByteString(header);
        structure.WriteByteString([]);
        structure.WriteByteString(payload);
        structure.WriteEndArray();
        var signature = signer?.SignData(structure.Encode(), HashAlgorithmName.SHA256) ?? new byte[64];
        var w = new CborWriter(CborConformanceMode.Lax);
        w.WriteTag((CborTag)18);
        w.WriteStartArray(extra ? 5 : 4);
        w.WriteByteString(header);
        w.WriteStartMap(0);
        w.WriteEndMap();
        w.WriteByteString(payload);
        w.WriteByteString(signature);
        if (extra)
        {
            w.WriteInt32(0);
        }
        w.WriteEndArray();
        return SignedCodes.Prefix + Base45.Encode(w.Encode());
    }

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded + new string('=', (4 - padded.Length % 4) % 4));
    }
}
