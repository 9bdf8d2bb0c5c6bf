using Fangyi.Core.Storage;
using Fangyi.Core.Identity;
using Fangyi.Core.Jurisdiction;
using Fangyi.Features.Residents;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fangyi.Features.Citizens;

// Printing a village's citizen-code sheet, for residents without phones: walk down from one's own division
// to a village, then open the sheet as a page to print or as a PDF.
[Authorize(Policy = Features.Citizens.CitizenPolicies.Issue)]
public sealed class CitizenCodesModel(Store store, KeyRing keys, DivisionDirectory divisions, Features.Citizens.CitizenCodes citizens, Core.Audit.AuditLog audit) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long? Division { get; set; }

    // A village's name, or part of it, to find it anywhere in the jurisdiction.
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    public const int SearchLimit = 30;

    // The division being looked at: the account's own unless a deeper one in it was picked.
    public Division? Current { get; private set; }

    // From the account's own division down to the current one, for the crumbs.
    public List<Division> Trail { get; } = [];

    // The divisions one level down, with their residents when they are villages.
    public List<(Division Division, long? Residents)> Below { get; } = [];

    public long CurrentResidents { get; private set; }

    public string? Notice { get; private set; }

    // What the revoke button did, shown above the page.
    public string? Revoked { get; private set; }

    // Revokes the printed codes of one resident of the jurisdiction on request, found by the number typed (posted,
    // never in the address); an admin only, audited.
    public async Task OnPostRevokeAsync(string? idNumber, string? reason, CancellationToken ct)
    {
        var number = IdNumber.Normalize(idNumber ?? "");
        var found = !User.IsInRole(Roles.Admin) || number.Length == 0 ? []
            : await ResidentQueries.ListAsync(ScopedDb.For(store, User), divisions.Tree, keys, new ResidentQueries.Filter(Query: number, Limit: 2), ct);
        if (found.Count != 1)
        {
            Notice = "管辖范围内查无此证件号码";
        }
        else
        {
            var text = string.IsNullOrWhiteSpace(reason) ? "requested" : reason.Trim()[..Math.Min(200, reason.Trim().Length)];
            var count = await citizens.RevokePrintedAsync(found[0].Id, text, ct);
            await audit.WriteAsync(HttpContext, "resident.citizen_codes_revoked", "resident", found[0].Id.ToString(System.Globalization.CultureInfo.InvariantCulture), found[0].Division, $"{count} codes");
            Revoked = count > 0 ? $"已作废 {found[0].IdMasked} 的 {count} 张纸质市民码" : $"{found[0].IdMasked} 没有有效的纸质市民码";
        }
        Division = null;
        await OnGetAsync(ct);
    }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var own = User.Division();
        var scope = User.Scope();
        var wanted = Division ?? own;
        if (!scope.Contains(wanted) || divisions.Tree.Find(wanted) is null)
        {
            Notice = divisions.Tree.Find(wanted) is null ? "区划代码不存在" : "该区划不在您的管辖范围内";
            wanted = own;
        }
        Current = divisions.Tree.Find(wanted);
        if (Current is null)
        {
            return;
        }
        Trail.AddRange(divisions.Tree.Path(wanted).Where(d => scope.Contains(d.Code)));
        var db = ScopedDb.For(store, User);
        if (!string.IsNullOrWhiteSpace(Q))
        {
            foreach (var found in divisions.Tree.Search(Q, SearchLimit, own).Where(d => d.Code != own))
            {
                Below.Add((found, found.Level == DivisionLevel.Village ? await ResidentQueries.CountAsync(db, keys, new ResidentQueries.Filter(found.Code), ct) : null));
            }
            return;
        }
        if (Current.Level == DivisionLevel.Village)
        {
            CurrentResidents = await ResidentQueries.CountAsync(db, keys, new ResidentQueries.Filter(Current.Code), ct);
            return;
        }
        foreach (var child in divisions.Tree.Children(wanted))
        {
            // Counted only where the sheet is printed: a township's villages, tens of cheap index counts.
            long? count = child.Level == DivisionLevel.Village ? await ResidentQueries.CountAsync(db, keys, new ResidentQueries.Filter(child.Code), ct) : null;
            Below.Add((child, count));
        }
    }

    public string PathOf(long division) => divisions.Tree.PathName(division);

    public static string SheetUrl(long village, string format) => $"/api/v1/citizen-codes/sheet?division={village}&format={format}";
}
