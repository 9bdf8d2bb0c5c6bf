using Fangyi.Core.Ingest;

namespace Fangyi.Features.Sampling;

// A lab checks a received box tube by tube (核对): the tubes it scanned out of the box, and which of them are
// broken. Tubes listed in the box but not scanned are missing; scanned but not listed are extra; missing and broken
// tubes are never tested, and their people are asked to be sampled again. The box is then open for testing.
public sealed record Reconcile(string Box, IReadOnlyList<string> Checked, IReadOnlyList<string> Damaged) : Scan
{
    private const int MaxTubes = 500;

    internal static async ValueTask<ScanIntake.Read> ReadAsync(ScanRequest request, ScanIntake intake, CancellationToken ct)
    {
        var (box, problem) = await intake.CodeAsync(request.Box, CodeType.Box, ct);
        var scanned = Codes(request.Tubes);
        var damaged = Codes(request.Damaged);
        if (problem is null && (scanned is null || damaged is null))
        {
            problem = SamplingProblems.TubeListInvalid;
        }
        return new(problem is null ? new Reconcile(box, scanned!, damaged!) : null, box, problem);
    }

    // Well-formed tube codes, each once; null when one is not or there are too many.
    private static List<string>? Codes(IReadOnlyList<string>? texts)
    {
        if (texts is null)
        {
            return [];
        }
        if (texts.Count > MaxTubes)
        {
            return null;
        }
        var codes = new List<string>();
        foreach (var text in texts)
        {
            if (SampleCode.Parse(text, CodeType.Tube) is not { } code)
            {
                return null;
            }
            if (!codes.Contains(code.ToString()))
            {
                codes.Add(code.ToString());
            }
        }
        return codes;
    }

    internal override void Need(SamplingNeeds needs, PendingItem item)
    {
        needs.Boxes.Add(Box);
        needs.WholeBoxes.Add(Box);
        needs.WholeBoxesWithSamples.Add(Box);
    }

    internal override void Apply(SamplingState s, PendingItem item, long now)
    {
        if (!s.CustodyBox(item, this, Box, out var box))
        {
            return;
        }
        var transition = BoxTransitions.Of(ScanKinds.Reconcile, box.State);
        if (transition.Refuses(item))
        {
            return;
        }
        if (box.ReconciledAt is not null)
        {
            item.Refuse(SamplingProblems.BoxAlreadyReconciled);
            return;
        }
        var tubes = s.Tubes.Values.Where(t => t.BoxCode == box.Code).OrderBy(t => t.Code, StringComparer.Ordinal).ToList();
        var listed = tubes.Select(t => t.Code).ToHashSet();
        var missing = tubes.Where(t => !Checked.Contains(t.Code)).Select(t => t.Code).ToList();
        var extra = Checked.Where(c => !listed.Contains(c)).ToList();
        var damaged = Damaged.Where(listed.Contains).Where(c => !missing.Contains(c)).ToList();

        var changes = new List<BoxChanged>();
        var before = box.State;
        box.State = transition.After(box.State);
        if (box.State != before)
        {
            changes.Add(new BoxChanged(before, box.State));
        }
        var rejected = new List<ReceivedTube>();
        foreach (var tube in tubes.Where(t => (missing.Contains(t.Code) || damaged.Contains(t.Code)) && t.State == TubeStates.Received))
        {
            rejected.Add(new ReceivedTube(tube.State, tube.SealedAt, (int)tube.People));
            tube.State = TubeStates.Rejected;
            tube.Dirty = true;
            box.TubesDone++;
            // Never tested: everyone in it is asked to come again, as for an invalid tube.
            foreach (var sample in tube.Samples.Where(x => !x.Removed))
            {
                s.RetestTasks.Add(new Tasks.TaskBoard.NewTask(Tasks.TaskKinds.Resample, sample.ResidentId, sample.Division, tube.Code));
            }
        }
        foreach (var (codes, kind) in new[] { (missing, Discrepancies.Missing), (extra, Discrepancies.Extra), (damaged, Discrepancies.Damaged) })
        {
            s.Discrepancies.AddRange(codes.Select(c => (box.Code, c, kind, AccountId)));
        }
        box.ReconciledAt = item.Item.At;
        box.Discrepancy = Describe(box.Discrepancy, missing, extra, damaged);
        if (box.TubesDone >= box.Tubes && box.State == BoxStates.Testing)
        {
            changes.Add(new BoxChanged(BoxStates.Testing, BoxStates.Done));
            box.State = BoxStates.Done;
        }
        box.Dirty = true;
        item.Note(new BoxReconciled(box.RoundId, box.Division, rejected, changes));
        item.Accept(new ReconcileView(box.Code, box.State, tubes.Count, Checked.Count - extra.Count, missing, extra, damaged, box.Discrepancy));
    }

    // The box's discrepancy line: what the receipt's count said, then what the tube-by-tube check found.
    private static string? Describe(string? counted, List<string> missing, List<string> extra, List<string> damaged)
    {
        var found = new[] { (missing, Discrepancies.Missing), (extra, Discrepancies.Extra), (damaged, Discrepancies.Damaged) }
            .Where(x => x.Item1.Count > 0)
            .Select(x => $"{Discrepancies.Names[x.Item2]}{x.Item1.Count}管（{string.Join("、", x.Item1)}）")
            .ToList();
        if (found.Count == 0)
        {
            return counted;
        }
        var line = "核对：" + string.Join("，", found);
        return counted is null ? line : $"{counted}；{line}";
    }
}
