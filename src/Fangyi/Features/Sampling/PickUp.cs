using Fangyi.Core.Ingest;

namespace Fangyi.Features.Sampling;

// A courier picks up a sealed box (揽收).
public sealed record PickUp(string Box) : Scan
{
    internal static async ValueTask<ScanIntake.Read> ReadAsync(ScanRequest request, ScanIntake intake, CancellationToken ct)
    {
        var (box, problem) = await intake.CodeAsync(request.Box, CodeType.Box, ct);
        return new(problem is null ? new PickUp(box) : null, box, problem);
    }

    internal override void Need(SamplingNeeds needs, PendingItem item) => needs.Boxes.Add(Box);

    internal override void Apply(SamplingState s, PendingItem item, long now)
    {
        if (!s.CustodyBox(item, this, Box, out var box))
        {
            return;
        }
        var transition = BoxTransitions.Of(ScanKinds.PickUp, box.State);
        if (transition.Refuses(item))
        {
            return;
        }
        box.State = transition.After(box.State);
        box.PickedAt = item.Item.At;
        box.Dirty = true;
        item.Note(new BoxPickedUp(box.RoundId, box.Division));
        item.Accept(box.View());
    }
}
