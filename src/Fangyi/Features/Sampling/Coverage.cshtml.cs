using System.Globalization;
using Fangyi.Core.Audit;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fangyi.Features.Sampling;

// How far a round has got, for the county admin on the phone with the commander: the division's figures, each
// child division with its share sampled (click to go down, the crumbs go up), custody and turnaround, and in a
// village the people not sampled yet, with an export for going door to door.
[Authorize(Policy = SamplingPolicies.Coverage)]
public sealed class CoverageModel(Store store, DivisionDirectory divisions, AuditLog audit, IAuthorizationService authorization) : PageModel
{
    // Past this many people the list is left to the export (a township's list belongs on paper or in the village app).
    public const int ListedAtMost = 500;

    [BindProperty(SupportsGet = true)] public long? Round { get; set; }
    [BindProperty(SupportsGet = true)] public long? Division { get; set; }

    public List<SamplingApi.RoundView> Rounds { get; private set; } = [];
    public SamplingApi.RoundView? Shown { get; private set; }
    public CoverageApi.Coverage? Figures { get; private set; }
    public List<Division> Crumbs { get; } = [];
    public List<CoverageApi.Unsampled>? NotSampled { get; private set; }
    public bool MaySeePeople { get; private set; }
    public bool Leaf { get; private set; }

    public string PathOf(long division) => divisions.Tree.PathName(division);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var scope = User.Scope();
        var code = Division ?? scope.Root;
        if (!scope.Contains(code) || divisions.Tree.Find(code) is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        Division = code;
        Rounds = await SamplingApi.RoundsConcerningAsync(User, store, ct);
        Shown = Rounds.FirstOrDefault(r => r.Id == Round) ?? Rounds.FirstOrDefault(r => r.RetiredAt is null) ?? Rounds.FirstOrDefault();
        if (Shown is null)
        {
            return Page();
        }
        Crumbs.AddRange(divisions.Tree.Path(code).Where(d => scope.Contains(d.Code)));
        var db = ScopedDb.For(store, User);
        Figures = await CoverageApi.ComputeAsync(Shown.Id, code, db, divisions, ct);
        Leaf = Figures.Children.Count == 0;
        MaySeePeople = (await authorization.AuthorizeAsync(User, SamplingPolicies.People)).Succeeded;
        if (MaySeePeople && Figures.NotSampled <= ListedAtMost)
        {
            NotSampled = await CoverageApi.NotSampledAsync(Shown.Id, code, db, ct);
            await audit.WriteAsync(HttpContext, "sampling.not_sampled_list", "division", code.ToString(CultureInfo.InvariantCulture), code, $"round {Shown.Id}, {NotSampled.Count} rows, console");
        }
        return Page();
    }

    public string Link(long division) => $"/sampling/coverage?round={Shown?.Id}&division={division}";
}
