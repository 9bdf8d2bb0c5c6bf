using System.Diagnostics;
using Fangyi.Core.Identity;
using Fangyi.Core.Status;

namespace Fangyi.Bench;

/// <summary>
/// The status index's seqlock under a real race, run long enough to mean something: one writer rewriting a few
/// people's facts flat out (what the ingest observer does) while readers on every other core read them (what the
/// doors do). Each write moves a person's colour time and sample time together, so a torn read shows them apart.
/// The suite tests the interleavings one at a time; this is the probabilistic part.
/// </summary>
public static class IndexRaceBench
{
    private const int People = 64;

    public static void Run(BenchArgs args, List<ResultRow> rows)
    {
        var folder = Directory.CreateTempSubdirectory("fangyi-bench-index-").FullName;
        try
        {
            var keys = KeyRing.OpenOrCreate(Path.Combine(folder, "keys.json"));
            using var index = new StatusIndex(keys, TimeProvider.System);
            for (var i = 1; i <= People; i++)
            {
                var number = IdNumber.Make(130922, new DateOnly(1980, 1, 1), i);
                index.Person(new PersonRecord(i, keys.Active.Id, keys.Hash(DocTypes.ResidentId, number), null, "张三丰", DocTypes.ResidentId, IdNumber.Mask(number)));
            }
            var slots = Enumerable.Range(1, People).Select(i => index.FindByResident(i)).ToArray();
            var readers = Math.Max(1, Environment.ProcessorCount - 1);
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(args.RaceSeconds));
            long writes = 0;
            var clock = Stopwatch.StartNew();
            var writer = Task.Factory.StartNew(() =>
            {
                for (var t = 1_800_000_000_000L; !stop.IsCancellationRequested; t += 1000)
                {
                    var person = (int)(writes % People) + 1;
                    index.Replace(person, new PersonFacts { FeedSince = t, SampledAt = t, SampleState = NucleicState.Negative, Doses = (int)(t / 1000 % 4) });
                    writes++;
                }
            }, TaskCreationOptions.LongRunning);
            var reads = Enumerable.Range(0, readers).Select(r => Task.Factory.StartNew(() =>
            {
                long read = 0, torn = 0;
                var i = r;
                while (!stop.IsCancellationRequested)
                {
                    var facts = index.Read(slots[i++ % People]).Facts;
                    read++;
                    if (facts.SampleState == NucleicState.Negative && facts.FeedSince != facts.SampledAt)
                    {
                        torn++;
                    }
                }
                return (Read: read, Torn: torn);
            }, TaskCreationOptions.LongRunning)).ToArray();
            Task.WaitAll([writer, .. reads]);
            var elapsed = clock.Elapsed;
            var totalReads = reads.Sum(r => r.Result.Read);
            var totalTorn = reads.Sum(r => r.Result.Torn);
            Console.WriteLine($"  index races: {elapsed.TotalSeconds:F0} s, 1 writer and {readers} readers over {People} people: " +
                $"{writes:N0} writes, {totalReads:N0} reads, {index.Stripes.Waits:N0} waits for a write under way, {index.Stripes.Retries:N0} copies repeated, {totalTorn:N0} torn");
            rows.Add(new ResultRow("memory", $"status index: torn reads, 1 writer and {readers} readers for {args.RaceSeconds} s",
                $"{totalTorn:N0} of {totalReads:N0} reads ({writes:N0} writes, {index.Stripes.Retries:N0} copies repeated)", "0", totalTorn == 0 && totalReads > 0 && writes > 0));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
