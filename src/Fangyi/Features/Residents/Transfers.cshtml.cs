using Fangyi.Core.Pages;
using Fangyi.Core.Storage;
using Fangyi.Core.Audit;
using Fangyi.Core.Jurisdiction;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fangyi.Features.Residents;

// 迁入申请: requests this jurisdiction made, and requests for people it holds, to accept or decline.
[Microsoft.AspNetCore.Authorization.Authorize(Policy = Features.Residents.ResidentPolicies.Write)]
public sealed class TransfersModel(Store store, DivisionDirectory divisions, AuditLog audit, TimeProvider clock) : PageModel
{
    public List<ResidentTransfers.TransferView> Transfers { get; private set; } = [];

    public string? Notice { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!User.IsAdmin())
        {
            return Forbid();
        }
        Transfers = await ResidentTransfers.ListAsync(store, divisions.Tree, User.Scope(), null, ct);
        return Page();
    }

    public Task<IActionResult> OnPostAcceptAsync(long id, CancellationToken ct) => DecideAsync(id, true, ct);

    public Task<IActionResult> OnPostDeclineAsync(long id, CancellationToken ct) => DecideAsync(id, false, ct);

    private async Task<IActionResult> DecideAsync(long id, bool accept, CancellationToken ct)
    {
        if (!User.IsAdmin())
        {
            return Forbid();
        }
        var answer = await ResidentTransfers.DecideAsync(id, accept, HttpContext, store, audit, clock, ct);
        if (answer.Result is Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult problem)
        {
            Response.StatusCode = problem.StatusCode;
            Notice = problem.ProblemDetails.Title;
        }
        else
        {
            Notice = accept ? "已同意迁入，人员已迁至申请地" : "已拒绝该迁入申请";
        }
        Transfers = await ResidentTransfers.ListAsync(store, divisions.Tree, User.Scope(), null, ct);
        return Page();
    }
}
