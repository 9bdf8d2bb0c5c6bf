using Fangyi.Core.Storage;
using Fangyi.Core.Identity;
using Microsoft.AspNetCore.Authorization;
using Fangyi.Core.Jurisdiction;
using Fangyi.Features.Residents;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fangyi.Features.Home;

public sealed class IndexModel(Store store, KeyRing keys, DivisionDirectory divisions, Microsoft.AspNetCore.Authorization.IAuthorizationService authorization,
    Dashboard.ScreenViews screens, TimeProvider clock) : PageModel
{
    /// <summary>A round running now, with its figures in the account's division.</summary>
    public sealed record RunningRound(Sampling.SamplingApi.RoundView Round, long Residents, long People, long Samples, long InLab, long MixedPositive, long Positive)
    {
        public double Percent => Residents == 0 ? 0 : Math.Round(100.0 * People / Residents, 1);
    }

    public List<RunningRound> Running { get; } = [];

    // Today's checks at doors in the division (China time).
    public long ChecksToday { get; private set; }

    public long NonGreenToday { get; private set; }

    public bool MaySeeCoverage { get; private set; }

    // One count per child: cheap on the (division, id) index, but not for a township's hundreds of villages.
    private const int MaxParts = 40;

    public string DivisionPath { get; private set; } = "";

    public long Total { get; private set; }

    public List<(Division Division, long Count)> Parts { get; } = [];

    // Counts are for every account; the list of names only for those whose work is with residents.
    public bool MayReadResidents { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        MayReadResidents = (await authorization.AuthorizeAsync(User, ResidentPolicies.Read)).Succeeded;
        MaySeeCoverage = (await authorization.AuthorizeAsync(User, Sampling.SamplingPolicies.Coverage)).Succeeded;
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var round in await Sampling.SamplingApi.RoundsConcerningAsync(User, store, ct))
        {
            if (round.StartsAt <= now && now < round.EndsAt && round.RetiredAt is null)
            {
                var n = screens.Numbers(round.Id, User.Division());
                long N(string name) => (long)n.GetValueOrDefault(name);
                Running.Add(new RunningRound(round, N(ResidentCounters.Residents), N(Sampling.SamplingCounters.People), N(Sampling.SamplingCounters.Samples),
                    N(Sampling.SamplingCounters.LabBacklogPeople), N(Sampling.SamplingCounters.TubesMixedPositive), N(Sampling.SamplingCounters.TubesPositive)));
            }
        }
        var today = screens.Counters.Board.ReadAll(screens.Today, User.Division());
        long Today(string name) => screens.Counters.Layout.Find(name) is { } m ? today[m.Index] : 0;
        ChecksToday = Today(Checkpoint.CheckpointCounters.Checks);
        NonGreenToday = Today(Checkpoint.CheckpointCounters.NonGreen);
        var db = ScopedDb.For(store, User);
        DivisionPath = divisions.Tree.PathName(User.Division());
        Total = await ResidentQueries.CountAsync(db, keys, new ResidentQueries.Filter(), ct);
        var children = divisions.Tree.Children(User.Division());
        if (Total > 0 && children.Count <= MaxParts)
        {
            foreach (var child in children)
            {
                Parts.Add((child, await ResidentQueries.CountAsync(db, keys, new ResidentQueries.Filter(child.Code), ct)));
            }
        }
    }
}
