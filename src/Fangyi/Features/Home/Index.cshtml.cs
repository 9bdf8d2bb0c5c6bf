using Fangyi.Core.Storage;
using Fangyi.Core.Identity;
using Microsoft.AspNetCore.Authorization;
using Fangyi.Core.Jurisdiction;
using Fangyi.Features.Residents;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fangyi.Features.Home;

public sealed class IndexModel(Store store, KeyRing keys, DivisionDirectory divisions, Microsoft.AspNetCore.Authorization.IAuthorizationService authorization) : PageModel
{
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
