using Fangyi.Core.Status;

namespace Fangyi.Features.Checkpoint;

// Which colour a door acts on: the provincial feed's, made worse (never better) by what is known here, a local
// result or a running hold. How much worse a result makes it is rules data (the rules document's localColours).
public sealed record ColourPolicy(HealthColour Positive = HealthColour.Red, HealthColour MixedPositive = HealthColour.Red)
{
    // The colour for a person's facts as read from the index, whose reason table names the feed's and the hold's reasons.
    public EffectiveColour Effective(in PersonFacts f, StatusIndex index, long now)
    {
        var result = new EffectiveColour(f.FeedColour, index.Reason(f.FeedReason), f.FeedSince, ColourSources.Feed);
        var local = f.Result switch
        {
            NucleicState.Positive => (Positive, "核酸检测阳性"),
            NucleicState.MixedPositive => (MixedPositive, "混管阳性待复核"),
            _ => (HealthColour.Green, ""),
        };
        if (local.Item1 > result.Colour)
        {
            result = new EffectiveColour(local.Item1, local.Item2, f.ResultSampledAt, ColourSources.NucleicAcid);
        }
        if (f.HoldUntil > now && f.HoldColour > result.Colour)
        {
            result = new EffectiveColour(f.HoldColour, index.Reason(f.HoldReason), f.HoldSince, ColourSources.Hold, f.HoldUntil);
        }
        return result;
    }
}
