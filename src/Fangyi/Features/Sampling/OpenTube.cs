using Fangyi.Core.Ingest;

namespace Fangyi.Features.Sampling;

// A sampler opens a tube of a pooling ratio in an open box (开管); opening it again answers with it.
public sealed record OpenTube(string Box, string Tube, int Capacity) : Scan
{
    internal static async ValueTask<ScanIntake.Read> ReadAsync(ScanRequest request, ScanIntake intake, CancellationToken ct)
    {
        var (box, boxProblem) = await intake.CodeAsync(request.Box, CodeType.Box, ct);
        var (tube, problem) = await intake.CodeAsync(request.Tube, CodeType.Tube, ct);
        problem ??= boxProblem;
        problem ??= request.Capacity is 1 or 5 or 10 or 20 ? null : SamplingProblems.CapacityInvalid;
        return new(problem is null ? new OpenTube(box, tube, request.Capacity!.Value) : null, tube, problem);
    }

    internal override void Need(SamplingNeeds needs, PendingItem item)
    {
        needs.Boxes.Add(Box);
        needs.Tubes.Add(Tube);
    }

    internal override void Apply(SamplingState s, PendingItem item, long now)
    {
        if (!s.Boxes.TryGetValue(Box, out var box) || !s.Allowed(this, box))
        {
            item.Refuse(SamplingProblems.BoxUnknown);
            return;
        }
        if (s.Tubes.TryGetValue(Tube, out var tube))
        {
            if (tube.BoxCode != Box)
            {
                item.Refuse(SamplingProblems.TubeInOtherBox);
                return;
            }
            if (TubeTransitions.Of(ScanKinds.OpenTube, tube.State).Refuses(item))
            {
                return;
            }
            item.Accept(tube.View());
            return;
        }
        if (BoxTransitions.Of(ScanKinds.OpenTube, box.State).Refuses(item))
        {
            return;
        }
        tube = new TubeRow
        {
            Code = Tube, BoxCode = box.Code, RoundId = box.RoundId, SiteId = box.SiteId, Division = box.Division,
            Capacity = Capacity, State = TubeStates.Open, OpenedAt = item.Item.At, IsNew = true,
        };
        s.Tubes[Tube] = tube;
        box.Tubes++;
        box.Dirty = true;
        item.Note(new TubeOpened(tube.RoundId, tube.Division));
        item.Accept(tube.View(), 201);
    }
}
