using Fangyi.Core.Ingest;
using Fangyi.Core.Status;

namespace Fangyi.Features.Sampling;

// A lab's result for a received tube (检测结果), reaching everyone in it (see ResultRules).
public sealed record TubeResult(string Tube, string Result, double? Ct) : Scan
{
    internal static async ValueTask<ScanIntake.Read> ReadAsync(ScanRequest request, ScanIntake intake, CancellationToken ct)
    {
        var (tube, problem) = await intake.CodeAsync(request.Tube, CodeType.Tube, ct);
        var result = SampleResults.Parse(request.Result);
        problem ??= result is null ? SamplingProblems.ResultInvalid : null;
        return new(problem is null ? new TubeResult(tube, result!, request.Ct) : null, tube, problem);
    }

    internal override void Need(SamplingNeeds needs, PendingItem item)
    {
        needs.Tubes.Add(Tube);
        needs.TubesWithSamples.Add(Tube);
    }

    internal override void Apply(SamplingState s, PendingItem item, long now)
    {
        if (!s.Tubes.TryGetValue(Tube, out var tube) || !Scope.Contains(tube.Division))
        {
            item.Refuse(SamplingProblems.TubeUnknown);
            return;
        }
        if (tube.State == TubeStates.Resulted)
        {
            // The same result again (a file uploaded twice) is done already; another one is a conflict.
            if (tube.Result != Result)
            {
                item.Refuse(SamplingProblems.ResultConflict.WithDetail($"已有结果：{SampleResults.Names.GetValueOrDefault(tube.Result ?? "", tube.Result ?? "")}"));
                return;
            }
            item.Accept(new TubeResultView(tube.Code, Result, (int)tube.People, 0));
            return;
        }
        var transition = TubeTransitions.Of(ScanKinds.Result, tube.State);
        if (transition.Refuses(item))
        {
            return;
        }
        var at = item.Item.At;
        var receivedAt = tube.ReceivedAt;
        tube.State = transition.After(tube.State);
        var tasks = ResultRules.Apply(s, tube, Result, Ct, at, item);
        var changes = new List<BoxChanged>();
        if (s.Boxes.TryGetValue(tube.BoxCode, out var box))
        {
            if (BoxTransitions.Of(ScanKinds.Result, box.State).To is { } next)
            {
                changes.Add(new BoxChanged(box.State, next));
                box.State = next;
            }
            // The last tube of the box with its result (or refused at receipt) closes the box.
            box.TubesDone++;
            if (box.TubesDone >= box.Tubes && box.State == BoxStates.Testing)
            {
                changes.Add(new BoxChanged(BoxStates.Testing, BoxStates.Done));
                box.State = BoxStates.Done;
            }
            box.Dirty = true;
        }
        item.Note(new TubeResulted(tube.RoundId, tube.Division, Result, tube.Capacity > 1, at, tube.SealedAt, receivedAt, (int)tube.People, changes,
            tube.Samples.Where(x => !x.Removed).Select(x => new PersonResult(x.ResidentId, x.Division, x.SampledAt, x.Result!)).ToList()));
        item.Accept(new TubeResultView(tube.Code, Result, (int)tube.People, tasks));
    }
}
