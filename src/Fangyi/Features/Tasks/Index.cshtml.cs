using System.Globalization;
using Fangyi.Core.Audit;
using Fangyi.Core.Identity;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Pages;
using Fangyi.Core.Storage;
using Fangyi.Features.Residents;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Fangyi.Features.Tasks;

// The console's task page for township and county admins: the area's tasks filtered by kind, state, overdue and
// village (what rose to the admin's level first), and the form that sends a village's workers door to door for
// the not-sampled of a running round. Both go through the API's own handlers.
[Authorize(Policy = TasksPolicies.Work)]
public sealed class IndexModel(Store store, ResidentLookups residents, KeyRing keys, DivisionDirectory divisions, TaskOptions options, TimeProvider clock,
    IRoundRoster roster, AuditLog audit) : PageModel
{
    // Villages offered in the filter and the form; a county has a few hundred, a city thousands (then a code is typed).
    private const int VillagesListed = 800;

    [BindProperty(SupportsGet = true)]
    public string? Kind { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? State { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Overdue { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool Escalated { get; set; }

    [BindProperty(SupportsGet = true)]
    public long? Division { get; set; }

    public List<TasksApi.TaskView> Tasks { get; private set; } = [];

    public IReadOnlyList<Division> Villages { get; private set; } = [];

    public IReadOnlyList<IRoundRoster.Round> Rounds { get; private set; } = [];

    public string? Error { get; private set; }

    public string? Created { get; private set; }

    public string LevelName(string level) => level switch
    {
        TaskEscalation.County => "已上报县级",
        TaskEscalation.Township => "已上报乡镇",
        _ => "",
    };

    public static string Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).ToOffset(TimeSpan.FromHours(8)).ToString("MM-dd HH:mm", CultureInfo.InvariantCulture);

    public Task OnGetAsync(CancellationToken ct) => LoadAsync(ct);

    public async Task OnPostDoorToDoorAsync(long roundId, long village, CancellationToken ct)
    {
        var answer = (await TasksApi.DoorToDoor(new TasksApi.DoorToDoorRequest(roundId, village, null), HttpContext, store, roster, divisions, clock, audit, ct)).Result;
        if (ApiAnswer.Value<TasksApi.DoorToDoorCreated>(answer) is { } made)
        {
            Created = $"已为{made.Path}派发上门排查 {made.Created} 人（{made.Round}）" + (made.Already > 0 ? $"，另有 {made.Already} 人此前已派发" : "") + $"，截止 {Time(made.DueAt)}";
            (Kind, Division) = (TaskKinds.DoorToDoor, village);
        }
        else
        {
            Error = ApiAnswer.Problem(answer);
        }
        await LoadAsync(ct);
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var root = User.Scope().Root;
        Villages = divisions.Tree.Find(root)?.Level == DivisionLevel.Village
            ? [divisions.Tree.Find(root)!]
            : divisions.Tree.Descendants(root).Where(d => d.Level == DivisionLevel.Village).Take(VillagesListed).ToList();
        Rounds = await roster.RunningAsync(ScopedDb.For(store, User), clock.GetUtcNow().ToUnixTimeMilliseconds(), ct);
        var kind = string.IsNullOrEmpty(Kind) ? null : Kind;
        var answer = (await TasksApi.List(kind, string.IsNullOrEmpty(State) ? null : State, Overdue, Escalated, Division, HttpContext, store, residents, keys, divisions, options, clock, audit, ct)).Result;
        if (ApiAnswer.Value<List<TasksApi.TaskView>>(answer) is { } tasks)
        {
            Tasks = tasks;
        }
        else
        {
            Error ??= ApiAnswer.Problem(answer);
        }
    }
}
