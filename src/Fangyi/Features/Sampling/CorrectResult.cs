using Fangyi.Core.Ingest;
using Fangyi.Core.Status;

namespace Fangyi.Features.Sampling;

// A lab sets a wrong result right (结果更正): a second entry beside the first, with a reason, kept in
// result_corrections and the audit log. Everyone in the tube follows the new result: their status, the counters,
// and their tasks (the old result's open tasks are withdrawn, the new one's opened).
public sealed record CorrectResult(string Tube, string Result, double? Ct, string Reason) : Scan
{
    private const int MaxReason = 200;

    internal static async ValueTask<ScanIntake.Read> ReadAsync(ScanRequest request, ScanIntake intake, CancellationToken ct)
    {
        var (tube, problem) = await intake.CodeAsync(request.Tube, CodeType.Tube, ct);
        var result = SampleResults.Parse(request.Result);
        var reason = request.Reason?.Trim() ?? "";
        problem ??= result is null ? SamplingProblems.ResultInvalid
            : reason.Length is 0 or > MaxReason ? SamplingProblems.CorrectionReasonMissing
            : null;
        return new(problem is null ? new CorrectResult(tube, result!, request.Ct, reason) : null, tube, problem);
    }

    internal override void Need(SamplingNeeds needs, PendingItem item)
    {
        needs.Tubes.Add(Tube);
        needs.TubesWithSamples.Add(Tube);
    }

    internal override void Apply(SamplingState s, PendingItem item, long now)
    {
        if (!s.Tubes.TryGetValue(Tube, out var tube) || !Scope.Contains(tube.Division))
        {
            item.Refuse(SamplingProblems.TubeUnknown);
            return;
        }
        if (TubeTransitions.Of(ScanKinds.Correct, tube.State).Refuses(item))
        {
            return;
        }
        if (tube.Result == Result)
        {
            item.Refuse(SamplingProblems.CorrectionSame);
            return;
        }
        var (oldResult, oldCt) = (tube.Result!, tube.Ct);
        var standing = tube.Samples.Where(x => !x.Removed).ToList();
        var before = standing.Select(x => new PersonResult(x.ResidentId, x.Division, x.SampledAt, x.Result ?? ResultRules.Personal(oldResult, tube.Capacity))).ToList();
        s.WithdrawnTasks.Add(tube.Code);
        // The tube keeps the time its first result came: the lab's turnaround is not the correction's.
        var resultedAt = tube.ResultedAt;
        var tasks = ResultRules.Apply(s, tube, Result, Ct, item.Item.At, item);
        tube.ResultedAt = resultedAt;
        s.Corrections.Add((tube.Code, oldResult, oldCt, Result, Ct, Reason, AccountId));
        item.Note(new ResultCorrected(tube.RoundId, tube.Division, oldResult, Result, tube.Capacity > 1, before,
            standing.Select(x => new PersonResult(x.ResidentId, x.Division, x.SampledAt, x.Result!)).ToList()));
        item.Accept(new TubeResultView(tube.Code, Result, (int)tube.People, tasks));
    }
}
