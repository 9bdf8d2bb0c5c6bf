using System.Data.Common;
using Dapper;
using Fangyi.Core.Ingest;
using Fangyi.Core.Storage;
using Fangyi.Features.Residents;
using Npgsql;

namespace Fangyi.Features.Sampling;

/// <summary>
/// Applies sampling and custody scans in batches. For each run of scans it reads the boxes, tubes, samples,
/// rounds, sites and people involved in a handful of queries, applies the scans in order against that state
/// (so ten people added to one tube in one batch see each other), and writes what changed. Every rule of the
/// chain of custody is enforced here, on the server, whatever the phone believed.
/// </summary>
public sealed class SamplingHandler : IIngestHandler
{
    public IReadOnlyCollection<string> Kinds => ScanKinds.All;

    public sealed record Added(string Tube, int Count, int Capacity, bool Full, bool RepeatInRound, long ResidentId, string Name, string IdMasked);
    public sealed record TubeView(string Tube, string Box, int Count, int Capacity, string State);
    public sealed record BoxView(string Box, int Tubes, int People, string State, string? Discrepancy = null);
    public sealed record TubeResultView(string Tube, string Result, int People, int RetestTasks);

    internal sealed class BoxRow
    {
        public string Code { get; set; } = "";
        public long RoundId { get; set; }
        public long SiteId { get; set; }
        public long Division { get; set; }
        public string State { get; set; } = "";
        public long Tubes { get; set; }
        public long People { get; set; }
        public long OpenedAt { get; set; }
        public long? SealedAt { get; set; }
        public long? PickedAt { get; set; }
        public long? ReceivedAt { get; set; }
        public long? ReceivedTubes { get; set; }
        public string? Discrepancy { get; set; }
        public bool IsNew { get; set; }
        public bool Dirty { get; set; }
    }

    internal sealed class TubeRow
    {
        public string Code { get; set; } = "";
        public string BoxCode { get; set; } = "";
        public long RoundId { get; set; }
        public long SiteId { get; set; }
        public long Division { get; set; }
        public long Capacity { get; set; }
        public long People { get; set; }
        public string State { get; set; } = "";
        public long OpenedAt { get; set; }
        public long? SealedAt { get; set; }
        public long? ReceivedAt { get; set; }
        public long? ResultedAt { get; set; }
        public string? Result { get; set; }
        public double? Ct { get; set; }
        public bool IsNew { get; set; }
        public bool Dirty { get; set; }
        public List<SampleRow> Samples { get; } = [];
    }

    internal sealed class SampleRow
    {
        public long Id { get; set; }
        public string TubeCode { get; set; } = "";
        public long ResidentId { get; set; }
        public long Division { get; set; }
        public long RoundId { get; set; }
        public long SampledAt { get; set; }
        public bool Removed { get; set; }
        public bool RepeatInRound { get; set; }
        public string? Result { get; set; }
        public long? ResultedAt { get; set; }
        public bool IsNew { get; set; }
        public bool Dirty { get; set; }
    }

    private sealed record SampledRow
    {
        public long RoundId { get; init; }
        public long ResidentId { get; init; }
        public string TubeCode { get; init; } = "";
    }

    private sealed record RoundRow
    {
        public long Id { get; init; }
        public long Division { get; init; }
        public long StartsAt { get; init; }
        public long EndsAt { get; init; }
    }

    private sealed record SiteRow
    {
        public long Id { get; init; }
        public long Division { get; init; }
    }

    private sealed record Person
    {
        public long Id { get; init; }
        public byte[]? IdHash { get; init; }
        public byte[]? Subject { get; init; }
        public string Name { get; init; } = "";
        public string IdMasked { get; init; } = "";
        public long Division { get; init; }
    }

    private sealed record Task(long ResidentId, long Division, string Tube, string Reason);

    private sealed class State
    {
        public Dictionary<string, BoxRow> Boxes { get; } = [];
        public Dictionary<string, TubeRow> Tubes { get; } = [];
        public Dictionary<long, RoundRow> Rounds { get; } = [];
        public Dictionary<long, SiteRow> Sites { get; } = [];
        public HashSet<(long Site, long Account)> Members { get; } = [];
        public Dictionary<string, Person> ByHash { get; } = [];
        public Dictionary<string, Person> BySubject { get; } = [];
        public HashSet<(long Round, long Resident)> SampledInRound { get; } = [];
        public HashSet<(string Tube, long Resident)> InTube { get; } = [];
        public List<Task> Tasks { get; } = [];

        /// <summary>Other samples of the round of people being taken out of a tube, from tubes the batch did not load.</summary>
        public List<SampleRow> Elsewhere { get; } = [];
    }

    public async System.Threading.Tasks.Task ApplyAsync(IngestBatch batch, IReadOnlyList<PendingItem> items, CancellationToken ct)
    {
        var state = await LoadAsync(batch, items, ct);
        foreach (var item in items)
        {
            Apply(state, item, batch.Now);
        }
        await WriteAsync(batch, state, ct);
    }

    private static void Apply(State s, PendingItem item, long now)
    {
        var at = item.Item.At;
        switch (item.Item.Payload)
        {
            case OpenBox open:
                {
                    if (!s.Rounds.TryGetValue(open.RoundId, out var round))
                    {
                        item.Refuse(SamplingProblems.RoundUnknown);
                        return;
                    }
                    if (now < round.StartsAt || now > round.EndsAt)
                    {
                        item.Refuse(SamplingProblems.RoundClosed);
                        return;
                    }
                    if (!s.Sites.TryGetValue(open.SiteId, out var site))
                    {
                        item.Refuse(SamplingProblems.SiteUnknown);
                        return;
                    }
                    if (!Core.Jurisdiction.Scope.Of(round.Division).Contains(site.Division))
                    {
                        item.Refuse(SamplingProblems.SiteOutsideRound);
                        return;
                    }
                    if (!open.Scope.Contains(site.Division) && !s.Members.Contains((site.Id, open.AccountId)))
                    {
                        item.Refuse(SamplingProblems.NotYourSite);
                        return;
                    }
                    if (s.Boxes.TryGetValue(open.Box, out var box))
                    {
                        // Opening the box one is already filling resumes it (a phone that lost its screen).
                        if (box.State != BoxStates.Open || box.SiteId != open.SiteId || box.RoundId != open.RoundId)
                        {
                            item.Refuse(box.State == BoxStates.Open ? SamplingProblems.BoxInUse : SamplingProblems.BoxNotOpen);
                            return;
                        }
                    }
                    else
                    {
                        box = new BoxRow { Code = open.Box, RoundId = open.RoundId, SiteId = open.SiteId, Division = site.Division, State = BoxStates.Open, OpenedAt = at, IsNew = true };
                        s.Boxes[open.Box] = box;
                        item.Note(new BoxOpened(box.RoundId, box.Division));
                    }
                    item.Accept(new BoxView(box.Code, (int)box.Tubes, (int)box.People, box.State), box.IsNew ? 201 : 200);
                    return;
                }
            case OpenTube open:
                {
                    if (!s.Boxes.TryGetValue(open.Box, out var box))
                    {
                        item.Refuse(SamplingProblems.BoxUnknown);
                        return;
                    }
                    if (!Allowed(s, open, box))
                    {
                        item.Refuse(SamplingProblems.BoxUnknown);
                        return;
                    }
                    if (s.Tubes.TryGetValue(open.Tube, out var tube))
                    {
                        if (tube.BoxCode != open.Box)
                        {
                            item.Refuse(SamplingProblems.TubeInOtherBox);
                            return;
                        }
                        if (tube.State != TubeStates.Open)
                        {
                            item.Refuse(SamplingProblems.TubeSealed);
                            return;
                        }
                        item.Accept(new TubeView(tube.Code, tube.BoxCode, (int)tube.People, (int)tube.Capacity, tube.State));
                        return;
                    }
                    if (box.State != BoxStates.Open)
                    {
                        item.Refuse(SamplingProblems.BoxNotOpen);
                        return;
                    }
                    tube = new TubeRow
                    {
                        Code = open.Tube, BoxCode = box.Code, RoundId = box.RoundId, SiteId = box.SiteId, Division = box.Division,
                        Capacity = open.Capacity, State = TubeStates.Open, OpenedAt = at, IsNew = true,
                    };
                    s.Tubes[open.Tube] = tube;
                    box.Tubes++;
                    box.Dirty = true;
                    item.Note(new TubeOpened(tube.RoundId, tube.Division));
                    item.Accept(new TubeView(tube.Code, tube.BoxCode, 0, (int)tube.Capacity, tube.State), 201);
                    return;
                }
            case AddPerson add:
                {
                    if (!OpenTubeOf(s, item, add, add.Tube, out var tube, out var box))
                    {
                        return;
                    }
                    if (tube.People >= tube.Capacity)
                    {
                        item.Refuse(SamplingProblems.TubeFull);
                        return;
                    }
                    var person = Find(s, add.Person);
                    if (person is null)
                    {
                        item.Refuse(SamplingProblems.PersonUnknown);
                        return;
                    }
                    if (!s.InTube.Add((tube.Code, person.Id)))
                    {
                        item.Refuse(SamplingProblems.PersonInTube);
                        return;
                    }
                    var repeat = !s.SampledInRound.Add((tube.RoundId, person.Id));
                    tube.Samples.Add(new SampleRow
                    {
                        TubeCode = tube.Code, ResidentId = person.Id, Division = person.Division, RoundId = tube.RoundId,
                        SampledAt = at, RepeatInRound = repeat, IsNew = true,
                    });
                    tube.People++;
                    tube.Dirty = true;
                    box.People++;
                    box.Dirty = true;
                    item.Note(new PersonSampled(tube.RoundId, tube.Division, person.Division, at, FirstInRound: !repeat));
                    item.Accept(new Added(tube.Code, (int)tube.People, (int)tube.Capacity, tube.People == tube.Capacity, repeat, person.Id, ResidentRules.MaskName(person.Name), person.IdMasked), 201);
                    return;
                }
            case RemoveLast remove:
                {
                    if (!OpenTubeOf(s, item, remove, remove.Tube, out var tube, out var box))
                    {
                        return;
                    }
                    // The latest; among samples of the same millisecond, one added in this batch (no id yet) is the later.
                    var last = tube.Samples.Where(x => !x.Removed).MaxBy(x => (x.SampledAt, x.IsNew ? long.MaxValue : x.Id, tube.Samples.IndexOf(x)));
                    if (last is null)
                    {
                        item.RefuseForNow(SamplingProblems.TubeEmpty);
                        return;
                    }
                    last.Removed = true;
                    last.Dirty = true;
                    s.InTube.Remove((tube.Code, last.ResidentId));
                    item.Note(Unsample(s, tube, last));
                    tube.People--;
                    tube.Dirty = true;
                    box.People--;
                    box.Dirty = true;
                    item.Accept(new TubeView(tube.Code, tube.BoxCode, (int)tube.People, (int)tube.Capacity, tube.State));
                    return;
                }
            case SealTube seal:
                {
                    if (!OpenTubeOf(s, item, seal, seal.Tube, out var tube, out _))
                    {
                        return;
                    }
                    if (tube.People == 0)
                    {
                        item.RefuseForNow(SamplingProblems.TubeEmpty);
                        return;
                    }
                    tube.State = TubeStates.Sealed;
                    tube.SealedAt = at;
                    tube.Dirty = true;
                    item.Note(new TubeSealed(tube.RoundId, tube.Division));
                    item.Accept(new TubeView(tube.Code, tube.BoxCode, (int)tube.People, (int)tube.Capacity, tube.State));
                    return;
                }
            case SealBox seal:
                {
                    if (!s.Boxes.TryGetValue(seal.Box, out var box))
                    {
                        item.Refuse(SamplingProblems.BoxUnknown);
                        return;
                    }
                    if (!Allowed(s, seal, box))
                    {
                        item.Refuse(SamplingProblems.BoxUnknown);
                        return;
                    }
                    if (box.State != BoxStates.Open)
                    {
                        item.Refuse(SamplingProblems.BoxAlreadySealed);
                        return;
                    }
                    var tubes = s.Tubes.Values.Where(t => t.BoxCode == box.Code).ToList();
                    if (tubes.Count == 0)
                    {
                        item.RefuseForNow(SamplingProblems.BoxEmpty);
                        return;
                    }
                    if (tubes.Any(t => t.State == TubeStates.Open))
                    {
                        item.RefuseForNow(SamplingProblems.BoxHasOpenTube);
                        return;
                    }
                    box.State = BoxStates.Sealed;
                    box.SealedAt = at;
                    box.Dirty = true;
                    item.Note(new BoxSealed(box.RoundId, box.Division, tubes.Count));
                    foreach (var tube in tubes)
                    {
                        tube.State = TubeStates.Boxed;
                        tube.Dirty = true;
                    }
                    item.Accept(new BoxView(box.Code, (int)box.Tubes, (int)box.People, box.State));
                    return;
                }
            case PickUp pick:
                {
                    if (!CustodyBox(s, item, pick, pick.Box, out var box))
                    {
                        return;
                    }
                    if (box.State == BoxStates.Open)
                    {
                        item.RefuseForNow(SamplingProblems.BoxNotSealed);
                        return;
                    }
                    if (box.State != BoxStates.Sealed)
                    {
                        item.Refuse(box.State == BoxStates.InTransit ? SamplingProblems.BoxNotSealed.WithDetail("该箱已在转运中") : SamplingProblems.BoxAlreadyReceived);
                        return;
                    }
                    box.State = BoxStates.InTransit;
                    box.PickedAt = at;
                    box.Dirty = true;
                    item.Note(new BoxPickedUp(box.RoundId, box.Division));
                    item.Accept(new BoxView(box.Code, (int)box.Tubes, (int)box.People, box.State));
                    return;
                }
            case HandOver hand:
                {
                    if (!CustodyBox(s, item, hand, hand.Box, out var box))
                    {
                        return;
                    }
                    if (box.State != BoxStates.InTransit)
                    {
                        // Not yet picked up may change; received or testing will not.
                        if (box.State is BoxStates.Open or BoxStates.Sealed)
                        {
                            item.RefuseForNow(SamplingProblems.BoxNotInTransit);
                            return;
                        }
                        item.Refuse(SamplingProblems.BoxNotInTransit);
                        return;
                    }
                    item.Accept(new BoxView(box.Code, (int)box.Tubes, (int)box.People, box.State));
                    return;
                }
            case Receive receive:
                {
                    if (!CustodyBox(s, item, receive, receive.Box, out var box))
                    {
                        return;
                    }
                    if (box.State is BoxStates.Open)
                    {
                        item.RefuseForNow(SamplingProblems.BoxNotSealed);
                        return;
                    }
                    if (box.State is BoxStates.Sealed)
                    {
                        // The courier's pick-up scan is a link of the chain; a box cannot skip it.
                        item.RefuseForNow(SamplingProblems.BoxNotPickedUp);
                        return;
                    }
                    if (box.State is BoxStates.Received or BoxStates.Testing)
                    {
                        item.Refuse(SamplingProblems.BoxAlreadyReceived);
                        return;
                    }
                    box.State = BoxStates.Received;
                    box.ReceivedAt = at;
                    box.ReceivedTubes = receive.TubesCounted ?? box.Tubes;
                    if (box.ReceivedTubes != box.Tubes)
                    {
                        box.Discrepancy = $"箱内登记{box.Tubes}管，实收{box.ReceivedTubes}管";
                    }
                    box.Dirty = true;
                    var received = new List<ReceivedTube>();
                    foreach (var tube in s.Tubes.Values.Where(t => t.BoxCode == box.Code))
                    {
                        received.Add(new ReceivedTube(tube.State, tube.SealedAt, (int)tube.People));
                        tube.State = TubeStates.Received;
                        tube.ReceivedAt = at;
                        tube.Dirty = true;
                    }
                    item.Note(new BoxReceived(box.RoundId, box.Division, at, received));
                    item.Accept(new BoxView(box.Code, (int)box.Tubes, (int)box.People, box.State, box.Discrepancy));
                    return;
                }
            case TubeResult result:
                {
                    if (!s.Tubes.TryGetValue(result.Tube, out var tube))
                    {
                        item.Refuse(SamplingProblems.TubeUnknown);
                        return;
                    }
                    if (!result.Scope.Contains(tube.Division))
                    {
                        item.Refuse(SamplingProblems.TubeUnknown);
                        return;
                    }
                    if (tube.State == TubeStates.Resulted)
                    {
                        if (tube.Result != result.Result)
                        {
                            item.Refuse(SamplingProblems.ResultConflict.WithDetail($"已有结果：{SampleResults.Names.GetValueOrDefault(tube.Result ?? "", tube.Result ?? "")}"));
                            return;
                        }
                        item.Accept(new TubeResultView(tube.Code, result.Result, (int)tube.People, 0));
                        return;
                    }
                    if (tube.State != TubeStates.Received)
                    {
                        // Receipt may still come: the lab enters the same result again then (see RefuseForNow).
                        item.RefuseForNow(SamplingProblems.TubeNotReceived);
                        return;
                    }
                    var receivedAt = tube.ReceivedAt;
                    var tasks = ApplyResult(s, tube, result, at);
                    var toTesting = false;
                    if (s.Boxes.TryGetValue(tube.BoxCode, out var box) && box.State == BoxStates.Received)
                    {
                        box.State = BoxStates.Testing;
                        box.Dirty = true;
                        toTesting = true;
                    }
                    item.Note(new TubeResulted(tube.RoundId, tube.Division, result.Result, tube.Capacity > 1, at, tube.SealedAt, receivedAt, (int)tube.People, toTesting,
                        tube.Samples.Where(x => !x.Removed).Select(x => new PersonResult(x.ResidentId, x.Division, x.SampledAt, x.Result!)).ToList()));
                    item.Accept(new TubeResultView(tube.Code, result.Result, (int)tube.People, tasks));
                    return;
                }
        }
    }

    /// <summary>
    /// A result reaches everyone in the tube. A positive mixed tube puts each person into "mixed-positive,
    /// awaiting single-tube retest" with a retest task in their village; a positive single tube is positive;
    /// an invalid tube asks for everyone to be sampled again.
    /// </summary>
    private static int ApplyResult(State s, TubeRow tube, TubeResult result, long at)
    {
        tube.State = TubeStates.Resulted;
        tube.Result = result.Result;
        tube.Ct = result.Ct;
        tube.ResultedAt = at;
        tube.Dirty = true;
        var personal = result.Result switch
        {
            SampleResults.Positive when tube.Capacity > 1 => SampleResults.MixedPositive,
            _ => result.Result,
        };
        var tasks = 0;
        foreach (var sample in tube.Samples.Where(x => !x.Removed))
        {
            sample.Result = personal;
            sample.ResultedAt = at;
            sample.Dirty = true;
            if (personal is SampleResults.MixedPositive or SampleResults.Invalid)
            {
                s.Tasks.Add(new Task(sample.ResidentId, sample.Division, tube.Code, personal == SampleResults.MixedPositive ? "single_tube_retest" : "resample"));
                tasks++;
            }
        }
        return tasks;
    }

    /// <summary>
    /// Keeps "one standing sample per person and round is not a repeat": when the sample taken out was that one and the
    /// person has another sample of the round, the earliest other takes its place; when there is none, the person
    /// no longer counts as sampled.
    /// </summary>
    private static SampleRemoved Unsample(State s, TubeRow tube, SampleRow removed)
    {
        var others = s.Tubes.Values.SelectMany(t => t.Samples).Concat(s.Elsewhere)
            .Where(x => !x.Removed && x.RoundId == removed.RoundId && x.ResidentId == removed.ResidentId).ToList();
        long? countedAt = null;
        if (others.Count == 0)
        {
            s.SampledInRound.Remove((removed.RoundId, removed.ResidentId));
        }
        else if (!removed.RepeatInRound && others.All(x => x.RepeatInRound))
        {
            var next = others.MinBy(x => (x.SampledAt, x.Id))!;
            next.RepeatInRound = false;
            next.Dirty = true;
            countedAt = next.Division;
        }
        return new SampleRemoved(tube.RoundId, tube.Division, removed.ResidentId, removed.Division, removed.SampledAt, PersonGone: !removed.RepeatInRound, countedAt);
    }

    private static bool Allowed(State s, Scan scan, BoxRow box) =>
        scan.Scope.Contains(box.Division) || s.Members.Contains((box.SiteId, scan.AccountId));

    // A box or tube outside the account's area answers as one never opened: whether a code is in use in another
    // county, or what its result is, is not the account's to learn.
    private static bool OpenTubeOf(State s, PendingItem item, Scan scan, string code, out TubeRow tube, out BoxRow box)
    {
        box = null!;
        if (!s.Tubes.TryGetValue(code, out tube!))
        {
            item.Refuse(SamplingProblems.TubeUnknown);
            return false;
        }
        box = s.Boxes[tube.BoxCode];
        if (!Allowed(s, scan, box))
        {
            item.Refuse(SamplingProblems.TubeUnknown);
            return false;
        }
        if (tube.State != TubeStates.Open)
        {
            item.Refuse(SamplingProblems.TubeSealed);
            return false;
        }
        return true;
    }

    private static bool CustodyBox(State s, PendingItem item, Scan scan, string code, out BoxRow box)
    {
        if (!s.Boxes.TryGetValue(code, out box!))
        {
            item.Refuse(SamplingProblems.BoxUnknown);
            return false;
        }
        if (!scan.Scope.Contains(box.Division))
        {
            item.Refuse(SamplingProblems.BoxUnknown);
            return false;
        }
        return true;
    }

    private static Person? Find(State s, PersonRef person)
    {
        if (person.Subject is { } subject)
        {
            return s.BySubject.GetValueOrDefault(Convert.ToBase64String(subject));
        }
        foreach (var hash in person.Hashes)
        {
            if (s.ByHash.TryGetValue(Convert.ToBase64String(hash), out var found))
            {
                return found;
            }
        }
        return null;
    }

    private static string Key(byte[] bytes) => Convert.ToBase64String(bytes);

    private const string TubeColumns = "code, box_code AS BoxCode, round_id AS RoundId, site_id AS SiteId, division, capacity, people, state, opened_at AS OpenedAt, sealed_at AS SealedAt, received_at AS ReceivedAt, resulted_at AS ResultedAt, result, ct";
    private const string SampleColumns = "id, tube_code AS TubeCode, resident_id AS ResidentId, division, round_id AS RoundId, sampled_at AS SampledAt, removed, repeat_in_round AS RepeatInRound, result, resulted_at AS ResultedAt";
    private const string PersonColumns = "id, id_hash AS IdHash, subject, name, id_masked AS IdMasked, division";

    /// <summary>
    /// Reads the state the batch's scans need in two round trips. The first brings the tubes and boxes named (and
    /// every tube of a box being sealed or received), their sites, the rounds of boxes being opened, the scanning
    /// accounts' teams and the people scanned; which boxes and sites that means is worked out by the store from
    /// the tube codes, so nothing waits for an earlier answer. The second asks which of those people already have
    /// a sample in the rounds concerned. Only taking someone out of a tube and a lab result read more, after.
    /// </summary>
    private static async Task<State> LoadAsync(IngestBatch batch, IReadOnlyList<PendingItem> items, CancellationToken ct)
    {
        var s = new State();
        var connection = batch.Connection;
        var tx = batch.Transaction;
        var dialect = batch.Dialect;
        var tubeCodes = new HashSet<string>();
        var boxesNamedInBatch = new HashSet<string>();
        var wholeBoxes = new HashSet<string>();
        var rounds = new HashSet<long>();
        var sites = new HashSet<long>();
        var people = new List<(PersonRef Person, string Tube, PendingItem Item)>();
        foreach (var item in items)
        {
            switch (item.Item.Payload)
            {
                case OpenBox x: boxesNamedInBatch.Add(x.Box); rounds.Add(x.RoundId); sites.Add(x.SiteId); break;
                case OpenTube x: boxesNamedInBatch.Add(x.Box); tubeCodes.Add(x.Tube); break;
                case AddPerson x: tubeCodes.Add(x.Tube); people.Add((x.Person, x.Tube, item)); break;
                case RemoveLast x: tubeCodes.Add(x.Tube); break;
                case SealTube x: tubeCodes.Add(x.Tube); break;
                // Sealing or receiving a box touches all its tubes, and they may not be named in the batch.
                case SealBox x: boxesNamedInBatch.Add(x.Box); wholeBoxes.Add(x.Box); break;
                case PickUp x: boxesNamedInBatch.Add(x.Box); break;
                case HandOver x: boxesNamedInBatch.Add(x.Box); break;
                case Receive x: boxesNamedInBatch.Add(x.Box); wholeBoxes.Add(x.Box); break;
                case TubeResult x: tubeCodes.Add(x.Tube); break;
            }
        }
        var accounts = items.Select(i => i.Item.AccountId ?? 0).Distinct().ToList();
        var hashes = people.SelectMany(p => p.Person.Hashes).ToList();
        var subjects = people.Where(p => p.Person.Subject is not null).Select(p => p.Person.Subject!).ToList();

        // Each row set is a union of index look-ups and never an OR: neither store's planner serves "a OR b" from
        // two indexes when one side is a sub-query, and both read whole tables for it.
        var args = new DynamicParameters();
        var tubesNamed = dialect.InList("code", tubeCodes.ToList(), args, "tubes");
        var boxCodes = $"SELECT code FROM boxes WHERE {dialect.InList("code", boxesNamedInBatch.ToList(), args, "boxes")} UNION SELECT box_code FROM tubes WHERE {tubesNamed}";
        var boxesNamed = dialect.InQuery("code", boxCodes);
        var roundsNamed = dialect.InList("id", rounds.ToList(), args, "rounds");
        var byHash = dialect.InList("id_hash", hashes, args, "hashes");
        var bySubject = dialect.InList("subject", subjects, args, "subjects");
        var sql = string.Join(";\n", [
            $"SELECT {TubeColumns} FROM tubes WHERE {tubesNamed} UNION SELECT {TubeColumns} FROM tubes WHERE {dialect.InList("box_code", wholeBoxes.ToList(), args, "whole")}",
            $"SELECT code, round_id AS RoundId, site_id AS SiteId, division, state, tubes, people, opened_at AS OpenedAt, sealed_at AS SealedAt, picked_at AS PickedAt, received_at AS ReceivedAt, received_tubes AS ReceivedTubes, discrepancy FROM boxes WHERE {boxesNamed}",
            $"SELECT id, division, starts_at AS StartsAt, ends_at AS EndsAt FROM rounds WHERE {roundsNamed}",
            $"SELECT id, division FROM sites WHERE {dialect.InQuery("id", $"SELECT id FROM sites WHERE {dialect.InList("id", sites.ToList(), args, "sites")} UNION SELECT site_id FROM boxes WHERE {boxesNamed}")}",
            $"SELECT t.site_id, m.account_id FROM team_members m JOIN teams t ON t.id = m.team_id WHERE {dialect.InList("m.account_id", accounts, args, "accounts")}",
            $"SELECT {PersonColumns} FROM residents WHERE {byHash} UNION ALL SELECT {PersonColumns} FROM residents WHERE {bySubject}",
        ]);
        await using (var grid = await connection.QueryMultipleAsync(new CommandDefinition(sql, args, tx, cancellationToken: ct)))
        {
            foreach (var tube in await grid.ReadAsync<TubeRow>())
            {
                s.Tubes[tube.Code] = tube;
            }
            foreach (var box in await grid.ReadAsync<BoxRow>())
            {
                s.Boxes[box.Code] = box;
            }
            foreach (var round in await grid.ReadAsync<RoundRow>())
            {
                s.Rounds[round.Id] = round;
            }
            foreach (var site in await grid.ReadAsync<SiteRow>())
            {
                s.Sites[site.Id] = site;
            }
            foreach (var (site, account) in await grid.ReadAsync<(long, long)>())
            {
                s.Members.Add((site, account));
            }
            foreach (var person in await grid.ReadAsync<Person>())
            {
                if (person.IdHash is not null)
                {
                    s.ByHash[Key(person.IdHash)] = person;
                }
                if (person.Subject is not null)
                {
                    s.BySubject[Key(person.Subject)] = person;
                }
            }
        }

        // Who among them was already sampled in one of the rounds (a second sample is accepted and flagged), and in
        // which tube (a person goes into a tube once). A second trip: it needs the people's ids.
        var residents = s.ByHash.Values.Concat(s.BySubject.Values).Select(p => p.Id).Distinct().ToList();
        var roundIds = s.Tubes.Values.Select(t => t.RoundId).Concat(s.Boxes.Values.Select(b => b.RoundId)).Concat(rounds).Distinct().ToList();
        foreach (var round in residents.Count == 0 ? [] : roundIds)
        {
            foreach (var sampled in await RoundSamplesOfAsync<SampledRow>(connection, tx, round, residents, "round_id AS RoundId, resident_id AS ResidentId, tube_code AS TubeCode", ct))
            {
                s.SampledInRound.Add((round, sampled.ResidentId));
                s.InTube.Add((sampled.TubeCode, sampled.ResidentId));
            }
        }

        // Only removing a person and a result need a tube's samples; adding one asks the round query above.
        var wholeTubes = items.Select(i => i.Item.Payload switch { RemoveLast x => x.Tube, TubeResult x => x.Tube, _ => null })
            .OfType<string>().Where(s.Tubes.ContainsKey).Distinct().ToList();
        foreach (var sample in await QueryInAsync<SampleRow>(connection, tx, dialect,
            $"SELECT {SampleColumns} FROM samples WHERE removed = FALSE AND {{in}}", "tube_code", wholeTubes, ct))
        {
            s.Tubes[sample.TubeCode].Samples.Add(sample);
        }
        // Taking someone out of a tube may leave another sample of theirs in the round as the one that counts.
        var removing = items.Select(i => i.Item.Payload is RemoveLast r && s.Tubes.TryGetValue(r.Tube, out var t) ? t : null).OfType<TubeRow>().Distinct().ToList();
        if (removing.Count > 0)
        {
            var loaded = s.Tubes.Values.SelectMany(t => t.Samples).Select(x => x.Id).ToHashSet();
            foreach (var group in removing.SelectMany(t => t.Samples).GroupBy(x => x.RoundId))
            {
                foreach (var other in await RoundSamplesOfAsync<SampleRow>(connection, tx, group.Key, group.Select(x => x.ResidentId).Distinct().ToList(), SampleColumns, ct))
                {
                    if (loaded.Add(other.Id))
                    {
                        s.Elsewhere.Add(other);
                    }
                }
            }
        }

        await RegisterStrangersAsync(batch, s, people, ct);
        return s;
    }

    /// <summary>
    /// Someone the registry has never met is registered on the spot (name unknown, living where the site is) so
    /// their result has somewhere to go.
    /// </summary>
    private static async System.Threading.Tasks.Task RegisterStrangersAsync(IngestBatch batch, State s, List<(PersonRef Person, string Tube, PendingItem Item)> people, CancellationToken ct)
    {
        // Registered where the tube's site is; a scan into an unknown tube is refused anyway and registers no one.
        var first = people.Where(p => p.Person.Unregistered is not null && Find(s, p.Person) is null && s.Tubes.ContainsKey(p.Tube))
            .DistinctBy(p => Key(p.Person.Unregistered!.Hash)).ToList();
        // Scoped to the site: should someone be held elsewhere after all, they are sampled here and not moved.
        var unknown = first.Select(p => p.Person.Unregistered! with
        {
            Division = s.Tubes[p.Tube].Division,
            Writer = new WriteScope(Core.Jurisdiction.Scope.Of(s.Tubes[p.Tube].Division), null, RequestTransfers: false),
        }).ToList();
        if (unknown.Count == 0)
        {
            return;
        }
        // The registration stands even if the scan that brought the person is refused (the tube turned out full).
        for (var i = 0; i < first.Count; i++)
        {
            first[i].Item.Note(new ResidentsMoved([new ResidentMove(null, unknown[i].Division)]));
        }
        var written = await ResidentWriter.WriteAsync(batch.Connection, batch.Transaction, batch.Dialect, unknown, batch.Now, needIds: true, ct: ct);
        for (var i = 0; i < unknown.Count; i++)
        {
            s.ByHash[Key(unknown[i].Hash)] = new Person { Id = written[i].Id, IdHash = unknown[i].Hash, Name = unknown[i].Name, IdMasked = unknown[i].IdMasked, Division = unknown[i].Division };
        }
    }

    /// <summary>
    /// The samples still standing in one round of some people. On PostgreSQL each person is looked up through the
    /// (round, resident) index on its own: written as "round = r AND resident in (...)", the planner, whose
    /// statistics lag a round that grows by thousands a second, read the whole round and filtered it, so that
    /// every batch cost more than the one before.
    /// </summary>
    private static Task<List<T>> RoundSamplesOfAsync<T>(DbConnection connection, DbTransaction tx, long round, List<long> residents, string columns, CancellationToken ct) =>
        connection is NpgsqlConnection
            ? connection.QueryInAsync<T, long>(tx, Dialect.Postgres,
                $"SELECT {columns} FROM unnest(@k) AS k(person) CROSS JOIN LATERAL (SELECT * FROM samples WHERE round_id = {round} AND resident_id = k.person AND removed = FALSE OFFSET 0) AS s",
                "", residents, ct)
            : connection.QueryInAsync<T, long>(tx, Dialect.Sqlite, $"SELECT {columns} FROM samples WHERE removed = FALSE AND round_id = {round} AND {{in}}", "resident_id", residents, ct);

    private static Task<List<T>> QueryInAsync<T>(DbConnection connection, DbTransaction tx, Dialect dialect, string sql, string column, List<string> keys, CancellationToken ct) =>
        connection.QueryInAsync<T, string>(tx, dialect, sql, column, keys, ct);

    /// <summary>
    /// Writes what the batch changed: each kind of row with one statement run once per row, new samples with
    /// unnest on PostgreSQL; on PostgreSQL all of it goes to the server with the batch's event rows, in one trip.
    /// </summary>
    private static async System.Threading.Tasks.Task WriteAsync(IngestBatch batch, State s, CancellationToken ct)
    {
        await batch.WriteEachAsync(
            "INSERT INTO boxes (code, round_id, site_id, division, state, tubes, people, opened_at) VALUES (@code, @round, @site, @division, @state, @tubes, @people, @opened)",
            ["code", "round", "site", "division", "state", "tubes", "people", "opened"], s.Boxes.Values.Where(b => b.IsNew).ToList(),
            b => [b.Code, b.RoundId, b.SiteId, b.Division, b.State, b.Tubes, b.People, b.OpenedAt], ct);
        await batch.WriteEachAsync(
            "UPDATE boxes SET state = @state, tubes = @tubes, people = @people, sealed_at = @sealed, picked_at = @picked, received_at = @received, received_tubes = @counted, discrepancy = @discrepancy WHERE code = @code",
            ["state", "tubes", "people", "sealed", "picked", "received", "counted", "discrepancy", "code"], s.Boxes.Values.Where(b => b.Dirty && !b.IsNew).ToList(),
            b => [b.State, b.Tubes, b.People, b.SealedAt, b.PickedAt, b.ReceivedAt, b.ReceivedTubes, b.Discrepancy, b.Code], ct);
        await batch.WriteEachAsync(
            "INSERT INTO tubes (code, box_code, round_id, site_id, division, capacity, people, state, opened_at, sealed_at) VALUES (@code, @box, @round, @site, @division, @capacity, @people, @state, @opened, @sealed)",
            ["code", "box", "round", "site", "division", "capacity", "people", "state", "opened", "sealed"], s.Tubes.Values.Where(t => t.IsNew).ToList(),
            t => [t.Code, t.BoxCode, t.RoundId, t.SiteId, t.Division, t.Capacity, t.People, t.State, t.OpenedAt, t.SealedAt], ct);
        await batch.WriteEachAsync(
            "UPDATE tubes SET people = @people, state = @state, sealed_at = @sealed, received_at = @received, resulted_at = @resulted, result = @result, ct = @ct WHERE code = @code",
            ["people", "state", "sealed", "received", "resulted", "result", "ct", "code"], s.Tubes.Values.Where(t => t.Dirty && !t.IsNew).ToList(),
            t => [t.People, t.State, t.SealedAt, t.ReceivedAt, t.ResultedAt, t.Result, t.Ct, t.Code], ct);
        var samples = s.Tubes.Values.SelectMany(t => t.Samples).Concat(s.Elsewhere).ToList();
        await InsertSamplesAsync(batch, samples.Where(x => x.IsNew).ToList(), ct);
        await batch.WriteEachAsync("UPDATE samples SET removed = @removed, repeat_in_round = @repeat, result = @result, resulted_at = @resulted WHERE id = @id",
            ["removed", "repeat", "result", "resulted", "id"], samples.Where(x => x.Dirty && !x.IsNew).ToList(), x => [x.Removed, x.RepeatInRound, x.Result, x.ResultedAt, x.Id], ct);
        await batch.WriteEachAsync(
            "INSERT INTO retest_tasks (resident_id, division, tube_code, reason, state, created_at) VALUES (@resident, @division, @tube, @reason, 'open', @now)",
            ["resident", "division", "tube", "reason", "now"], s.Tasks, t => [t.ResidentId, t.Division, t.Tube, t.Reason, batch.Now], ct);
    }

    /// <summary>New samples in one statement on PostgreSQL (unnest), one prepared insert each on SQLite.</summary>
    private static async System.Threading.Tasks.Task InsertSamplesAsync(IngestBatch batch, List<SampleRow> rows, CancellationToken ct)
    {
        if (batch.Connection is NpgsqlConnection && rows.Count > 0)
        {
            var command = new NpgsqlBatchCommand(
                """
                INSERT INTO samples (tube_code, resident_id, division, round_id, sampled_at, removed, repeat_in_round)
                SELECT * FROM unnest(@tube, @resident, @division, @round, @at, @removed, @repeat)
                """);
            command.Parameters.AddWithValue("tube", rows.Select(r => r.TubeCode).ToArray());
            command.Parameters.AddWithValue("resident", rows.Select(r => r.ResidentId).ToArray());
            command.Parameters.AddWithValue("division", rows.Select(r => r.Division).ToArray());
            command.Parameters.AddWithValue("round", rows.Select(r => r.RoundId).ToArray());
            command.Parameters.AddWithValue("at", rows.Select(r => r.SampledAt).ToArray());
            command.Parameters.AddWithValue("removed", rows.Select(r => r.Removed).ToArray());
            command.Parameters.AddWithValue("repeat", rows.Select(r => r.RepeatInRound).ToArray());
            batch.Write(command);
            return;
        }
        await batch.WriteEachAsync(
            "INSERT INTO samples (tube_code, resident_id, division, round_id, sampled_at, removed, repeat_in_round) VALUES (@tube, @resident, @division, @round, @at, @removed, @repeat)",
            ["tube", "resident", "division", "round", "at", "removed", "repeat"], rows,
            r => [r.TubeCode, r.ResidentId, r.Division, r.RoundId, r.SampledAt, r.Removed, r.RepeatInRound], ct);
    }
}
