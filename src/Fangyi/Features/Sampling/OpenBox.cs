using Fangyi.Core.Ingest;
using Fangyi.Core.Jurisdiction;

namespace Fangyi.Features.Sampling;

// A sampler opens a box at a site for a round (开箱); opening it again resumes it.
public sealed record OpenBox(string Box, long RoundId, long SiteId) : Scan
{
    internal static async ValueTask<ScanIntake.Read> ReadAsync(ScanRequest request, ScanIntake intake, CancellationToken ct)
    {
        var (box, problem) = await intake.CodeAsync(request.Box, CodeType.Box, ct);
        return new(problem is null ? new OpenBox(box, request.RoundId ?? 0, request.SiteId ?? 0) : null, box, problem);
    }

    internal override void Need(SamplingNeeds needs, PendingItem item)
    {
        needs.Boxes.Add(Box);
        needs.Rounds.Add(RoundId);
        needs.Sites.Add(SiteId);
    }

    internal override void Apply(SamplingState s, PendingItem item, long now)
    {
        if (!s.Rounds.TryGetValue(RoundId, out var round))
        {
            item.Refuse(SamplingProblems.RoundUnknown);
            return;
        }
        if (now < round.StartsAt || now > round.EndsAt)
        {
            item.Refuse(SamplingProblems.RoundClosed);
            return;
        }
        if (!s.Sites.TryGetValue(SiteId, out var site))
        {
            item.Refuse(SamplingProblems.SiteUnknown);
            return;
        }
        if (!Core.Jurisdiction.Scope.Of(round.Division).Contains(site.Division))
        {
            item.Refuse(SamplingProblems.SiteOutsideRound);
            return;
        }
        if (!Scope.Contains(site.Division) && !s.Members.Contains((site.Id, AccountId)))
        {
            item.Refuse(SamplingProblems.NotYourSite);
            return;
        }
        if (s.Boxes.TryGetValue(Box, out var box))
        {
            if (BoxTransitions.Of(ScanKinds.OpenBox, box.State).Refuses(item))
            {
                return;
            }
            // An open box is resumed only where it was opened.
            if (box.SiteId != SiteId || box.RoundId != RoundId)
            {
                item.Refuse(SamplingProblems.BoxInUse);
                return;
            }
        }
        else if (site.RetiredAt is not null)
        {
            item.Refuse(SamplingProblems.SiteRetired);
            return;
        }
        else
        {
            box = new BoxRow { Code = Box, RoundId = RoundId, SiteId = SiteId, Division = site.Division, State = BoxStates.Open, OpenedAt = item.Item.At, IsNew = true };
            s.Boxes[Box] = box;
            item.Note(new BoxOpened(box.RoundId, box.Division));
        }
        item.Accept(box.View(), box.IsNew ? 201 : 200);
    }
}
