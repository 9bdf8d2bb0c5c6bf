using Fangyi.Core.Jurisdiction;
using System.Net.Http.Json;
using System.Text.Json;
using Fangyi.Tests.Support;
using System.Diagnostics.CodeAnalysis;

namespace Fangyi.Tests.Sampling;

/// <summary>A round, a site in 司马庄村, a sampler, a courier, a lab, and issued tube and box codes: what every sampling test starts from.</summary>
public sealed class SamplingWorld
{
    private int _scan;

    private SamplingWorld(TestApp app, HttpClient admin, HttpClient sampler, HttpClient courier, HttpClient lab, long roundId, long siteId, List<string> tubes, List<string> boxes)
    {
        App = app;
        Admin = admin;
        Sampler = sampler;
        Courier = courier;
        Lab = lab;
        RoundId = roundId;
        SiteId = siteId;
        Tubes = tubes;
        Boxes = boxes;
    }

    public TestApp App { get; }
    public HttpClient Admin { get; }
    public HttpClient Sampler { get; }
    public HttpClient Courier { get; }
    public HttpClient Lab { get; }
    public long RoundId { get; }
    public long SiteId { get; }
    public List<string> Tubes { get; }
    public List<string> Boxes { get; }

    public static async Task<SamplingWorld> CreateAsync(TestApp app)
    {
        var admin = await app.ClientAsync("county", Roles.Admin, People.Qingxian);
        var round = await Created(await admin.PostAsJsonAsync("/api/v1/sampling/rounds", new
        {
            name = "青县第一轮全员核酸",
            division = People.Qingxian,
            startsAt = DateTimeOffset.UtcNow.AddHours(-1),
            endsAt = DateTimeOffset.UtcNow.AddDays(1),
        }));
        var site = await Created(await admin.PostAsJsonAsync("/api/v1/sampling/sites", new { name = "司马庄村委会采样点", division = Villages.Simazhuang }));
        var tubes = await Created(await admin.PostAsJsonAsync("/api/v1/sampling/codes", new { type = "tube", count = 40 }));
        var boxes = await Created(await admin.PostAsJsonAsync("/api/v1/sampling/codes", new { type = "box", count = 10 }));
        var sampler = await app.ClientAsync("sampler", Roles.Sampler, Villages.Simazhuang);
        var courier = await app.ClientAsync("courier", Roles.Courier, People.Qingxian);
        var lab = await app.ClientAsync("lab", Roles.Lab, People.Qingxian);
        return new SamplingWorld(app, admin, sampler, courier, lab, round.GetProperty("id").GetInt64(), site.GetProperty("id").GetInt64(),
            Codes('T', tubes), Codes('B', boxes));
    }

    private static List<string> Codes(char letter, JsonElement batch)
    {
        var first = batch.GetProperty("firstSerial").GetInt64();
        return Enumerable.Range(0, batch.GetProperty("count").GetInt32())
            .Select(i => new Fangyi.Features.Sampling.SampleCode(letter == 'T' ? Fangyi.Features.Sampling.CodeType.Tube : Fangyi.Features.Sampling.CodeType.Box, first + i).ToString())
            .ToList();
    }

    private static async Task<JsonElement> Created(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Registers residents living in the given villages (through the admin API) and returns their ID numbers.</summary>
    public async Task<List<string>> ResidentsAsync(params long[] villages)
    {
        var numbers = new List<string>();
        foreach (var village in villages)
        {
            var number = People.NewId();
            var response = await Admin.PutAsJsonAsync("/api/v1/residents", new { idNumber = number, name = $"居民{numbers.Count}", division = People.Code(village) });
            response.EnsureSuccessStatusCode();
            numbers.Add(number);
        }
        return numbers;
    }

    public string NextClientId() => $"scan-{Interlocked.Increment(ref _scan)}";

    [SuppressMessage("Performance", "CA1822", Justification = "Called on the world like its other steps; the client carries the session.")]
    public async Task<(int Status, JsonElement Body)> ScanAsync(HttpClient client, object scan)
    {
        var response = await client.PostAsJsonAsync("/api/v1/scans", scan);
        // A scan never fails inside the host: when one does, the failure says what the host logged.
        Assert.True(response.StatusCode != System.Net.HttpStatusCode.InternalServerError, App.Errors.ToString());
        return ((int)response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    public Task<(int Status, JsonElement Body)> OpenBoxAsync(string box) =>
        ScanAsync(Sampler, new { clientId = NextClientId(), action = "box.open", box, roundId = RoundId, siteId = SiteId });

    public Task<(int Status, JsonElement Body)> OpenTubeAsync(string box, string tube, int capacity = 10) =>
        ScanAsync(Sampler, new { clientId = NextClientId(), action = "tube.open", box, tube, capacity });

    public Task<(int Status, JsonElement Body)> AddAsync(string tube, string person) =>
        ScanAsync(Sampler, new { clientId = NextClientId(), action = "sample.add", tube, person });

    public Task<(int Status, JsonElement Body)> ActAsync(HttpClient client, string action, object fields)
    {
        var scan = new Dictionary<string, object?> { ["clientId"] = NextClientId(), ["action"] = action };
        foreach (var p in fields.GetType().GetProperties())
        {
            scan[p.Name] = p.GetValue(fields);
        }
        return ScanAsync(client, scan);
    }

    /// <summary>A box with one sealed tube of the given people, sealed, picked up and received at the lab.</summary>
    public async Task<(string Box, string Tube)> ReceivedTubeAsync(List<string> people, int capacity, int boxIndex, int tubeIndex)
    {
        var (box, tube) = (Boxes[boxIndex], Tubes[tubeIndex]);
        Assert.Equal(201, (await OpenBoxAsync(box)).Status);
        Assert.Equal(201, (await OpenTubeAsync(box, tube, capacity)).Status);
        foreach (var person in people)
        {
            var (status, body) = await AddAsync(tube, person);
            if (status == 409 && body.GetProperty("code").GetString() == "person_not_registered")
            {
                // Someone the registry never met gives their name and phone at the site, as the sampler app asks.
                (status, body) = await ScanAsync(Sampler, new { clientId = NextClientId(), action = "sample.add", tube, person, name = "王小明", phone = "13912345678" });
            }
            Assert.True(status == 201, body.ToString());
        }
        Assert.Equal(200, (await ActAsync(Sampler, "tube.seal", new { tube })).Status);
        Assert.Equal(200, (await ActAsync(Sampler, "box.seal", new { box })).Status);
        Assert.Equal(200, (await ActAsync(Courier, "box.pickup", new { box })).Status);
        Assert.Equal(200, (await ActAsync(Lab, "box.receive", new { box, tubesCounted = 1 })).Status);
        return (box, tube);
    }
}
