using Fangyi.Core.Ingest;

namespace Fangyi.Features.Sampling;

/// <summary>What a batch of scans names, gathered from each scan (<see cref="Scan.Need"/>) before the batch reads its state.</summary>
internal sealed class SamplingNeeds
{
    public HashSet<string> Tubes { get; } = [];

    public HashSet<string> Boxes { get; } = [];

    /// <summary>Boxes being sealed or received: every tube of theirs is read.</summary>
    public HashSet<string> WholeBoxes { get; } = [];

    public HashSet<long> Rounds { get; } = [];

    public HashSet<long> Sites { get; } = [];

    public List<(PersonRef Person, string Tube, PendingItem Item)> People { get; } = [];

    /// <summary>Tubes whose samples are read (someone taken out, a result): adding a person asks the round instead.</summary>
    public List<string> TubesWithSamples { get; } = [];

    /// <summary>Tubes someone is taken out of: their people's other samples of the round are read too.</summary>
    public List<string> Removing { get; } = [];
}
