using Fangyi.Features.Sampling;

namespace Fangyi.Tests.Sampling;

/// <summary>
/// The box and tube transition tables against the chain of custody as the rules were first written, cell by cell:
/// what each scan does in each state, and the problem code (and whether it is only "for now") when it refuses.
/// </summary>
public class TransitionTableTests
{
    // (kind, state) → expected: a state it moves to, "stay", or "code" / "code (for now)".
    public static TheoryData<string, string, string> BoxCells => new()
    {
        { ScanKinds.OpenBox, BoxStates.Open, "stay" },
        { ScanKinds.OpenBox, BoxStates.Sealed, "box_not_open" },
        { ScanKinds.OpenBox, BoxStates.InTransit, "box_not_open" },
        { ScanKinds.OpenBox, BoxStates.Received, "box_not_open" },
        { ScanKinds.OpenBox, BoxStates.Testing, "box_not_open" },
        { ScanKinds.OpenBox, BoxStates.Done, "box_not_open" },
        { ScanKinds.OpenTube, BoxStates.Open, "stay" },
        { ScanKinds.OpenTube, BoxStates.Sealed, "box_not_open" },
        { ScanKinds.OpenTube, BoxStates.InTransit, "box_not_open" },
        { ScanKinds.OpenTube, BoxStates.Received, "box_not_open" },
        { ScanKinds.OpenTube, BoxStates.Testing, "box_not_open" },
        { ScanKinds.OpenTube, BoxStates.Done, "box_not_open" },
        { ScanKinds.SealBox, BoxStates.Open, "→sealed" },
        { ScanKinds.SealBox, BoxStates.Sealed, "box_already_sealed" },
        { ScanKinds.SealBox, BoxStates.InTransit, "box_already_sealed" },
        { ScanKinds.SealBox, BoxStates.Received, "box_already_sealed" },
        { ScanKinds.SealBox, BoxStates.Testing, "box_already_sealed" },
        { ScanKinds.SealBox, BoxStates.Done, "box_already_sealed" },
        { ScanKinds.PickUp, BoxStates.Open, "box_not_sealed (for now)" },
        { ScanKinds.PickUp, BoxStates.Sealed, "→in_transit" },
        { ScanKinds.PickUp, BoxStates.InTransit, "box_already_picked_up" },
        { ScanKinds.PickUp, BoxStates.Received, "box_already_received" },
        { ScanKinds.PickUp, BoxStates.Testing, "box_already_received" },
        { ScanKinds.PickUp, BoxStates.Done, "box_already_received" },
        { ScanKinds.HandOver, BoxStates.Open, "box_not_in_transit (for now)" },
        { ScanKinds.HandOver, BoxStates.Sealed, "box_not_in_transit (for now)" },
        { ScanKinds.HandOver, BoxStates.InTransit, "stay" },
        { ScanKinds.HandOver, BoxStates.Received, "box_not_in_transit" },
        { ScanKinds.HandOver, BoxStates.Testing, "box_not_in_transit" },
        { ScanKinds.HandOver, BoxStates.Done, "box_not_in_transit" },
        { ScanKinds.Receive, BoxStates.Open, "box_not_sealed (for now)" },
        { ScanKinds.Receive, BoxStates.Sealed, "box_not_picked_up (for now)" },
        { ScanKinds.Receive, BoxStates.InTransit, "→received" },
        { ScanKinds.Receive, BoxStates.Received, "box_already_received" },
        { ScanKinds.Receive, BoxStates.Testing, "box_already_received" },
        { ScanKinds.Receive, BoxStates.Done, "box_already_received" },
        { ScanKinds.Reconcile, BoxStates.Open, "box_not_received (for now)" },
        { ScanKinds.Reconcile, BoxStates.Sealed, "box_not_received (for now)" },
        { ScanKinds.Reconcile, BoxStates.InTransit, "box_not_received (for now)" },
        { ScanKinds.Reconcile, BoxStates.Received, "→testing" },
        { ScanKinds.Reconcile, BoxStates.Testing, "stay" },
        { ScanKinds.Reconcile, BoxStates.Done, "stay" },
        { ScanKinds.Result, BoxStates.Open, "stay" },
        { ScanKinds.Result, BoxStates.Sealed, "stay" },
        { ScanKinds.Result, BoxStates.InTransit, "stay" },
        { ScanKinds.Result, BoxStates.Received, "→testing" },
        { ScanKinds.Result, BoxStates.Testing, "stay" },
        { ScanKinds.Result, BoxStates.Done, "stay" },
    };

    public static TheoryData<string, string, string> TubeCells
    {
        get
        {
            var cells = new TheoryData<string, string, string>();
            foreach (var kind in new[] { ScanKinds.OpenTube, ScanKinds.AddPerson, ScanKinds.RemoveLast, ScanKinds.SealTube })
            {
                cells.Add(kind, TubeStates.Open, kind == ScanKinds.SealTube ? "→sealed" : "stay");
                foreach (var state in new[] { TubeStates.Sealed, TubeStates.Boxed, TubeStates.Received, TubeStates.Resulted, TubeStates.Rejected })
                {
                    cells.Add(kind, state, "tube_sealed");
                }
            }
            cells.Add(ScanKinds.Result, TubeStates.Open, "tube_not_received (for now)");
            cells.Add(ScanKinds.Result, TubeStates.Sealed, "tube_not_received (for now)");
            cells.Add(ScanKinds.Result, TubeStates.Boxed, "tube_not_received (for now)");
            cells.Add(ScanKinds.Result, TubeStates.Received, "→resulted");
            cells.Add(ScanKinds.Result, TubeStates.Resulted, "stay");
            cells.Add(ScanKinds.Result, TubeStates.Rejected, "tube_rejected");
            foreach (var state in new[] { TubeStates.Open, TubeStates.Sealed, TubeStates.Boxed, TubeStates.Received })
            {
                cells.Add(ScanKinds.Correct, state, "tube_not_resulted");
            }
            cells.Add(ScanKinds.Correct, TubeStates.Resulted, "stay");
            cells.Add(ScanKinds.Correct, TubeStates.Rejected, "tube_rejected");
            return cells;
        }
    }

    private static string Describe(Transition t) =>
        t.Problem is { } p ? p.Code + (t.ForNow ? " (for now)" : "") : t.To is { } to ? "→" + to : "stay";

    [Theory]
    [MemberData(nameof(BoxCells))]
    public void ABox_InEachState_TakesOrRefusesEachScan_AsTheChainOfCustodyRules(string kind, string state, string expected) =>
        Assert.Equal(expected, Describe(BoxTransitions.Of(kind, state)));

    [Theory]
    [MemberData(nameof(TubeCells))]
    public void ATube_InEachState_TakesOrRefusesEachScan_AsTheChainOfCustodyRules(string kind, string state, string expected) =>
        Assert.Equal(expected, Describe(TubeTransitions.Of(kind, state)));

    [Fact]
    public void TheTables_HaveACellForEveryStateOfEveryKindTheyName_AndNoOther()
    {
        Assert.Equal(BoxCells.Count, BoxTransitions.Cells.Count());
        Assert.Equal(TubeCells.Count, TubeTransitions.Cells.Count());
        foreach (var kind in BoxTransitions.Cells.Select(c => c.Kind).Distinct())
        {
            Assert.Equal(BoxStates.All.Order(), BoxTransitions.Cells.Where(c => c.Kind == kind).Select(c => c.State).Order());
        }
        foreach (var kind in TubeTransitions.Cells.Select(c => c.Kind).Distinct())
        {
            Assert.Equal(TubeStates.All.Order(), TubeTransitions.Cells.Where(c => c.Kind == kind).Select(c => c.State).Order());
        }
    }
}
