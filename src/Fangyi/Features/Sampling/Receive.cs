using Fangyi.Core.Ingest;

namespace Fangyi.Features.Sampling;

// A lab receives a box in transit (接收), counting its tubes; its tubes are received with it.
public sealed record Receive(string Box, int? TubesCounted) : Scan
{
    internal static async ValueTask<ScanIntake.Read> ReadAsync(ScanRequest request, ScanIntake intake, CancellationToken ct)
    {
        var (box, problem) = await intake.CodeAsync(request.Box, CodeType.Box, ct);
        return new(problem is null ? new Receive(box, request.TubesCounted) : null, box, problem);
    }

    // Receiving a box touches all its tubes, and they may not be named in the batch.
    internal override void Need(SamplingNeeds needs, PendingItem item)
    {
        needs.Boxes.Add(Box);
        needs.WholeBoxes.Add(Box);
    }

    internal override void Apply(SamplingState s, PendingItem item, long now)
    {
        if (!s.CustodyBox(item, this, Box, out var box))
        {
            return;
        }
        var transition = BoxTransitions.Of(ScanKinds.Receive, box.State);
        if (transition.Refuses(item))
        {
            return;
        }
        var at = item.Item.At;
        box.State = transition.After(box.State);
        box.ReceivedAt = at;
        box.ReceivedTubes = TubesCounted ?? box.Tubes;
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
    }
}
