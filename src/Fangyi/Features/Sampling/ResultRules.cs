using Fangyi.Core.Status;
using Fangyi.Features.Tasks;

namespace Fangyi.Features.Sampling;

// What a tube's result means for each person in it: a positive pooled tube makes everyone "mixed-positive,
// awaiting single-tube retest" with a retest task in their village; a positive single tube is positive; an
// invalid tube asks for everyone to be sampled again.
internal static class ResultRules
{
    // A person's result from their tube's.
    public static string Personal(string tubeResult, long capacity) =>
        tubeResult == SampleResults.Positive && capacity > 1 ? SampleResults.MixedPositive : tubeResult;

    // The kind of task a person's result opens (a single-tube retest, a re-sample), or null.
    public static string? RetestKind(string personal) => personal switch
    {
        SampleResults.MixedPositive => TaskKinds.Retest,
        SampleResults.Invalid => TaskKinds.Resample,
        _ => null,
    };

    // Records the result on the tube and on everyone in it; returns how many retest tasks it opened.
    public static int Apply(SamplingState s, TubeRow tube, string result, double? ct, long at, Core.Ingest.PendingItem item)
    {
        tube.Result = result;
        tube.Ct = ct;
        tube.ResultedAt = at;
        tube.Dirty = true;
        var personal = Personal(result, tube.Capacity);
        var kind = RetestKind(personal);
        var tasks = 0;
        foreach (var sample in tube.Samples.Where(x => !x.Removed))
        {
            sample.Result = personal;
            sample.ResultedAt = at;
            sample.Dirty = true;
            if (kind is not null)
            {
                s.RetestTasks.Add(new TaskBoard.NewTask(kind, sample.ResidentId, sample.Division, tube.Code));
                tasks++;
            }
            if (personal is SampleResults.Positive or SampleResults.MixedPositive)
            {
                // Everyone in a positive tube is to be screened (排查): one entry per tube, result and person.
                s.Positives.Add((new Screening.Finding
                {
                    Source = Screening.ScreeningSources.Positive,
                    Ref = $"{tube.Code}:{personal}:{sample.ResidentId}",
                    Reason = personal == SampleResults.Positive ? "核酸阳性" : "混管阳性",
                    At = at,
                    High = true,
                    ResidentId = sample.ResidentId,
                    Payload = System.Text.Json.JsonSerializer.Serialize(new { tube = tube.Code, sampledAt = sample.SampledAt }),
                }, item));
            }
        }
        return tasks;
    }
}
