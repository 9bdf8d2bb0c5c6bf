using Fangyi.Core.Ingest;
using Fangyi.Features.Residents;
using Fangyi.Features.Tasks;

namespace Fangyi.Features.Sampling;

// The boxes, tubes, samples, rounds, sites and people a batch of scans concerns, read once for the batch
// (SamplingStateLoader); the scans apply themselves to it in order, so ten people added to one tube
// in one batch see each other, and SamplingWrites writes what changed.
internal sealed class SamplingState
{
    internal sealed record RoundRow
    {
        public long Id { get; init; }
        public long Division { get; init; }
        public long StartsAt { get; init; }
        public long EndsAt { get; init; }
    }

    internal sealed record SiteRow
    {
        public long Id { get; init; }
        public long Division { get; init; }
        public long? RetiredAt { get; init; }
    }

    public Dictionary<string, BoxRow> Boxes { get; } = [];
    public Dictionary<string, TubeRow> Tubes { get; } = [];
    public Dictionary<long, RoundRow> Rounds { get; } = [];
    public Dictionary<long, SiteRow> Sites { get; } = [];
    public HashSet<(long Site, long Account)> Members { get; } = [];
    public Dictionary<string, ResidentLookups.Person> ByHash { get; } = [];
    public Dictionary<string, ResidentLookups.Person> BySubject { get; } = [];
    public HashSet<(long Round, long Resident)> SampledInRound { get; } = [];
    public HashSet<(string Tube, long Resident)> InTube { get; } = [];
    // The retest and re-sample tasks results and reconciliations open, on the village worker's list (Tasks).
    public List<TaskBoard.NewTask> RetestTasks { get; } = [];

    // People a positive or mixed-positive tube puts in the to-be-screened pool (Screening), with the item that found them.
    public List<(Screening.Finding Finding, PendingItem Item)> Positives { get; } = [];

    // Tubes whose open retest tasks a corrected result withdraws.
    public List<string> WithdrawnTasks { get; } = [];

    // People sampled in the batch: their sample closes the tasks that waited for it.
    public List<TaskBoard.Sampled> Sampled { get; } = [];

    // What a lab's reconciliation found wrong with a box: (box, tube, kind).
    public List<(string Box, string Tube, string Kind, long Account)> Discrepancies { get; } = [];

    // Results set right: the tube, what it said before and after, and why.
    public List<(string Tube, string OldResult, double? OldCt, string NewResult, double? NewCt, string Reason, long Account)> Corrections { get; } = [];

    // Other samples of the round of people being taken out of a tube, from tubes the batch did not load.
    public List<SampleRow> Elsewhere { get; } = [];

    public bool Allowed(Scan scan, BoxRow box) =>
        scan.Scope.Contains(box.Division) || Members.Contains((box.SiteId, scan.AccountId));

    // The tube a sampler's scan of kind names, and its box, if the tube's table lets the scan at it.
    // A tube outside the account's area answers as one never opened: whether a code is in use in another county, or
    // what its result is, is not the account's to learn.
    public bool TubeFor(PendingItem item, Scan scan, string kind, string code, out TubeRow tube, out BoxRow box)
    {
        box = null!;
        if (!Tubes.TryGetValue(code, out tube!))
        {
            item.Refuse(SamplingProblems.TubeUnknown);
            return false;
        }
        box = Boxes[tube.BoxCode];
        if (!Allowed(scan, box))
        {
            item.Refuse(SamplingProblems.TubeUnknown);
            return false;
        }
        return !TubeTransitions.Of(kind, tube.State).Refuses(item);
    }

    // The box a courier's or lab's scan names, if it is in the account's area.
    public bool CustodyBox(PendingItem item, Scan scan, string code, out BoxRow box)
    {
        if (!Boxes.TryGetValue(code, out box!) || !scan.Scope.Contains(box.Division))
        {
            item.Refuse(SamplingProblems.BoxUnknown);
            return false;
        }
        return true;
    }

    public ResidentLookups.Person? Find(PersonRef person)
    {
        if (person.Subject is { } subject)
        {
            return BySubject.GetValueOrDefault(Key(subject));
        }
        foreach (var hash in person.Hashes)
        {
            if (ByHash.TryGetValue(Key(hash), out var found))
            {
                return found;
            }
        }
        return null;
    }

    public static string Key(byte[] bytes) => Convert.ToBase64String(bytes);

    // Keeps "one standing sample per person and round is not a repeat": when the sample taken out was that one and the
    // person has another sample of the round, the earliest other takes its place; when there is none, the person
    // no longer counts as sampled.
    public SampleRemoved Unsample(TubeRow tube, SampleRow removed)
    {
        var others = Tubes.Values.SelectMany(t => t.Samples).Concat(Elsewhere)
            .Where(x => !x.Removed && x.RoundId == removed.RoundId && x.ResidentId == removed.ResidentId).ToList();
        long? countedAt = null;
        if (others.Count == 0)
        {
            SampledInRound.Remove((removed.RoundId, removed.ResidentId));
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
}
