using static Fangyi.Features.Sampling.BoxStates;
using static Fangyi.Features.Sampling.SamplingProblems;

namespace Fangyi.Features.Sampling;

// The chain of custody of a box: for each scan that concerns a box and each state the box can be in, whether the
// scan moves it on, leaves it, or is refused and with which problem. Not yet picked up (open, sealed) may change, so
// a scan that needs a later state waits "for now"; received and testing will not.
internal static class BoxTransitions
{
    private static readonly Dictionary<(string Kind, string State), Transition> Table = new()
    {
        // Opening the box one is already filling resumes it (a phone that lost its screen); see OpenBox for the site.
        [(ScanKinds.OpenBox, Open)] = Transition.Stay,
        [(ScanKinds.OpenBox, Sealed)] = Transition.Refuse(BoxNotOpen),
        [(ScanKinds.OpenBox, InTransit)] = Transition.Refuse(BoxNotOpen),
        [(ScanKinds.OpenBox, Received)] = Transition.Refuse(BoxNotOpen),
        [(ScanKinds.OpenBox, Testing)] = Transition.Refuse(BoxNotOpen),
        [(ScanKinds.OpenBox, Done)] = Transition.Refuse(BoxNotOpen),

        // A new tube goes only into an open box.
        [(ScanKinds.OpenTube, Open)] = Transition.Stay,
        [(ScanKinds.OpenTube, Sealed)] = Transition.Refuse(BoxNotOpen),
        [(ScanKinds.OpenTube, InTransit)] = Transition.Refuse(BoxNotOpen),
        [(ScanKinds.OpenTube, Received)] = Transition.Refuse(BoxNotOpen),
        [(ScanKinds.OpenTube, Testing)] = Transition.Refuse(BoxNotOpen),
        [(ScanKinds.OpenTube, Done)] = Transition.Refuse(BoxNotOpen),

        [(ScanKinds.SealBox, Open)] = Transition.Into(Sealed),
        [(ScanKinds.SealBox, Sealed)] = Transition.Refuse(BoxAlreadySealed),
        [(ScanKinds.SealBox, InTransit)] = Transition.Refuse(BoxAlreadySealed),
        [(ScanKinds.SealBox, Received)] = Transition.Refuse(BoxAlreadySealed),
        [(ScanKinds.SealBox, Testing)] = Transition.Refuse(BoxAlreadySealed),
        [(ScanKinds.SealBox, Done)] = Transition.Refuse(BoxAlreadySealed),

        [(ScanKinds.PickUp, Open)] = Transition.RefuseForNow(BoxNotSealed),
        [(ScanKinds.PickUp, Sealed)] = Transition.Into(InTransit),
        [(ScanKinds.PickUp, InTransit)] = Transition.Refuse(BoxAlreadyPickedUp),
        [(ScanKinds.PickUp, Received)] = Transition.Refuse(BoxAlreadyReceived),
        [(ScanKinds.PickUp, Testing)] = Transition.Refuse(BoxAlreadyReceived),
        [(ScanKinds.PickUp, Done)] = Transition.Refuse(BoxAlreadyReceived),

        [(ScanKinds.HandOver, Open)] = Transition.RefuseForNow(BoxNotInTransit),
        [(ScanKinds.HandOver, Sealed)] = Transition.RefuseForNow(BoxNotInTransit),
        [(ScanKinds.HandOver, InTransit)] = Transition.Stay,
        [(ScanKinds.HandOver, Received)] = Transition.Refuse(BoxNotInTransit),
        [(ScanKinds.HandOver, Testing)] = Transition.Refuse(BoxNotInTransit),
        [(ScanKinds.HandOver, Done)] = Transition.Refuse(BoxNotInTransit),

        // The courier's pick-up scan is a link of the chain; a box cannot skip it.
        [(ScanKinds.Receive, Open)] = Transition.RefuseForNow(BoxNotSealed),
        [(ScanKinds.Receive, Sealed)] = Transition.RefuseForNow(BoxNotPickedUp),
        [(ScanKinds.Receive, InTransit)] = Transition.Into(Received),
        [(ScanKinds.Receive, Received)] = Transition.Refuse(BoxAlreadyReceived),
        [(ScanKinds.Receive, Testing)] = Transition.Refuse(BoxAlreadyReceived),
        [(ScanKinds.Receive, Done)] = Transition.Refuse(BoxAlreadyReceived),

        // The lab's reconciliation of a received box opens it for testing; done once per box (see Reconcile), also
        // after the first results have come.
        [(ScanKinds.Reconcile, Open)] = Transition.RefuseForNow(BoxNotReceived),
        [(ScanKinds.Reconcile, Sealed)] = Transition.RefuseForNow(BoxNotReceived),
        [(ScanKinds.Reconcile, InTransit)] = Transition.RefuseForNow(BoxNotReceived),
        [(ScanKinds.Reconcile, Received)] = Transition.Into(Testing),
        [(ScanKinds.Reconcile, Testing)] = Transition.Stay,
        [(ScanKinds.Reconcile, Done)] = Transition.Stay,

        // A tube's result takes a received box into testing (and the last one into done, see TubeResult); it never
        // refuses for the box.
        [(ScanKinds.Result, Open)] = Transition.Stay,
        [(ScanKinds.Result, Sealed)] = Transition.Stay,
        [(ScanKinds.Result, InTransit)] = Transition.Stay,
        [(ScanKinds.Result, Received)] = Transition.Into(Testing),
        [(ScanKinds.Result, Testing)] = Transition.Stay,
        [(ScanKinds.Result, Done)] = Transition.Stay,
    };

    // What scan kind does to a box in state.
    public static Transition Of(string kind, string state) => Table[(kind, state)];

    // Every cell, for the tests that walk the table.
    public static IEnumerable<(string Kind, string State, Transition Transition)> Cells => Table.Select(c => (c.Key.Kind, c.Key.State, c.Value));
}
