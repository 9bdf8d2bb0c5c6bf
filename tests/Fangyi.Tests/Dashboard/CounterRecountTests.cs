using Fangyi.Features.Sampling;
using Fangyi.Features.Residents;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Storage;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Fangyi.Core.Counters;
using Fangyi.Tests.Sampling;
using Fangyi.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics.CodeAnalysis;

namespace Fangyi.Tests.Dashboard;

/// <summary>
/// The counters' promise: whatever mix of scans arrives (repeats of a client id, refusals, people taken out of
/// tubes, results twice), every division's numbers equal a recount from the stored events and one from the state
/// tables, while running and after a restart rebuilt them.
/// </summary>
[SuppressMessage("Security", "CA5394", Justification = "Seeded Random makes the same synthetic data every run; nothing here is secret.")]
public class CounterRecountTests
{
    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task Counters_EqualARecount_AfterARandomMixOfScans_AndAfterARestart(StoreKind kind)
    {
        await using var app = await TestApp.StartAsync(kind);
        var world = await SamplingWorld.CreateAsync(app);
        var sites = new List<long> { world.SiteId };
        foreach (var (name, village) in new[] { ("西城居委会采样点", Villages.Xicheng), ("小牛庄村采样点", Villages.Xiaoniuzhuang) })
        {
            var response = await world.Admin.PostAsJsonAsync("/api/v1/sampling/sites", new { name, division = village });
            sites.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());
        }
        var people = await world.ResidentsAsync(Villages.Simazhuang, Villages.Simazhuang, Villages.Simazhuang, Villages.Xicheng, Villages.Xicheng,
            Villages.Xiaoniuzhuang, Villages.Xiaoniuzhuang, Villages.Xiaoniuzhuang, Villages.Simazhuang, Villages.Xicheng);
        // People the registry has never met, registered on the spot where they are sampled.
        people.AddRange(Enumerable.Range(0, Scans.Strangers).Select(_ => People.NewId(130922, 1990)));

        var random = new Random(kind == StoreKind.Sqlite ? 5 : 7);
        var scans = new Scans(world, random, sites, people);
        for (var step = 0; step < 120; step++)
        {
            // The codes in play move along, so that older tubes and boxes finish their custody and newer ones fill.
            scans.Window = step;
            await scans.SendAsync(random.Next(1, 9));
            if (step % 8 == 7)
            {
                await scans.FinishAsync();
            }
        }
        Assert.True(scans.Accepted > 80, $"only {scans.Accepted} scans were accepted: {scans.Kinds}");
        Assert.True(scans.EveryAction, $"not every action was accepted at least once: {scans.Kinds}");
        Assert.True(scans.Refused > 20, $"only {scans.Refused} scans were refused");

        // What "people sampled" stands on: of a person's standing samples in a round, exactly one is not a repeat.
        await using (var connection = await app.Store.OpenAsync())
        {
            var counted = await connection.QueryAsync<(long Resident, long NotRepeats)>(
                "SELECT resident_id, SUM(CASE WHEN repeat_in_round THEN 0 ELSE 1 END) FROM samples WHERE removed = @no GROUP BY resident_id", new { no = false });
            Assert.All(counted, c => Assert.Equal(1, c.NotRepeats));
        }
        var counters = app.Get<Counters>();
        var tree = app.Get<DivisionDirectory>().Tree;
        await Until.PassesAsync(async () =>
        {
            Compare(counters, tree, world.RoundId, await FromEventsAsync(app.Store, counters.Layout), "recount from the stored events");
            Compare(counters, tree, world.RoundId, await FromTablesAsync(app.Store, counters.Layout), "recount from the state tables");
        });
        Assert.True(counters.Board.Read(Period.Round(world.RoundId), People.Qingxian, counters.Layout.Find(SamplingCounters.People)!.Value) > 0);

        // A restart recounts from the store: the same numbers.
        await using var again = await app.RestartAsync();
        var rebuilt = again.Services.GetRequiredService<Counters>();
        Compare(rebuilt, tree, world.RoundId, await FromEventsAsync(app.Store, rebuilt.Layout), "rebuilt, against the stored events");
        Compare(rebuilt, tree, world.RoundId, await FromTablesAsync(app.Store, rebuilt.Layout), "rebuilt, against the state tables");
        await again.StopAsync();
    }

    /// <summary>Random scans, many of them refused: codes, people and steps picked blindly, some sent again under their old client id.</summary>
    [SuppressMessage("Security", "CA5394", Justification = "Seeded Random makes the same synthetic data every run; nothing here is secret.")]
    private sealed class Scans(SamplingWorld world, Random random, List<long> sites, List<string> people)
    {
        private readonly List<(HttpClient Client, Dictionary<string, object?> Scan)> _sent = [];
        private long _at = DateTimeOffset.UtcNow.AddHours(-3).ToUnixTimeMilliseconds();

        private readonly Dictionary<string, int> _kinds = [];
        private readonly Dictionary<string, string> _tubeBox = [];

        public int Accepted { get; private set; }

        public int Window { get; set; }

        /// <summary>Accepted scans per action, for a failure message.</summary>
        public string Kinds => string.Join(", ", _kinds.Select(k => $"{k.Key} {k.Value}"));
        public int Refused { get; private set; }

        private static readonly string[] Results = ["negative", "negative", "positive", "invalid"];
        private static readonly int[] Capacities = [1, 5, 10];

        private T Pick<T>(IReadOnlyList<T> list) => list[random.Next(list.Count)];

        public bool EveryAction => _kinds.Count == 10;

        /// <summary>
        /// Pushes the boxes and tubes in play through the rest of custody in one batch per role (seal every tube,
        /// seal, pick up, hand over, receive, result), as far as each gets: random scans alone seldom seal a box.
        /// </summary>
        public async Task FinishAsync()
        {
            var boxes = world.Boxes.Skip(Window / 20).Take(3).ToList();
            var box = Pick(boxes);
            var tubes = _tubeBox.Where(t => t.Value == box).Select(t => t.Key).ToList();
            // An empty tube cannot be sealed, nor its box: everyone gets one more person first (refused where full or sealed).
            await SendAsync([.. tubes.Select(tube => (world.Admin, Scan("sample.add", ("tube", tube), ("person", Pick(people))))),
                .. tubes.Select(tube => (world.Admin, Scan("tube.seal", ("tube", tube)))), (world.Admin, Scan("box.seal", ("box", box)))]);
            await SendAsync([(world.Courier, Scan("box.pickup", ("box", box))), (world.Courier, Scan("box.handover", ("box", box), ("to", "lab")))]);
            await SendAsync([(world.Lab, Scan("box.receive", ("box", box))), .. tubes.Select(tube => (world.Lab, Scan("tube.result", ("tube", tube), ("result", Pick(Results)))))]);
        }

        private Dictionary<string, object?> Scan(string action, params (string Name, object Value)[] fields)
        {
            var scan = new Dictionary<string, object?> { ["action"] = action, ["clientId"] = world.NextClientId() };
            foreach (var (name, value) in fields)
            {
                scan[name] = value;
            }
            return scan;
        }

        private (HttpClient, Dictionary<string, object?>) Next()
        {
            if (_sent.Count > 0 && random.Next(8) == 0)
            {
                // A phone retrying: the same client id, even with a changed body, is the first scan's answer.
                var (client, old) = Pick(_sent);
                return (client, new Dictionary<string, object?>(old) { ["tube"] = Pick(world.Tubes.Take(10).ToList()) });
            }
            var box = Pick(world.Boxes.Skip(Window / 20).Take(3).ToList());
            var tube = Pick(world.Tubes.Skip(Window / 5).Take(6).ToList());
            var (who, scan) = random.Next(20) switch
            {
                0 or 1 => (world.Admin, new Dictionary<string, object?> { ["action"] = "box.open", ["box"] = box, ["roundId"] = world.RoundId, ["siteId"] = Pick(sites) }),
                2 or 3 => (world.Admin, new() { ["action"] = "tube.open", ["box"] = box, ["tube"] = tube, ["capacity"] = Pick(Capacities) }),
                4 or 5 or 6 or 7 or 8 or 9 => (world.Admin, AddScan(tube, Pick(people))),
                10 => (world.Admin, new() { ["action"] = "sample.remove_last", ["tube"] = tube }),
                11 => (world.Admin, new() { ["action"] = "tube.seal", ["tube"] = tube }),
                12 => (world.Admin, new() { ["action"] = "box.seal", ["box"] = box }),
                13 => (world.Courier, new() { ["action"] = "box.pickup", ["box"] = box }),
                14 => (world.Courier, new() { ["action"] = "box.handover", ["box"] = box, ["to"] = "lab" }),
                15 or 16 => (world.Lab, new() { ["action"] = "box.receive", ["box"] = box }),
                _ => (world.Lab, new() { ["action"] = "tube.result", ["tube"] = tube, ["result"] = Pick(Results) }),
            };
            scan["clientId"] = world.NextClientId();
            return (who, scan);
        }

        /// <summary>A person added to a tube; the ones the registry has not met give a name and phone, as at the site (a few forget).</summary>
        private Dictionary<string, object?> AddScan(string tube, string person)
        {
            var scan = new Dictionary<string, object?> { ["action"] = "sample.add", ["tube"] = tube, ["person"] = person };
            if (people.IndexOf(person) >= people.Count - Strangers && random.Next(4) != 0)
            {
                scan["name"] = "王小明";
                scan["phone"] = "13912345678";
            }
            return scan;
        }

        public const int Strangers = 6;

        /// <summary>A run of scans: one at a time, or together through the batch endpoint so they share a commit.</summary>
        public Task SendAsync(int count) => SendAsync(Enumerable.Range(0, count).Select(_ => Next()).ToList());

        private async Task SendAsync(List<(HttpClient, Dictionary<string, object?>)> run)
        {
            foreach (var (_, scan) in run)
            {
                _at += random.Next(1_000, 10_000);
                scan["at"] = _at;
            }
            foreach (var group in run.GroupBy(r => r.Item1))
            {
                var scans = group.Select(r => r.Item2).ToList();
                var response = await group.Key.PostAsJsonAsync("/api/v1/scans/batch", scans);
                Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
                foreach (var (outcome, scan) in (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Zip(scans))
                {
                    if (outcome.GetProperty("accepted").GetBoolean())
                    {
                        Accepted++;
                        _kinds[(string)scan["action"]!] = _kinds.GetValueOrDefault((string)scan["action"]!) + 1;
                        if ((string)scan["action"]! == "tube.open")
                        {
                            _tubeBox[(string)scan["tube"]!] = (string)scan["box"]!;
                        }
                    }
                    else
                    {
                        Refused++;
                    }
                }
                _sent.AddRange(scans.Select(s => (group.Key, s)));
            }
        }
    }

    /// <summary>What a division is counted for, before rolling up: (leaf division, metric) → value, and (leaf division, bucket) → samples.</summary>
    private sealed class Tally
    {
        public Dictionary<(long Division, int Metric), long> Values { get; } = [];
        public Dictionary<(long Division, long Bucket), long> Series { get; } = [];

        public void Add(long division, int metric, long amount = 1) =>
            Values[(division, metric)] = Values.GetValueOrDefault((division, metric)) + amount;
    }

    private sealed class BoxRow
    {
        public string Code { get; set; } = "";
        public long RoundId { get; set; }
        public long Division { get; set; }
        public string State { get; set; } = "";
    }

    private sealed class TubeRow
    {
        public string Code { get; set; } = "";
        public string BoxCode { get; set; } = "";
        public long RoundId { get; set; }
        public long Division { get; set; }
        public long Capacity { get; set; }
        public string State { get; set; } = "";
        public long? SealedAt { get; set; }
        public long? ReceivedAt { get; set; }
        public long? ResultedAt { get; set; }
        public string? Result { get; set; }
    }

    private sealed class SampleRow
    {
        public long Seq { get; set; }
        public string TubeCode { get; set; } = "";
        public long ResidentId { get; set; }
        public long Division { get; set; }
        public long RoundId { get; set; }
        public long SampledAt { get; set; }
        public bool Removed { get; set; }
        public string? Result { get; set; }
    }

    [SuppressMessage("Performance", "CA1812", Justification = "Dapper makes the rows.")]
    private sealed class EventRow
    {
        public long Seq { get; init; }
        public string Kind { get; init; } = "";
        public long At { get; init; }
        public string Payload { get; init; } = "";
        public string Outcome { get; init; } = "";
    }

    /// <summary>Replays the accepted events of the log by the custody rules' outcomes, knowing nothing of the handler's state.</summary>
    private static async Task<Tally> FromEventsAsync(Store store, CounterLayout layout)
    {
        await using var connection = await store.OpenAsync();
        var events = await connection.QueryAsync<EventRow>("SELECT seq, kind, at, payload, outcome FROM events WHERE accepted = @yes ORDER BY seq", new { yes = true });
        var siteDivision = (await connection.QueryAsync<(long, long)>("SELECT id, division FROM sites")).ToDictionary(r => r.Item1, r => r.Item2);
        var residence = (await connection.QueryAsync<(long, long)>("SELECT id, division FROM residents")).ToDictionary(r => r.Item1, r => r.Item2);
        var boxes = new Dictionary<string, BoxRow>();
        var tubes = new Dictionary<string, TubeRow>();
        var samples = new List<SampleRow>();
        foreach (var e in events)
        {
            using var payload = JsonDocument.Parse(e.Payload);
            using var outcome = JsonDocument.Parse(e.Outcome);
            var p = payload.RootElement;
            string Text(string name) => p.GetProperty(name).GetString()!;
            switch (e.Kind)
            {
                case "box.open":
                    if (!boxes.ContainsKey(Text("box")))
                    {
                        boxes[Text("box")] = new BoxRow { Code = Text("box"), RoundId = p.GetProperty("roundId").GetInt64(), Division = siteDivision[p.GetProperty("siteId").GetInt64()], State = "open" };
                    }
                    break;
                case "tube.open":
                    if (!tubes.ContainsKey(Text("tube")))
                    {
                        var box = boxes[Text("box")];
                        tubes[Text("tube")] = new TubeRow { Code = Text("tube"), BoxCode = box.Code, RoundId = box.RoundId, Division = box.Division, Capacity = p.GetProperty("capacity").GetInt64(), State = "open" };
                    }
                    break;
                case "sample.add":
                    {
                        var tube = tubes[Text("tube")];
                        var resident = outcome.RootElement.GetProperty("b").GetProperty("residentId").GetInt64();
                        samples.Add(new SampleRow { Seq = e.Seq, TubeCode = tube.Code, ResidentId = resident, Division = residence[resident], RoundId = tube.RoundId, SampledAt = e.At });
                        break;
                    }
                case "sample.remove_last":
                    samples.Where(x => x.TubeCode == Text("tube") && !x.Removed).MaxBy(x => (x.SampledAt, x.Seq))!.Removed = true;
                    break;
                case "tube.seal":
                    tubes[Text("tube")].State = "sealed";
                    tubes[Text("tube")].SealedAt = e.At;
                    break;
                case "box.seal":
                    boxes[Text("box")].State = "sealed";
                    foreach (var tube in tubes.Values.Where(t => t.BoxCode == Text("box")))
                    {
                        tube.State = "boxed";
                    }
                    break;
                case "box.pickup":
                    boxes[Text("box")].State = "in_transit";
                    break;
                case "box.receive":
                    boxes[Text("box")].State = "received";
                    foreach (var tube in tubes.Values.Where(t => t.BoxCode == Text("box")))
                    {
                        tube.State = "received";
                        tube.ReceivedAt = e.At;
                    }
                    break;
                case "tube.result":
                    {
                        var tube = tubes[Text("tube")];
                        if (tube.State == "resulted")
                        {
                            break;
                        }
                        tube.State = "resulted";
                        tube.Result = Text("result");
                        tube.ResultedAt = e.At;
                        var personal = tube.Result == "positive" && tube.Capacity > 1 ? "mixed_positive" : tube.Result;
                        foreach (var sample in samples.Where(x => x.TubeCode == tube.Code && !x.Removed))
                        {
                            sample.Result = personal;
                        }
                        if (boxes[tube.BoxCode].State == "received")
                        {
                            boxes[tube.BoxCode].State = "testing";
                        }
                        // The box's last tube with a result finishes it.
                        if (tubes.Values.Where(t => t.BoxCode == tube.BoxCode).All(t => t.State == "resulted"))
                        {
                            boxes[tube.BoxCode].State = "done";
                        }
                        break;
                    }
            }
        }
        return Count(layout, boxes.Values, tubes.Values, samples, await ResidentsAsync(store));
    }

    private static async Task<Tally> FromTablesAsync(Store store, CounterLayout layout)
    {
        await using var connection = await store.OpenAsync();
        var boxes = await connection.QueryAsync<BoxRow>("SELECT code, round_id AS RoundId, division, state FROM boxes");
        var tubes = await connection.QueryAsync<TubeRow>(
            "SELECT code, box_code AS BoxCode, round_id AS RoundId, division, capacity, state, sealed_at AS SealedAt, received_at AS ReceivedAt, resulted_at AS ResultedAt, result FROM tubes");
        var samples = await connection.QueryAsync<SampleRow>(
            "SELECT id AS Seq, tube_code AS TubeCode, resident_id AS ResidentId, division, round_id AS RoundId, sampled_at AS SampledAt, removed, result FROM samples");
        return Count(layout, boxes.AsList(), tubes.AsList(), samples.AsList(), await ResidentsAsync(store));
    }

    private static async Task<List<(long Division, long Count)>> ResidentsAsync(Store store)
    {
        await using var connection = await store.OpenAsync();
        return (await connection.QueryAsync<(long, long)>("SELECT division, COUNT(*) FROM residents GROUP BY division")).ToList();
    }

    /// <summary>The dashboard's numbers by their definitions, straight from rows: people are distinct residents with a standing sample.</summary>
    private static Tally Count(CounterLayout layout, IReadOnlyCollection<BoxRow> boxes, IReadOnlyCollection<TubeRow> tubes, IReadOnlyCollection<SampleRow> samples, List<(long Division, long Count)> residents)
    {
        int M(string name) => layout.Find(name)!.Value.Index;
        var tally = new Tally();
        foreach (var box in boxes)
        {
            tally.Add(box.Division, M("boxes." + box.State));
        }
        foreach (var tube in tubes)
        {
            tally.Add(tube.Division, M("tubes." + tube.State));
            if (tube.Result is { } result)
            {
                tally.Add(tube.Division, M("tubes_result." + (result == "positive" && tube.Capacity > 1 ? "mixed_positive" : result)));
            }
            void Observe(string name, long? from, long? to)
            {
                if (from is { } a && to is { } b)
                {
                    var histogram = layout.FindHistogram(name)!;
                    tally.Add(tube.Division, histogram.First + histogram.BinOf(b - a));
                }
            }
            Observe(SamplingCounters.ToLab, tube.SealedAt, tube.ReceivedAt);
            Observe(SamplingCounters.InLab, tube.ReceivedAt, tube.ResultedAt);
            Observe(SamplingCounters.Total, tube.SealedAt, tube.ResultedAt);
        }
        var standing = samples.Where(s => !s.Removed).ToList();
        var tubesByCode = tubes.ToDictionary(t => t.Code);
        foreach (var sample in standing)
        {
            tally.Add(sample.Division, M(SamplingCounters.Samples));
            tally.Series[(sample.Division, sample.SampledAt / SamplingCounters.TenMinutes)] = tally.Series.GetValueOrDefault((sample.Division, sample.SampledAt / SamplingCounters.TenMinutes)) + 1;
            if (sample.Result is { } result)
            {
                tally.Add(sample.Division, M("results." + result));
            }
            if (tubesByCode[sample.TubeCode].State == "received")
            {
                tally.Add(tubesByCode[sample.TubeCode].Division, M(SamplingCounters.LabBacklogPeople));
            }
        }
        // A person sampled twice in the round counts once, where their earliest standing sample says they live.
        foreach (var person in standing.GroupBy(s => (s.RoundId, s.ResidentId)))
        {
            tally.Add(person.OrderBy(s => s.SampledAt).ThenBy(s => s.Seq).First().Division, M(SamplingCounters.People));
        }
        foreach (var (division, count) in residents)
        {
            tally.Add(division, M(ResidentCounters.Residents), count);
        }
        return tally;
    }

    /// <summary>A code and the codes of the divisions above it, by the code's own digits (township, county, city, province).</summary>
    private static IEnumerable<long> Up(long code) =>
        new[] { code, code / 1_000 * 1_000, code / 1_000_000 * 1_000_000, code / 100_000_000 * 100_000_000, code / 10_000_000_000 * 10_000_000_000 }.Distinct();

    /// <summary>Every division of the city, every metric and every series bucket: the board against the tally rolled up by code.</summary>
    private static void Compare(Counters counters, DivisionTree tree, long roundId, Tally expected, string what)
    {
        var board = counters.Board;
        var layout = counters.Layout;
        var series = layout.FindSeries(SamplingCounters.PerTenMinutes)!;
        var values = new Dictionary<(long, int), long>();
        foreach (var ((division, metric), value) in expected.Values)
        {
            foreach (var code in Up(division))
            {
                values[(code, metric)] = values.GetValueOrDefault((code, metric)) + value;
            }
        }
        var buckets = new Dictionary<long, Dictionary<long, long>>();
        foreach (var ((division, bucket), value) in expected.Series)
        {
            foreach (var code in Up(division))
            {
                var line = buckets.TryGetValue(code, out var l) ? l : buckets[code] = [];
                line[bucket] = line.GetValueOrDefault(bucket) + value;
            }
        }
        var compared = 0;
        foreach (var division in tree.Descendants(People.Cangzhou))
        {
            var round = board.ReadAll(Period.Round(roundId), division.Code);
            var always = board.ReadAll(Period.Always, division.Code);
            foreach (var metric in layout.Metrics)
            {
                var want = values.GetValueOrDefault((division.Code, metric.Index));
                var have = metric.Kind == PeriodKind.Always ? always[metric.Index] : round[metric.Index];
                Assert.True(want == have, $"{what}: {metric.Name} of {division.Name} ({division.Code}) is {have}, recount says {want}");
                compared++;
            }
            var (from, line2) = board.ReadSeries(Period.Round(roundId), division.Code, series);
            var haveSeries = line2.Select((v, i) => (Bucket: from + i, Count: v)).Where(b => b.Count != 0).OrderBy(b => b.Bucket).ToList();
            var wantSeries = (buckets.GetValueOrDefault(division.Code) ?? []).Where(b => b.Value != 0).OrderBy(b => b.Key).Select(b => (Bucket: b.Key, Count: b.Value)).ToList();
            Assert.True(wantSeries.SequenceEqual(haveSeries), $"{what}: samples per 10 minutes of {division.Name} are [{string.Join(", ", haveSeries)}], recount says [{string.Join(", ", wantSeries)}]");
        }
        Assert.True(compared > 6_000 * layout.MetricCount);
    }
}
