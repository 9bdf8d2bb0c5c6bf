using Fangyi.Features.Accounts;
using Fangyi.Core.Pages;
using Fangyi.Core.Storage;
using System.Globalization;
using Fangyi.Core.Jurisdiction;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fangyi.Features.Sampling;

// The sampling desk of an admin: rounds, sites with their teams, and batches of tube and box codes to print.
// Every form goes through the sampling API's own handlers, so the page and the API refuse the same things.
[Authorize(Policy = SamplingPolicies.Manage)]
public sealed class IndexModel(Store store, DivisionDirectory divisions, AccountService accounts, IssuedCodes issued, TimeProvider clock) : PageModel
{
    public const int BatchesShown = 30;

    // A site's division is typed or picked from a list; past this many villages the list is left to typing.
    private const int MaxSiteOptions = 2000;

    public static readonly int[] Ratios = [1, 5, 10, 20];

    private sealed record TeamLine
    {
        public long Id { get; init; }
        public long SiteId { get; init; }
        public string Name { get; init; } = "";
        public long? AccountId { get; init; }
        public long? RetiredAt { get; init; }
    }

    public sealed record TeamInfo(long Id, string Name, bool Retired, IReadOnlyList<string> Members);

    public sealed record SiteLine(SamplingApi.SiteView Site, string Path, IReadOnlyList<TeamInfo> Teams);

    // The row being edited (rounds, sites, teams): its new name, end or address.
    [BindProperty] public string? EditName { get; set; }
    [BindProperty] public string? EditEnds { get; set; }
    [BindProperty] public string? EditAddress { get; set; }

    [BindProperty] public string? RoundName { get; set; }
    [BindProperty] public long? RoundDivision { get; set; }
    [BindProperty] public string? RoundStarts { get; set; }
    [BindProperty] public string? RoundEnds { get; set; }
    [BindProperty] public int RatioLow { get; set; } = 10;
    [BindProperty] public int RatioMedium { get; set; } = 5;
    [BindProperty] public int RatioHigh { get; set; } = 1;

    [BindProperty] public string? SiteName { get; set; }
    [BindProperty] public string? SiteDivision { get; set; }
    [BindProperty] public string? SiteAddress { get; set; }

    [BindProperty] public long? TeamSite { get; set; }
    [BindProperty] public string? TeamName { get; set; }
    [BindProperty] public string? TeamMembers { get; set; }

    [BindProperty] public string BatchType { get; set; } = "tube";
    [BindProperty] public int? BatchCount { get; set; }
    [BindProperty] public string? BatchTitle { get; set; }

    // The batch just issued, highlighted in the list with its print links.
    [BindProperty(SupportsGet = true)]
    public long? Batch { get; set; }

    [TempData]
    public string? Message { get; set; }

    public string? Error { get; private set; }

    // Which form the error belongs to, so it is shown beside it.
    public string? ErrorFor { get; private set; }

    public List<SamplingApi.RoundView> Rounds { get; private set; } = [];
    public List<SiteLine> Sites { get; private set; } = [];
    public List<IssuedCodes.Batch> Batches { get; private set; } = [];
    public List<Division> RoundScopes { get; } = [];
    public List<Division> SiteDivisions { get; } = [];
    public long Now { get; private set; }

    public string PathOf(long division) => divisions.Tree.PathName(division);

    // A city-wide round is listed to a county admin, but only an admin whose jurisdiction holds it may change it.
    public bool Manages(long division) => User.Scope().Contains(division);

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task<IActionResult> OnPostRoundAsync(CancellationToken ct)
    {
        var starts = ConsoleText.ParseLocalTime(RoundStarts);
        var ends = ConsoleText.ParseLocalTime(RoundEnds);
        if (starts is null || ends is null)
        {
            return await FailAsync("round", "请填写开始和结束时间", ct);
        }
        var request = new SamplingApi.RoundRequest(RoundName, RoundDivision ?? User.Division(), starts.Value, ends.Value, RatioLow, RatioMedium, RatioHigh);
        var answer = (await SamplingApi.CreateRound(request, HttpContext, store, divisions, clock, ct)).Result;
        if (ApiAnswer.Value<SamplingApi.RoundView>(answer) is not { } round)
        {
            return await FailAsync("round", ApiAnswer.Problem(answer), ct);
        }
        Message = $"已创建采样轮次：{round.Name}";
        return Redirect("/sampling#rounds");
    }

    public async Task<IActionResult> OnPostSiteAsync(CancellationToken ct)
    {
        long.TryParse(SiteDivision?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var division);
        var answer = (await SamplingApi.CreateSite(new SamplingApi.SiteRequest(SiteName, division, SiteAddress), HttpContext, store, divisions, clock, ct)).Result;
        if (ApiAnswer.Value<SamplingApi.SiteView>(answer) is not { } site)
        {
            return await FailAsync("site", ApiAnswer.Problem(answer), ct);
        }
        Message = $"已创建采样点：{site.Name}";
        return Redirect("/sampling#sites");
    }

    public async Task<IActionResult> OnPostTeamAsync(CancellationToken ct)
    {
        var members = (TeamMembers ?? "").Split([',', '，', '、', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var answer = (await SamplingApi.CreateTeam(TeamSite ?? 0, new SamplingApi.TeamRequest(TeamName, members), HttpContext, store, accounts, ct)).Result;
        if (ApiAnswer.Value<SamplingApi.TeamView>(answer) is not { } team)
        {
            return await FailAsync("team", ApiAnswer.Status(answer) == 404 ? "请选择采样点" : ApiAnswer.Problem(answer), ct);
        }
        Message = $"已组建采样队：{team.Name}（{team.Members.Count} 名采样员）";
        return Redirect("/sampling#sites");
    }

    public async Task<IActionResult> OnPostCodesAsync(CancellationToken ct)
    {
        var answer = (await SamplingApi.IssueCodes(new SamplingApi.CodeBatchRequest(BatchType, BatchCount ?? 0, BatchTitle), HttpContext, issued, divisions, ct)).Result;
        if (ApiAnswer.Value<IssuedCodes.Batch>(answer) is not { } batch)
        {
            return await FailAsync("codes", ApiAnswer.Problem(answer), ct);
        }
        Message = $"已发放 {batch.Count} 个{TypeName(batch.Type)}，可立即打印";
        return Redirect($"/sampling?batch={batch.Id}#codes");
    }

    public async Task<IActionResult> OnPostEditRoundAsync(long id, CancellationToken ct)
    {
        DateTimeOffset? ends = string.IsNullOrWhiteSpace(EditEnds) ? null : ConsoleText.ParseLocalTime(EditEnds);
        var answer = (await SetupEdits.EditRound(id, new SetupEdits.RoundEdit(EditName, ends), HttpContext, store, Audit, ct)).Result;
        return await AfterAsync("round", answer, "已修改采样轮次", "#rounds", ct);
    }

    public async Task<IActionResult> OnPostRetireRoundAsync(long id, CancellationToken ct) =>
        await AfterAsync("round", (await SetupEdits.RetireRound(id, HttpContext, store, Audit, clock, ct)).Result, "已停用采样轮次，已采样本和结果保留", "#rounds", ct);

    public async Task<IActionResult> OnPostEditSiteAsync(long id, CancellationToken ct) =>
        await AfterAsync("site", (await SetupEdits.EditSite(id, new SetupEdits.SiteEdit(EditName, EditAddress), HttpContext, store, Audit, ct)).Result, "已修改采样点", "#sites", ct);

    public async Task<IActionResult> OnPostRetireSiteAsync(long id, CancellationToken ct) =>
        await AfterAsync("site", (await SetupEdits.RetireSite(id, HttpContext, store, Audit, clock, ct)).Result, "已停用采样点，不再接受新开箱", "#sites", ct);

    public async Task<IActionResult> OnPostEditTeamAsync(long site, long id, CancellationToken ct) =>
        await AfterAsync("site", (await SetupEdits.EditTeam(site, id, new SetupEdits.TeamEdit(EditName), HttpContext, store, Audit, ct)).Result, "已修改采样队", "#sites", ct);

    public async Task<IActionResult> OnPostRetireTeamAsync(long site, long id, CancellationToken ct) =>
        await AfterAsync("site", (await SetupEdits.RetireTeam(site, id, HttpContext, store, Audit, clock, ct)).Result, "已停用采样队", "#sites", ct);

    private Core.Audit.AuditLog Audit => HttpContext.RequestServices.GetRequiredService<Core.Audit.AuditLog>();

    private async Task<IActionResult> AfterAsync(string form, IResult answer, string done, string anchor, CancellationToken ct)
    {
        if (ApiAnswer.Status(answer) >= 400)
        {
            return await FailAsync(form, ApiAnswer.Status(answer) == 404 ? "未找到，或不在您的管辖范围内" : ApiAnswer.Problem(answer), ct);
        }
        Message = done;
        return Redirect("/sampling" + anchor);
    }

    public static string TypeName(string type) => type == "tube" ? "试管码" : "转运箱码";

    // The first and last code of a batch, as printed.
    public static string Range(IssuedCodes.Batch batch)
    {
        var type = batch.Type == "tube" ? CodeType.Tube : CodeType.Box;
        return $"{new SampleCode(type, batch.FirstSerial)} – {new SampleCode(type, batch.FirstSerial + batch.Count - 1)}";
    }

    public static string LabelsUrl(long batch, string layout, string format) => $"/api/v1/sampling/codes/{batch}/labels?layout={layout}&format={format}";

    public string RoundState(SamplingApi.RoundView round) => Now < round.StartsAt ? "未开始" : Now > round.EndsAt ? "已结束" : "进行中";

    private async Task<IActionResult> FailAsync(string form, string? error, CancellationToken ct)
    {
        ErrorFor = form;
        Error = error ?? "提交失败";
        Response.StatusCode = StatusCodes.Status400BadRequest;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        RoundStarts ??= ConsoleText.LocalTimeInput(clock.GetUtcNow());
        RoundEnds ??= ConsoleText.LocalTimeInput(clock.GetUtcNow().AddDays(1));

        Rounds = (await SamplingApi.ListRounds(HttpContext, store, ct)).Value ?? [];
        var sites = await SamplingApi.SitesAsync(HttpContext, store, retired: true, ct);
        var teams = await ScopedDb.For(store, User).QueryAsync<TeamLine>(
            """
            SELECT t.id AS Id, t.site_id AS SiteId, t.name AS Name, m.account_id AS AccountId, t.retired_at AS RetiredAt
            FROM teams t LEFT JOIN team_members m ON m.team_id = t.id
            WHERE {scope:t.division} ORDER BY t.id
            """, ct: ct);
        var usernames = await accounts.UsernamesAsync(teams.Select(t => t.AccountId).OfType<long>().Distinct().ToList(), ct);
        // Live sites first, newest first; retired ones after them.
        Sites = sites.OrderBy(s => s.RetiredAt is not null).ThenByDescending(s => s.Id).Select(s => new SiteLine(s, PathOf(s.Division), teams.Where(t => t.SiteId == s.Id)
            .GroupBy(t => (t.Id, t.Name, Retired: t.RetiredAt is not null))
            .Select(g => new TeamInfo(g.Key.Id, g.Key.Name, g.Key.Retired,
                g.Select(t => t.AccountId is { } a ? usernames.GetValueOrDefault(a) : null).OfType<string>().Order(StringComparer.Ordinal).ToList())).ToList())).ToList();
        Batches = await IssuedCodes.ListAsync(ScopedDb.For(store, User), BatchesShown, ct);

        var own = User.Division();
        if (divisions.Tree.Find(own) is { } division)
        {
            RoundScopes.Add(division);
        }
        RoundScopes.AddRange(divisions.Tree.Children(own));
        SiteDivisions.AddRange(divisions.Tree.Descendants(own).Where(d => d.Level is DivisionLevel.Township or DivisionLevel.Village).Take(MaxSiteOptions));
    }
}
