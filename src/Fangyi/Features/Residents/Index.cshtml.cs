using Fangyi.Core.Storage;
using System.Globalization;
using Fangyi.Core.Audit;
using Fangyi.Core.Identity;
using Fangyi.Core.Jurisdiction;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fangyi.Features.Residents;

[Microsoft.AspNetCore.Authorization.Authorize(Policy = Features.Residents.ResidentPolicies.Read)]
public sealed class IndexModel(Store store, KeyRing keys, DivisionDirectory divisions, AuditLog audit) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true)]
    public long? Division { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Code { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Tag { get; set; }

    [BindProperty(SupportsGet = true)]
    public long After { get; set; }

    // The division filter in effect: a typed code wins over the list's choice.
    public long? Within { get; private set; }

    public string WithinPath => Within is { } w ? divisions.Tree.PathName(w) : "";

    public string OwnName { get; private set; } = "";

    public List<Division> DivisionOptions { get; } = [];

    public List<ResidentView> Residents { get; private set; } = [];

    public long Total { get; private set; }

    public long? NextAfter { get; private set; }

    public string? Notice { get; private set; }

    // The search form posts, so that an ID number searched for stays out of URLs, logs and history.
    public Task OnPostAsync(CancellationToken ct) => OnGetAsync(ct);

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (HttpMethods.IsGet(Request.Method) && ResidentQueries.LooksLikeIdNumber(Q))
        {
            Q = null;
            Notice = "证件号码不能放在网址中，请在查询框中输入后点击“查询”";
        }
        var scope = User.Scope();
        Within = long.TryParse(Code?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var typed) ? typed : Division;
        if (Within is { } within && (!scope.Contains(within) || divisions.Tree.Find(within) is null))
        {
            Notice = divisions.Tree.Find(within) is null ? "区划代码不存在" : "该区划不在您的管辖范围内";
        }
        OwnName = divisions.Tree.Find(User.Division())?.Name ?? "本辖区";
        DivisionOptions.AddRange(divisions.Tree.Children(User.Division()));
        if (Within is { } chosen && DivisionOptions.All(d => d.Code != chosen) && scope.Contains(chosen) && divisions.Tree.Find(chosen) is { } deeper)
        {
            DivisionOptions.Insert(0, deeper);
        }

        var db = ScopedDb.For(store, User);
        var filter = new ResidentQueries.Filter(Within, Q, Tag, After, PageSize + 1);
        var rows = await ResidentQueries.ListAsync(db, divisions.Tree, keys, filter, ct);
        NextAfter = rows.Count > PageSize ? rows[PageSize - 1].Id : null;
        Residents = rows.Take(PageSize).ToList();
        Total = await ResidentQueries.CountAsync(db, keys, filter, ct);
        if (Residents.Count == 0 && ResidentQueries.IsPartialIdNumber(Q))
        {
            Notice ??= ResidentQueries.PartialIdNumberMessage;
        }
        await audit.WriteAsync(HttpContext, "resident.list", "resident", null, Within ?? User.Division(),
            $"{Residents.Count} rows{(string.IsNullOrWhiteSpace(Q) ? "" : ", searched")}");
    }

    public string PageUrl(long after) => "/residents" + Query(("q", ResidentQueries.LooksLikeIdNumber(Q) ? null : Q), ("division", Within?.ToString(CultureInfo.InvariantCulture)), ("tag", Tag),
        ("after", after > 0 ? after.ToString(CultureInfo.InvariantCulture) : null));

    // The export takes the division and tag filters; it has no name search.
    public string ExportUrl(string format) => "/api/v1/residents/export" + Query(("format", format), ("division", Within?.ToString(CultureInfo.InvariantCulture)), ("tag", Tag));

    private static string Query(params (string Name, string? Value)[] pairs)
    {
        var query = new QueryBuilder();
        foreach (var (name, value) in pairs)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                query.Add(name, value);
            }
        }
        return query.ToString();
    }
}
