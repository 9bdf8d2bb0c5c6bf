using static Fangyi.Features.Sampling.TubeStates;
using static Fangyi.Features.Sampling.SamplingProblems;

namespace Fangyi.Features.Sampling;

// The life of a tube under the scans that name it: people go into an open tube only; sealing closes it; a result
// needs the lab's receipt (which may still come, so it waits "for now"). Its box carries it on from sealed: sealing
// the box boxes it, receiving the box receives it (see SealBox and Receive).
internal static class TubeTransitions
{
    private static readonly Dictionary<(string Kind, string State), Transition> Table = new()
    {
        // Opening a tube again answers with it while it is open (see OpenTube for its box).
        [(ScanKinds.OpenTube, Open)] = Transition.Stay,
        [(ScanKinds.OpenTube, Sealed)] = Transition.Refuse(SamplingProblems.TubeSealed),
        [(ScanKinds.OpenTube, Boxed)] = Transition.Refuse(SamplingProblems.TubeSealed),
        [(ScanKinds.OpenTube, Received)] = Transition.Refuse(SamplingProblems.TubeSealed),
        [(ScanKinds.OpenTube, Resulted)] = Transition.Refuse(SamplingProblems.TubeSealed),
        [(ScanKinds.OpenTube, Rejected)] = Transition.Refuse(SamplingProblems.TubeSealed),

        [(ScanKinds.AddPerson, Open)] = Transition.Stay,
        [(ScanKinds.AddPerson, Sealed)] = Transition.Refuse(SamplingProblems.TubeSealed),
        [(ScanKinds.AddPerson, Boxed)] = Transition.Refuse(SamplingProblems.TubeSealed),
        [(ScanKinds.AddPerson, Received)] = Transition.Refuse(SamplingProblems.TubeSealed),
        [(ScanKinds.AddPerson, Resulted)] = Transition.Refuse(SamplingProblems.TubeSealed),
        [(ScanKinds.AddPerson, Rejected)] = Transition.Refuse(SamplingProblems.TubeSealed),

        [(ScanKinds.RemoveLast, Open)] = Transition.Stay,
        [(ScanKinds.RemoveLast, Sealed)] = Transition.Refuse(SamplingProblems.TubeSealed),
        [(ScanKinds.RemoveLast, Boxed)] = Transition.Refuse(SamplingProblems.TubeSealed),
        [(ScanKinds.RemoveLast, Received)] = Transition.Refuse(SamplingProblems.TubeSealed),
        [(ScanKinds.RemoveLast, Resulted)] = Transition.Refuse(SamplingProblems.TubeSealed),
        [(ScanKinds.RemoveLast, Rejected)] = Transition.Refuse(SamplingProblems.TubeSealed),

        [(ScanKinds.SealTube, Open)] = Transition.Into(Sealed),
        [(ScanKinds.SealTube, Sealed)] = Transition.Refuse(SamplingProblems.TubeSealed),
        [(ScanKinds.SealTube, Boxed)] = Transition.Refuse(SamplingProblems.TubeSealed),
        [(ScanKinds.SealTube, Received)] = Transition.Refuse(SamplingProblems.TubeSealed),
        [(ScanKinds.SealTube, Resulted)] = Transition.Refuse(SamplingProblems.TubeSealed),
        [(ScanKinds.SealTube, Rejected)] = Transition.Refuse(SamplingProblems.TubeSealed),

        // Receipt may still come: the lab enters the same result again then. A resulted tube stays, and the result
        // rules tell the same result again from a conflicting one (see TubeResult).
        [(ScanKinds.Result, Open)] = Transition.RefuseForNow(TubeNotReceived),
        [(ScanKinds.Result, Sealed)] = Transition.RefuseForNow(TubeNotReceived),
        [(ScanKinds.Result, Boxed)] = Transition.RefuseForNow(TubeNotReceived),
        [(ScanKinds.Result, Received)] = Transition.Into(Resulted),
        [(ScanKinds.Result, Resulted)] = Transition.Stay,
        [(ScanKinds.Result, Rejected)] = Transition.Refuse(TubeRejected),

        // Only a result can be set right; a tube without one gets its result entered, not corrected.
        [(ScanKinds.Correct, Open)] = Transition.Refuse(TubeNotResulted),
        [(ScanKinds.Correct, Sealed)] = Transition.Refuse(TubeNotResulted),
        [(ScanKinds.Correct, Boxed)] = Transition.Refuse(TubeNotResulted),
        [(ScanKinds.Correct, Received)] = Transition.Refuse(TubeNotResulted),
        [(ScanKinds.Correct, Resulted)] = Transition.Stay,
        [(ScanKinds.Correct, Rejected)] = Transition.Refuse(TubeRejected),
    };

    // What scan kind does to a tube in state.
    public static Transition Of(string kind, string state) => Table[(kind, state)];

    // Every cell, for the tests that walk the table.
    public static IEnumerable<(string Kind, string State, Transition Transition)> Cells => Table.Select(c => (c.Key.Kind, c.Key.State, c.Value));
}
