namespace Fangyi.Features.Sampling;

/// <summary>The ingest kinds of the scans, as a phone names them in <see cref="ScanRequest.Action"/>.</summary>
public static class ScanKinds
{
    public const string OpenBox = "box.open";
    public const string OpenTube = "tube.open";
    public const string AddPerson = "sample.add";
    public const string RemoveLast = "sample.remove_last";
    public const string SealTube = "tube.seal";
    public const string SealBox = "box.seal";
    public const string PickUp = "box.pickup";
    public const string HandOver = "box.handover";
    public const string Receive = "box.receive";
    public const string Reconcile = "box.reconcile";
    public const string Result = "tube.result";
    public const string Correct = "tube.correct";

    public static readonly IReadOnlyCollection<string> All = [OpenBox, OpenTube, AddPerson, RemoveLast, SealTube, SealBox, PickUp, HandOver, Receive, Reconcile, Result, Correct];
}
