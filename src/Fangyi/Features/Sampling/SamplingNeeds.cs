using Fangyi.Core.Ingest;

namespace Fangyi.Features.Sampling;

// What a batch of scans names, gathered from each scan (Scan.Need) before the batch reads its state.
internal sealed class SamplingNeeds
{
    public HashSet<string> Tubes { get; } = [];

    public HashSet<string> Boxes { get; } = [];

    // Boxes being sealed or received: every tube of theirs is read.
    public HashSet<string> WholeBoxes { get; } = [];

    // Boxes being reconciled: the samples of every tube of theirs are read too (a tube missing calls its people back).
    public HashSet<string> WholeBoxesWithSamples { get; } = [];

    public HashSet<long> Rounds { get; } = [];

    public HashSet<long> Sites { get; } = [];

    public List<(PersonRef Person, string Tube, PendingItem Item)> People { get; } = [];

    // Tubes whose samples are read (someone taken out, a result): adding a person asks the round instead.
    public List<string> TubesWithSamples { get; } = [];

    // Tubes someone is taken out of: their people's other samples of the round are read too.
    public List<string> Removing { get; } = [];
}
