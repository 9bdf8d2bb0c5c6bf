using Fangyi.Core.Jurisdiction;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fangyi.Features.Divisions;

public sealed class DivisionsModel(DivisionDirectory divisions) : PageModel
{
    public DivisionsApi.DivisionView? Root { get; private set; }

    public void OnGet()
    {
        if (divisions.Tree.Find(User.Division()) is { } own)
        {
            Root = divisions.Tree.View(own);
        }
    }
}
