using Fangyi.Core.Ingest;

namespace Fangyi.Features.Sampling;

// A sampler seals a box whose tubes are all sealed (封箱); its tubes go with it (sealed → boxed).
public sealed record SealBox(string Box) : Scan
{
    internal static async ValueTask<ScanIntake.Read> ReadAsync(ScanRequest request, ScanIntake intake, CancellationToken ct)
    {
        var (box, problem) = await intake.CodeAsync(request.Box, CodeType.Box, ct);
        return new(problem is null ? new SealBox(box) : null, box, problem);
    }

    // Sealing a box touches all its tubes, and they may not be named in the batch.
    internal override void Need(SamplingNeeds needs, PendingItem item)
    {
        needs.Boxes.Add(Box);
        needs.WholeBoxes.Add(Box);
    }

    internal override void Apply(SamplingState s, PendingItem item, long now)
    {
        if (!s.Boxes.TryGetValue(Box, out var box) || !s.Allowed(this, box))
        {
            item.Refuse(SamplingProblems.BoxUnknown);
            return;
        }
        var transition = BoxTransitions.Of(ScanKinds.SealBox, box.State);
        if (transition.Refuses(item))
        {
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
        box.State = transition.After(box.State);
        box.SealedAt = item.Item.At;
        box.Dirty = true;
        item.Note(new BoxSealed(box.RoundId, box.Division, tubes.Count));
        foreach (var tube in tubes)
        {
            tube.State = TubeStates.Boxed;
            tube.Dirty = true;
        }
        item.Accept(box.View());
    }
}
