using Fangyi.Core.Ingest;

namespace Fangyi.Features.Sampling;

// A sampler seals a tube that holds someone (封管).
public sealed record SealTube(string Tube) : Scan
{
    internal static async ValueTask<ScanIntake.Read> ReadAsync(ScanRequest request, ScanIntake intake, CancellationToken ct)
    {
        var (tube, problem) = await intake.CodeAsync(request.Tube, CodeType.Tube, ct);
        return new(problem is null ? new SealTube(tube) : null, tube, problem);
    }

    internal override void Need(SamplingNeeds needs, PendingItem item) => needs.Tubes.Add(Tube);

    internal override void Apply(SamplingState s, PendingItem item, long now)
    {
        if (!s.TubeFor(item, this, ScanKinds.SealTube, Tube, out var tube, out _))
        {
            return;
        }
        if (tube.People == 0)
        {
            item.RefuseForNow(SamplingProblems.TubeEmpty);
            return;
        }
        tube.State = TubeTransitions.Of(ScanKinds.SealTube, tube.State).After(tube.State);
        tube.SealedAt = item.Item.At;
        tube.Dirty = true;
        item.Note(new TubeSealed(tube.RoundId, tube.Division));
        item.Accept(tube.View());
    }
}
