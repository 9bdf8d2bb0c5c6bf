using Fangyi.Core.Ingest;

namespace Fangyi.Features.Sampling;

// A courier or lab hands a box in transit over (交接): a link of the chain that changes no state.
public sealed record HandOver(string Box, string? To) : Scan
{
    internal static async ValueTask<ScanIntake.Read> ReadAsync(ScanRequest request, ScanIntake intake, CancellationToken ct)
    {
        var (box, problem) = await intake.CodeAsync(request.Box, CodeType.Box, ct);
        return new(problem is null ? new HandOver(box, request.To) : null, box, problem);
    }

    internal override void Need(SamplingNeeds needs, PendingItem item) => needs.Boxes.Add(Box);

    internal override void Apply(SamplingState s, PendingItem item, long now)
    {
        if (!s.CustodyBox(item, this, Box, out var box) || BoxTransitions.Of(ScanKinds.HandOver, box.State).Refuses(item))
        {
            return;
        }
        item.Accept(box.View());
    }
}
