using Fangyi.Core.Http;
using Fangyi.Core.Ingest;

namespace Fangyi.Features.Sampling;

// One cell of a transition table: what a scan does to a box or tube in a given state. It moves it on
// (To), leaves it as it is, or refuses the scan; a refusal "for now" is one a later scan may lift (the
// scan it follows has not arrived yet), so it is not the answer to a retry.
internal sealed record Transition(string? To, ApiProblem? Problem, bool ForNow)
{
    public static readonly Transition Stay = new(null, null, false);

    public static Transition Into(string state) => new(state, null, false);

    public static Transition Refuse(ApiProblem problem) => new(null, problem, false);

    public static Transition RefuseForNow(ApiProblem problem) => new(null, problem, true);

    // Refuses the item if this cell is a refusal; true when it did.
    public bool Refuses(PendingItem item)
    {
        if (Problem is null)
        {
            return false;
        }
        if (ForNow)
        {
            item.RefuseForNow(Problem);
        }
        else
        {
            item.Refuse(Problem);
        }
        return true;
    }

    // The state after the scan: To, or state unchanged.
    public string After(string state) => To ?? state;
}
