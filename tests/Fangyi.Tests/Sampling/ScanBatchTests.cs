using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Fangyi.Features.Sampling;
using Fangyi.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Fangyi.Tests.Sampling;

public class ScanBatchTests
{
    /// <summary>
    /// A phone flushing its offline queue sends box, tube, people and seals in one batch, and they must be applied in
    /// the order sent. Here the tube's code was issued by another host, so checking it goes to the store while the
    /// box's is checked from memory: had each scan been queued as soon as its own check finished, the box would be
    /// sealed before its tube was opened. On PostgreSQL the test holds that look-up at the store (a lock on the code
    /// batches) until it is seen waiting, so a later scan that did not wait for it would be queued first; SQLite
    /// answers in the caller's own thread, so there the order cannot be lost and the test shows the look-up only.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task ABatch_IsAppliedInTheOrderSent_EvenWhenACodeMustBeLookedUp(StoreKind kind)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = await TestApp.StartAsync(kind, configure: builder => builder.Services.AddSingleton<TimeProvider>(clock));
        var world = await SamplingWorld.CreateAsync(app);
        var people = await world.ResidentsAsync(Villages.Simazhuang, Villages.Simazhuang, Villages.Simazhuang);
        var box = world.Boxes[0];
        using var issued = new IssuedCodes(app.Store, clock);
        var tube = (await issued.IssueAsync(CodeType.Tube, 1, People.Qingxian, "另一台主机", 0)).Codes().Single();
        // Past the host's once-a-second re-read, on its own clock: the first check of the new code goes to the store.
        clock.Advance(TimeSpan.FromSeconds(2));

        var scans = new List<object>
        {
            new { clientId = "b1", action = ScanKinds.OpenBox, box, roundId = world.RoundId, siteId = world.SiteId },
            new { clientId = "b2", action = ScanKinds.OpenTube, box, tube, capacity = 5 },
        };
        scans.AddRange(people.Select((person, i) => (object)new { clientId = $"b{3 + i}", action = ScanKinds.AddPerson, tube, person }));
        scans.Add(new { clientId = "b6", action = ScanKinds.SealTube, tube });
        scans.Add(new { clientId = "b7", action = ScanKinds.SealBox, box });
        HttpResponseMessage response;
        if (kind == StoreKind.Postgres)
        {
            await using var holder = await app.Store.OpenAsync();
            await using var hold = await holder.BeginTransactionAsync();
            await holder.ExecuteAsync("LOCK TABLE code_batches IN ACCESS EXCLUSIVE MODE", transaction: hold);
            var sent = world.Sampler.PostAsJsonAsync("/api/v1/scans/batch", scans);
            var waiting = false;
            await Until.TrueAsync(async () => sent.IsCompleted || (waiting = await holder.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM pg_locks WHERE NOT granted AND relation = 'code_batches'::regclass", transaction: hold) > 0), "the tube's look-up waits at the store");
            await hold.RollbackAsync();
            response = await sent;
            Assert.True(waiting, "the tube's look-up did not go to the store");
        }
        else
        {
            response = await world.Sampler.PostAsJsonAsync("/api/v1/scans/batch", scans);
        }
        var outcomes = (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();

        Assert.Equal(["b1", "b2", "b3", "b4", "b5", "b6", "b7"], outcomes.Select(o => o.GetProperty("clientId").GetString()));
        Assert.All(outcomes, o => Assert.True(o.GetProperty("accepted").GetBoolean(), o.ToString()));
        Assert.Equal([1, 2, 3], outcomes.Skip(2).Take(3).Select(o => o.GetProperty("body").GetProperty("count").GetInt32()));
        Assert.Equal(3, outcomes[6].GetProperty("body").GetProperty("people").GetInt32());
    }
}
