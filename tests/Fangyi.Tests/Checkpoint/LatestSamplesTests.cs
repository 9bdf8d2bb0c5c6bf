using Fangyi.Features.Sampling;
using Fangyi.Core.Identity;
using Fangyi.Core.Status;
using Fangyi.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using System.Diagnostics.CodeAnalysis;

namespace Fangyi.Tests.Checkpoint;

/// <summary>
/// The start-up's shortcut for a whole store of samples: gathering each person's latest sample and result (in id
/// ranges, merged in order) and telling the index twice a person leaves the index exactly as telling it every sample
/// in turn does.
/// </summary>
[SuppressMessage("Security", "CA5394", Justification = "Seeded Random makes the same synthetic data every run; nothing here is secret.")]
public class LatestSamplesTests
{
    [Theory]
    [InlineData(1, 7)]
    [InlineData(3, 11)]
    [InlineData(4, 2026)]
    public void GatheredAndMerged_TheIndexHoldsWhatEverySampleInTurnGives(int parts, int seed)
    {
        var keys = KeyRing.OpenOrCreate(Path.Combine(TestStore.TempFolder(), "keys.json"));
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero));
        using var oneByOne = new StatusIndex(keys, clock);
        using var gathered = new StatusIndex(keys, clock);
        const int people = 300;
        foreach (var index in new[] { oneByOne, gathered })
        {
            for (var id = 1; id <= people; id++)
            {
                var number = IdNumber.Make(130922, new DateOnly(1960, 1, 1).AddDays(id), 1);
                index.Person(new PersonRecord(id, keys.Active.Id, keys.Hash(DocTypes.ResidentId, number), null, "王五", DocTypes.ResidentId, IdNumber.Mask(number)));
            }
        }

        // Samples in table order: several a person, some within the same second, pending and every result, and
        // some people with none.
        var random = new Random(seed);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var states = new[] { NucleicState.Pending, NucleicState.Negative, NucleicState.Positive, NucleicState.MixedPositive, NucleicState.Invalid };
        var rows = Enumerable.Range(0, 4_000).Select(_ => (
            Resident: (long)random.Next(1, people - 20),
            At: now - random.Next(0, 6) * 86_400_000L - random.Next(0, 3) * 400L,
            State: states[random.Next(states.Length)])).ToList();

        foreach (var (resident, at, state) in rows)
        {
            oneByOne.Sample(resident, at, state);
        }
        var size = (rows.Count + parts - 1) / parts;
        var ranges = rows.Chunk(size).Select(range =>
        {
            var latest = new LatestSamples();
            foreach (var (resident, at, state) in range)
            {
                latest.Add(resident, at, state);
            }
            return latest;
        }).ToList();
        foreach (var later in ranges.Skip(1))
        {
            ranges[0].Merge(later);
        }
        ranges[0].ReplayInto(gathered);

        var sampled = 0;
        for (var id = 1; id <= people; id++)
        {
            var expected = oneByOne.Read(oneByOne.FindByResident(id)).Facts;
            var actual = gathered.Read(gathered.FindByResident(id)).Facts;
            Assert.Equal(expected, actual);
            sampled += expected.SampledAt > 0 ? 1 : 0;
        }
        Assert.InRange(sampled, people - 40, people - 20);
    }
}
