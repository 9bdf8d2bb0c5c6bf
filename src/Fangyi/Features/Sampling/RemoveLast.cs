using Fangyi.Core.Ingest;

namespace Fangyi.Features.Sampling;

// A sampler takes the person added last out of an open tube (撤销).
public sealed record RemoveLast(string Tube) : Scan
{
    internal static async ValueTask<ScanIntake.Read> ReadAsync(ScanRequest request, ScanIntake intake, CancellationToken ct)
    {
        var (tube, problem) = await intake.CodeAsync(request.Tube, CodeType.Tube, ct);
        return new(problem is null ? new RemoveLast(tube) : null, tube, problem);
    }

    internal override void Need(SamplingNeeds needs, PendingItem item)
    {
        needs.Tubes.Add(Tube);
        needs.TubesWithSamples.Add(Tube);
        needs.Removing.Add(Tube);
    }

    internal override void Apply(SamplingState s, PendingItem item, long now)
    {
        if (!s.TubeFor(item, this, ScanKinds.RemoveLast, Tube, out var tube, out var box))
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
        item.Note(s.Unsample(tube, last));
        tube.People--;
        tube.Dirty = true;
        box.People--;
        box.Dirty = true;
        item.Accept(tube.View());
    }
}
