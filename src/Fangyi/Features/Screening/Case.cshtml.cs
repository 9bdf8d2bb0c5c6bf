using System.Globalization;
using System.Text.Json;
using Fangyi.Core.Audit;
using Fangyi.Core.Identity;
using Fangyi.Core.Ingest;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Pages;
using Fangyi.Core.Storage;
using Fangyi.Features.Residents;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fangyi.Features.Screening;

// One case as the village worker (on a phone) and the admins work it: who, from which sources, what happened so far,
// and the forms for the next step — verify, decide under the rules in force, hand over, accept, assign, identify.
[Authorize(Policy = ScreeningPolicies.Work)]
public sealed class CaseModel(Store store, ResidentLookups residents, DivisionDirectory divisions, KeyRing keys, ScreeningRules rules, IngestQueue ingest,
    ScreeningIntake intake, TimeProvider clock, AuditLog audit) : PageModel
{
    public ScreeningApi.CaseDetail? Case { get; private set; }

    public ScreeningPolicy Policy => rules.Current;

    public IReadOnlyList<Division> Villages { get; private set; } = [];

    public string? Error { get; private set; }

    public string? Message { get; private set; }

    public bool HandedToUs => Case is { Case.HandoverTo: { } to } && User.Scope().Contains(to) && !User.Scope().Contains(Case.Case.Division);

    public static string Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToOffset(TimeSpan.FromHours(8)).ToString("MM-dd HH:mm", CultureInfo.InvariantCulture);

    public Task OnGetAsync(long id, CancellationToken ct) => LoadAsync(id, ct);

    public Task OnPostVerifyAsync(long id, bool reached, string? method, string? whereabouts, string? tags, string? note, string clientId, CancellationToken ct) =>
        StepAsync(id, ScreeningKinds.Verify, new ScreeningApi.StepRequest(clientId, reached, method, whereabouts, Tags(tags), note, null, null, null, null), reached ? "已记录：联系到本人" : "已记录：未联系到本人", ct);

    public Task OnPostDecideAsync(long id, bool reached, string? whereabouts, string? category, string? clearReason, string? note, string clientId, CancellationToken ct) =>
        StepAsync(id, ScreeningKinds.Decide, new ScreeningApi.StepRequest(clientId, reached, "visit", whereabouts, null, note, category, clearReason, null, null), "已研判处置", ct);

    public Task OnPostHandoverAsync(long id, long? toDivision, string? note, string clientId, CancellationToken ct) =>
        StepAsync(id, ScreeningKinds.Handover, new ScreeningApi.StepRequest(clientId, null, null, null, null, note, null, null, toDivision, null), "已移交，等待对方接收", ct);

    public Task OnPostAcceptAsync(long id, long? toDivision, string clientId, CancellationToken ct) =>
        StepAsync(id, ScreeningKinds.Accept, new ScreeningApi.StepRequest(clientId, null, null, null, null, null, null, null, toDivision, null), "已接收", ct);

    public Task OnPostAssignAsync(long id, long? toDivision, string clientId, CancellationToken ct) =>
        StepAsync(id, ScreeningKinds.Assign, new ScreeningApi.StepRequest(clientId, null, null, null, null, null, null, null, toDivision, null), "已分派到村（社区）", ct);

    public Task OnPostIdentifyAsync(long id, string? idNumber, string clientId, CancellationToken ct) =>
        StepAsync(id, ScreeningKinds.Identify, new ScreeningApi.StepRequest(clientId, null, null, null, null, null, null, null, null, idNumber), "身份已核实", ct);

    private static List<string> Tags(string? text) => (text ?? "").Split([',', '，', '、', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private async Task StepAsync(long id, string kind, ScreeningApi.StepRequest request, string done, CancellationToken ct)
    {
        var (outcome, problem) = await ScreeningApi.SubmitStepAsync(kind, id, request, HttpContext, ingest, intake, clock, ct);
        if (problem is not null)
        {
            Error = problem.Title + (problem.Detail is null ? "" : "：" + problem.Detail);
        }
        else if (!outcome!.Accepted)
        {
            var body = outcome.Body;
            Error = body.GetProperty("title").GetString() + (body.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? "：" + d.GetString() : "");
        }
        else
        {
            Message = done;
            id = outcome.Body.GetProperty("id").GetInt64();
        }
        await LoadAsync(id, ct);
    }

    private async Task LoadAsync(long id, CancellationToken ct)
    {
        var answer = (await ScreeningApi.Get(id, HttpContext, store, residents, divisions, keys, rules, clock, audit, ct)).Result;
        Case = ApiAnswer.Value<ScreeningApi.CaseDetail>(answer);
        if (Case is null)
        {
            Error ??= ApiAnswer.Problem(answer);
            return;
        }
        var root = User.Scope().Root;
        Villages = divisions.Tree.Find(root)?.Level == DivisionLevel.Village
            ? []
            : divisions.Tree.Descendants(root).Where(d => d.Level == DivisionLevel.Village).Take(800).ToList();
    }
}
