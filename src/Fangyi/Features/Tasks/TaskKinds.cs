namespace Fangyi.Features.Tasks;

/// <summary>
/// The kinds of per-person task (待办) on a village worker's list. A later capability adds its kind here and opens
/// its tasks through <see cref="TaskBoard"/>; the list, routing and escalation are the same for every kind.
/// </summary>
public static class TaskKinds
{
    public const string Retest = "retest";              // 单采复核: a positive mixed tube, done by a single-tube sample
    public const string Resample = "resample";          // 重新采样: a tube lost, broken or invalid, done by any new sample
    public const string DoorToDoor = "door_to_door";    // 上门排查: not sampled in a running round
    public const string Screen = "screen";              // 核实排查: a screening case to reach, verify and decide (Screening)
    public const string TransferMissed = "transfer_missed"; // 转运未接到: not found at pick-up, back to the village (Quarantine)
    public const string QuarantineTest = "quarantine_test"; // 隔离点核酸: a single-tube test on a policy's day, at the site (Quarantine)
    public const string IsolationTest = "isolation_test";   // 居家核酸: a single-tube test on a policy's day, at home (Screening)

    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        [Retest] = "单管复核",
        [Resample] = "重新采样",
        [DoorToDoor] = "上门排查",
        [Screen] = "核实排查",
        [TransferMissed] = "转运未接到",
        [QuarantineTest] = "隔离点核酸",
        [IsolationTest] = "居家核酸",
    };

    /// <summary>How long a task opened by an event (a result, a reconciliation) has before it is overdue.</summary>
    public static TimeSpan DueAfter(string kind) => kind == DoorToDoor ? TimeSpan.FromHours(12) : TimeSpan.FromHours(24);
}

/// <summary>Task states: open until done (by the worker or by what the task waited for) or cancelled (withdrawn).</summary>
public static class TaskStates
{
    public const string Open = "open";
    public const string Done = "done";
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        [Open] = "待办",
        [Done] = "已完成",
        [Cancelled] = "已撤销",
    };
}

/// <summary>Why a task closed: what the worker found at the door, or the sample that did it.</summary>
public static class TaskReasons
{
    public const string Away = "away";
    public const string SampledElsewhere = "sampled_elsewhere";
    public const string Bedridden = "bedridden";
    public const string Refused = "refused";
    public const string NoSuchPerson = "no_such_person";
    public const string Sampled = "sampled";
    public const string Withdrawn = "withdrawn";
    public const string Decided = "decided";            // a screening case verified and decided
    public const string HandedOff = "handed_off";       // a case given to another jurisdiction
    public const string PickedUp = "picked_up";         // found at a second pick-up
    public const string CheckedIn = "checked_in";       // at the quarantine site
    public const string Released = "released";          // the stay ended before the test was due

    /// <summary>What a worker may mark a door-to-door visit with, in the order the phone offers them.</summary>
    public static readonly IReadOnlyList<string> Visits = [Away, SampledElsewhere, Bedridden, Refused, NoSuchPerson];

    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        [Away] = "外出",
        [SampledElsewhere] = "已在外地采样",
        [Bedridden] = "卧床",
        [Refused] = "拒绝",
        [NoSuchPerson] = "查无此人",
        [Sampled] = "已采样",
        [Withdrawn] = "结果更正撤销",
        [Decided] = "已研判",
        [HandedOff] = "已移交他地",
        [PickedUp] = "已接到",
        [CheckedIn] = "已入住隔离点",
        [Released] = "已解除隔离",
    };
}
