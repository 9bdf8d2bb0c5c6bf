using System.Net.Http.Json;
using System.Text.Json;
using Fangyi.Features.Sampling;
using Fangyi.Tests.Support;

namespace Fangyi.Tests.Sampling;

public class ScanBatchTests
{
    /// <summary>
    /// A phone flushing its offline queue sends box, tube, people and seals in one batch, and they must be applied in
    /// the order sent. Here the tube's code was issued by another host, so checking it goes to the store while the
    /// box's is checked from memory: had each scan been queued as soon as its own check finished, the box could be
    /// sealed before its tube was opened. (How often that race is lost depends on how fast the store answers.)
    /// </summary>
    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task ABatch_IsAppliedInTheOrderSent_EvenWhenACodeMustBeLookedUp(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var people = await world.ResidentsAsync(Villages.Simazhuang, Villages.Simazhuang, Villages.Simazhuang);
        var box = world.Boxes[0];
        var tube = (await new IssuedCodes(app.Store, TimeProvider.System).IssueAsync(CodeType.Tube, 1, People.Qingxian, "另一台主机", 0)).Codes().Single();
        await Task.Delay(1100);   // past the once-a-second re-read, so the first check of the new code goes to the store

        var scans = new List<object>
        {
            new { clientId = "b1", action = ScanKinds.OpenBox, box, roundId = world.RoundId, siteId = world.SiteId },
            new { clientId = "b2", action = ScanKinds.OpenTube, box, tube, capacity = 5 },
        };
        scans.AddRange(people.Select((person, i) => (object)new { clientId = $"b{3 + i}", action = ScanKinds.AddPerson, tube, person }));
        scans.Add(new { clientId = "b6", action = ScanKinds.SealTube, tube });
        scans.Add(new { clientId = "b7", action = ScanKinds.SealBox, box });
        var response = await world.Sampler.PostAsJsonAsync("/api/v1/scans/batch", scans);
        var outcomes = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();

        Assert.Equal(["b1", "b2", "b3", "b4", "b5", "b6", "b7"], outcomes.Select(o => o.GetProperty("clientId").GetString()));
        Assert.All(outcomes, o => Assert.True(o.GetProperty("accepted").GetBoolean(), o.ToString()));
        Assert.Equal([1, 2, 3], outcomes.Skip(2).Take(3).Select(o => o.GetProperty("body").GetProperty("count").GetInt32()));
        Assert.Equal(3, outcomes[6].GetProperty("body").GetProperty("people").GetInt32());
    }
}
