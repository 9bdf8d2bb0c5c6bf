using Fangyi.Core.Jurisdiction;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fangyi.Features.Dashboard;

// The command big screen (指挥大屏), on a wall or a laptop (it scales to the display): the page is a shell; its numbers come from the
// dashboard hub (a view on watching, then deltas) and its rounds from the sampling API.
[Authorize(Policy = DashboardSetup.Policy)]
public sealed class IndexModel(DivisionDirectory divisions) : PageModel
{
    public long Division { get; private set; }

    public string Place { get; private set; } = "";

    public void OnGet()
    {
        Division = Core.Jurisdiction.FangyiClaims.Division(User);
        Place = divisions.Tree.PathName(Division);
    }
}
