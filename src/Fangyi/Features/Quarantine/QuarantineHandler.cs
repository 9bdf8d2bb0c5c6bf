using System.Globalization;
using Dapper;
using Fangyi.Core.Http;
using Fangyi.Core.Ingest;
using Fangyi.Core.Storage;
using Fangyi.Features.Tasks;

namespace Fangyi.Features.Quarantine;

// Applies every quarantine step in the ingest batch. The ingest is one writer per store, so the handler reads the
// state its items touch once (referrals, stays, the sites' rooms and who is in them, the orders), decides each item
// in order against that view (a bed given to one check-in is not free for the next), and writes the changes in the
// order it made them. Unique indexes on running stays (room and bed; person) are the guard behind it.
internal sealed class QuarantineHandler(IEnumerable<IStayObserver> observers) : IIngestHandler
{
    private readonly IStayObserver[] _observers = observers.ToArray();

    public IReadOnlyCollection<string> Kinds { get; } = QuarantineKinds.All;

    private sealed class View
    {
        public Dictionary<long, QuarantineRows.ReferralRow> Referrals { get; } = [];
        public Dictionary<long, QuarantineRows.Stay> Stays { get; } = [];
        public Dictionary<long, QuarantineRows.Site> Sites { get; } = [];
        public Dictionary<long, List<QuarantineRows.Room>> Rooms { get; } = [];
        public Dictionary<long, int> Occupants { get; } = [];     // room id → people in it
        public Dictionary<long, QuarantineRows.Order> Orders { get; } = [];
        public Dictionary<(long Order, long Resident), QuarantineRows.OrderPerson> OnOrders { get; } = [];
        public HashSet<(long Resident, long Stay, int Day)> HealthChecks { get; } = [];
    }

    // The writes in the order they were decided; consecutive ones of the same statement go together.
    private sealed class Writes
    {
        private readonly List<(string Sql, string[] Names, object?[] Values)> _list = [];

        public void Add(string sql, string[] names, params object?[] values) => _list.Add((sql, names, values));

        public async Task RunAsync(IngestBatch batch, CancellationToken ct)
        {
            var start = 0;
            while (start < _list.Count)
            {
                var end = start;
                while (end < _list.Count && ReferenceEquals(_list[end].Sql, _list[start].Sql))
                {
                    end++;
                }
                var rows = _list.GetRange(start, end - start);
                await batch.WriteEachAsync(rows[0].Sql, rows[0].Names, rows, r => r.Values, ct);
                start = end;
            }
        }
    }

    private const string InsertReferral = "INSERT INTO quarantine_referrals (resident_id, division, source, reason, days, test_days, state, created_at) VALUES (@resident, @division, @source, @reason, @days, @tests, 'awaiting', @now)";
    private const string CloseReferral = "UPDATE quarantine_referrals SET state = @state, closed_at = @now WHERE resident_id = @resident AND closed_at IS NULL";
    private const string ReferralInTransfer = "UPDATE quarantine_referrals SET state = 'in_transfer' WHERE resident_id = @resident AND closed_at IS NULL";
    private const string InsertStay = "INSERT INTO quarantine_stays (resident_id, site_id, division, room_id, bed, source, walk_in, test_days, checked_in_at, planned_end, state, checked_in_by) VALUES (@resident, @site, @division, @room, @bed, @source, @walkin, @tests, @now, @end, 'in', @by)";
    private const string EndStay = "UPDATE quarantine_stays SET state = @state, ended_at = @now, certificate_no = @certificate WHERE resident_id = @resident AND state = 'in'";
    private const string InsertHealth = "INSERT INTO quarantine_health_checks (resident_id, site_id, stay_checked_in_at, day, temperature_tenths, symptoms, fever, at, by_account) VALUES (@resident, @site, @stay, @day, @temp, @symptoms, @fever, @at, @by)";
    private const string MarkOnOrder = "UPDATE transfer_people SET state = @state, at = @at, lat = @lat, lon = @lon WHERE order_id = @order AND resident_id = @resident";

    private static readonly string[] ReferralNames = ["resident", "division", "source", "reason", "days", "tests", "now"];
    private static readonly string[] CloseNames = ["state", "now", "resident"];
    private static readonly string[] ResidentName = ["resident"];
    private static readonly string[] StayNames = ["resident", "site", "division", "room", "bed", "source", "walkin", "tests", "now", "end", "by"];
    private static readonly string[] EndNames = ["state", "now", "certificate", "resident"];
    private static readonly string[] HealthNames = ["resident", "site", "stay", "day", "temp", "symptoms", "fever", "at", "by"];
    private static readonly string[] OrderNames = ["state", "at", "lat", "lon", "order", "resident"];

    public async Task ApplyAsync(IngestBatch batch, IReadOnlyList<PendingItem> items, CancellationToken ct)
    {
        var view = await LoadAsync(batch, items, ct);
        var writes = new Writes();
        var tasks = new List<TaskBoard.NewTask>();
        var finished = new List<TaskBoard.Finished>();
        var cancelled = new List<string>();
        var changes = new List<StayChange>();
        foreach (var item in items)
        {
            var step = (QuarantineStep)item.Item.Payload;
            var at = item.Item.At;
            switch (item.Item.Kind)
            {
                case QuarantineKinds.Refer:
                    Refer(item, step, view, writes, batch.Now);
                    break;
                case QuarantineKinds.CheckIn:
                    CheckIn(item, step, step.SiteId ?? 0, view, writes, tasks, changes, at, null);
                    break;
                case QuarantineKinds.HealthCheck:
                    Health(item, step, view, writes, at);
                    break;
                case QuarantineKinds.Release or QuarantineKinds.ToHospital:
                    End(item, step, view, writes, cancelled, changes, at);
                    break;
                case QuarantineKinds.PickUp or QuarantineKinds.Missed:
                    Transfer(item, step, view, writes, tasks, finished, changes, at);
                    break;
                case QuarantineKinds.HandOver:
                    HandOver(item, step, view, writes, tasks, changes, at);
                    break;
            }
        }
        await writes.RunAsync(batch, ct);
        await TaskBoard.OpenAsync(batch, tasks, ct);
        await TaskBoard.FinishAsync(batch, finished, ct);
        if (cancelled.Count > 0)
        {
            await TaskBoard.CancelAsync(batch, TaskKinds.QuarantineTest, cancelled, TaskReasons.Released, ct);
        }
        if (changes.Count > 0)
        {
            foreach (var observer in _observers)
            {
                await observer.StaysChangedAsync(batch, changes, ct);
            }
        }
    }

    private static async Task<View> LoadAsync(IngestBatch batch, IReadOnlyList<PendingItem> items, CancellationToken ct)
    {
        var view = new View();
        var steps = items.Select(i => (QuarantineStep)i.Item.Payload).ToList();
        var residents = steps.SelectMany(s => s.Residents).Distinct().ToList();
        var orderIds = steps.Where(s => s.OrderId is not null).Select(s => s.OrderId!.Value).Distinct().ToList();
        var c = batch.Connection;
        var tx = batch.Transaction;
        foreach (var r in await c.QueryInAsync<QuarantineRows.ReferralRow, long>(tx, batch.Dialect,
            $"SELECT {QuarantineRows.ReferralColumns} FROM quarantine_referrals WHERE closed_at IS NULL AND {{in}}", "resident_id", residents, ct))
        {
            view.Referrals[r.ResidentId] = r;
        }
        foreach (var s in await c.QueryInAsync<QuarantineRows.Stay, long>(tx, batch.Dialect,
            $"SELECT {QuarantineRows.StayColumns} FROM quarantine_stays WHERE state = 'in' AND {{in}}", "resident_id", residents, ct))
        {
            view.Stays[s.ResidentId] = s;
        }
        foreach (var o in await c.QueryInAsync<QuarantineRows.Order, long>(tx, batch.Dialect,
            $"SELECT {QuarantineRows.OrderColumns} FROM transfer_orders WHERE {{in}}", "id", orderIds, ct))
        {
            view.Orders[o.Id] = o;
        }
        foreach (var p in await c.QueryInAsync<QuarantineRows.OrderPerson, long>(tx, batch.Dialect,
            $"SELECT {QuarantineRows.OrderPersonColumns} FROM transfer_people WHERE {{in}}", "order_id", orderIds, ct))
        {
            view.OnOrders[(p.OrderId, p.ResidentId)] = p;
        }
        var siteIds = steps.Where(s => s.SiteId is not null).Select(s => s.SiteId!.Value)
            .Concat(view.Orders.Values.Select(o => o.SiteId)).Concat(view.Stays.Values.Select(s => s.SiteId)).Distinct().ToList();
        foreach (var s in await c.QueryInAsync<QuarantineRows.Site, long>(tx, batch.Dialect,
            $"SELECT {QuarantineRows.SiteColumns} FROM quarantine_sites WHERE {{in}}", "id", siteIds, ct))
        {
            view.Sites[s.Id] = s;
        }
        // Rooms and who is in them are needed only where people check in.
        var checkInSites = items.Where(i => i.Item.Kind is QuarantineKinds.CheckIn or QuarantineKinds.HandOver)
            .Select(i => (QuarantineStep)i.Item.Payload)
            .Select(s => s.SiteId ?? (s.OrderId is { } o && view.Orders.TryGetValue(o, out var order) ? order.SiteId : 0))
            .Where(id => id > 0).Distinct().ToList();
        foreach (var room in await c.QueryInAsync<QuarantineRows.Room, long>(tx, batch.Dialect,
            $"SELECT {QuarantineRows.RoomColumns} FROM quarantine_rooms WHERE retired = 0 AND {{in}} ORDER BY building, floor, number", "site_id", checkInSites, ct))
        {
            (view.Rooms.TryGetValue(room.SiteId, out var list) ? list : view.Rooms[room.SiteId] = []).Add(room);
        }
        foreach (var (room, count) in await c.QueryInAsync<(long Room, long Count), long>(tx, batch.Dialect,
            "SELECT room_id, COUNT(*) FROM quarantine_stays WHERE state = 'in' AND {in} GROUP BY room_id", "site_id", checkInSites, ct))
        {
            view.Occupants[room] = (int)count;
        }
        if (items.Any(i => i.Item.Kind == QuarantineKinds.HealthCheck))
        {
            var today = items.Min(i => QuarantineDays.DayNumber(i.Item.At)) - 1;
            foreach (var (resident, stay, day) in await c.QueryInAsync<(long, long, int), long>(tx, batch.Dialect,
                $"SELECT resident_id, stay_checked_in_at, day FROM quarantine_health_checks WHERE day >= {today.ToString(CultureInfo.InvariantCulture)} AND {{in}}", "resident_id", residents, ct))
            {
                view.HealthChecks.Add((resident, stay, day));
            }
        }
        return view;
    }

    private static void Refer(PendingItem item, QuarantineStep step, View view, Writes writes, long now)
    {
        var resident = step.Residents[0];
        if (view.Referrals.TryGetValue(resident, out var open) || view.Stays.ContainsKey(resident))
        {
            // Already awaiting transfer or in a site: nothing changes, and it is no error.
            item.Accept(new QuarantineApi.ReferralAnswer(resident, open?.State ?? QuarantineReferrals.CheckedIn, true));
            return;
        }
        var referral = new QuarantineRows.ReferralRow
        {
            ResidentId = resident, Division = step.Division ?? item.Item.Division, Source = step.Source ?? "", Reason = step.Reason ?? "",
            Days = step.Days, TestDays = QuarantineReferrals.TestDaysText(step.TestDays), State = QuarantineReferrals.Awaiting, CreatedAt = now,
        };
        view.Referrals[resident] = referral;
        writes.Add(InsertReferral, ReferralNames, resident, referral.Division, referral.Source, referral.Reason, step.Days, referral.TestDays, now);
        item.Note(new StayNote(resident, "referred", referral.Division, 0, now + step.Days * QuarantineDays.Day));
        item.Accept(new QuarantineApi.ReferralAnswer(resident, QuarantineReferrals.Awaiting, false), 201);
    }

    // Beds for a group checking in together at a site: one person takes a single room (or, when none is free, an empty
    // family room); a group takes one empty family room with beds for all of them.
    private static QuarantineRows.Room? FindRoom(View view, long siteId, int people)
    {
        if (!view.Rooms.TryGetValue(siteId, out var rooms))
        {
            return null;
        }
        bool Empty(QuarantineRows.Room r) => view.Occupants.GetValueOrDefault(r.Id) == 0;
        if (people == 1)
        {
            return rooms.FirstOrDefault(r => r.Kind == RoomKinds.SingleRoom && Empty(r))
                ?? rooms.Where(r => r.Kind == RoomKinds.FamilyRoom && Empty(r)).OrderBy(r => r.Beds).FirstOrDefault();
        }
        return rooms.Where(r => r.Kind == RoomKinds.FamilyRoom && r.Beds >= people && Empty(r)).OrderBy(r => r.Beds).FirstOrDefault();
    }

    private static void CheckIn(PendingItem item, QuarantineStep step, long siteId, View view, Writes writes, List<TaskBoard.NewTask> tasks,
        List<StayChange> changes, long at, long? orderId)
    {
        if (!view.Sites.TryGetValue(siteId, out var site) || !step.Scope.Contains(site.Division))
        {
            item.Refuse(QuarantineProblems.SiteUnknown);
            return;
        }
        foreach (var resident in step.Residents)
        {
            if (view.Stays.ContainsKey(resident))
            {
                item.Refuse(QuarantineProblems.AlreadyCheckedIn);
                return;
            }
            if (!step.WalkIn && !view.Referrals.ContainsKey(resident))
            {
                item.Refuse(QuarantineProblems.NotReferred);
                return;
            }
        }
        if (step.Residents.Length > 1 && site.Families == 0)
        {
            item.Refuse(QuarantineProblems.FamilyRoomsNotAllowed);
            return;
        }
        if (FindRoom(view, siteId, step.Residents.Length) is not { } room)
        {
            item.Refuse(step.Residents.Length > 1 ? QuarantineProblems.SiteFull.WithDetail($"没有可容纳{step.Residents.Length}人的空家庭间") : QuarantineProblems.SiteFull);
            return;
        }
        view.Occupants[room.Id] = step.Residents.Length;
        var beds = new List<object>();
        for (var i = 0; i < step.Residents.Length; i++)
        {
            var resident = step.Residents[i];
            var referral = view.Referrals.GetValueOrDefault(resident);
            var days = referral is null ? step.Days : (int)referral.Days;
            var testDays = referral is null ? QuarantineReferrals.TestDaysText(step.TestDays) : referral.TestDays;
            var source = referral?.Source ?? "walk_in:" + item.Item.ClientId;
            var end = QuarantineDays.PlannedEnd(at, days);
            var stay = new QuarantineRows.Stay
            {
                ResidentId = resident, SiteId = siteId, Division = site.Division, RoomId = room.Id, Bed = i + 1, Source = source, WalkIn = referral is null ? 1 : 0,
                TestDays = testDays, CheckedInAt = at, PlannedEnd = end, State = StayStates.In,
            };
            view.Stays[resident] = stay;
            if (referral is not null)
            {
                view.Referrals.Remove(resident);
                writes.Add(CloseReferral, CloseNames, QuarantineReferrals.CheckedIn, at, resident);
                if (orderId is { } order && view.OnOrders.TryGetValue((order, resident), out var onOrder))
                {
                    view.OnOrders[(order, resident)] = onOrder with { State = TransferStates.HandedOver, At = at };
                    writes.Add(MarkOnOrder, OrderNames, TransferStates.HandedOver, at, step.Lat, step.Lon, order, resident);
                }
            }
            writes.Add(InsertStay, StayNames, resident, siteId, site.Division, room.Id, i + 1, source, stay.WalkIn, testDays, at, end, item.Item.AccountId);
            foreach (var day in QuarantineReferrals.ParseTestDays(testDays))
            {
                tasks.Add(new TaskBoard.NewTask(TaskKinds.QuarantineTest, resident, site.Division, StaySource(resident, at), QuarantineDays.TestDue(at, day)));
            }
            changes.Add(new StayChange(resident, source, StayChanges.CheckedIn, at));
            item.Note(new StayNote(resident, StayChanges.CheckedIn, site.Division, siteId, end, Beds: 1));
            if (referral is not null)
            {
                item.Note(new StayNote(resident, "left_" + referral.State, referral.Division, siteId, 0));
            }
            beds.Add(new { residentId = resident, bed = i + 1, plannedEnd = end, walkIn = referral is null });
        }
        item.Accept(new CheckedIn(siteId, site.Name, room.Id, room.Building, room.Floor, room.Number, room.Kind, beds), 201);
    }

    /// <summary>What a stay's test tasks name as their source: the person and when the stay began.</summary>
    public static string StaySource(long resident, long checkedInAt) =>
        string.Create(CultureInfo.InvariantCulture, $"stay:{resident}:{checkedInAt}");

    // The person's running stay at a site of the caller's jurisdiction, or the item refused.
    private static (QuarantineRows.Stay, QuarantineRows.Site)? RunningStay(PendingItem item, QuarantineStep step, View view)
    {
        if (!view.Stays.TryGetValue(step.Residents[0], out var stay) || !view.Sites.TryGetValue(stay.SiteId, out var site))
        {
            item.Refuse(QuarantineProblems.NotInStay);
            return null;
        }
        if (!step.Scope.Contains(site.Division))
        {
            item.Refuse(QuarantineProblems.StayOutside);
            return null;
        }
        return (stay, site);
    }

    private static void Health(PendingItem item, QuarantineStep step, View view, Writes writes, long at)
    {
        var resident = step.Residents[0];
        if (RunningStay(item, step, view) is not { } found)
        {
            return;
        }
        var (stay, site) = found;
        var day = QuarantineDays.DayNumber(at);
        if (!view.HealthChecks.Add((resident, stay.CheckedInAt, day)))
        {
            item.Refuse(QuarantineProblems.HealthCheckDone);
            return;
        }
        var fever = step.TemperatureTenths >= 373;
        writes.Add(InsertHealth, HealthNames, resident, stay.SiteId, stay.CheckedInAt, day, step.TemperatureTenths, step.Symptoms ?? "", fever ? 1 : 0, at, item.Item.AccountId);
        item.Note(new StayNote(resident, "health", site.Division, site.Id, 0, fever));
        item.Accept(new { residentId = resident, day, temperature = step.TemperatureTenths / 10.0, fever, symptoms = step.Symptoms ?? "" }, 201);
    }

    private static void End(PendingItem item, QuarantineStep step, View view, Writes writes, List<string> cancelled, List<StayChange> changes, long at)
    {
        var resident = step.Residents[0];
        if (RunningStay(item, step, view) is not { } found)
        {
            return;
        }
        var (stay, site) = found;
        var release = item.Item.Kind == QuarantineKinds.Release;
        if (release && at < stay.PlannedEnd)
        {
            item.Refuse(QuarantineProblems.ReleaseNotDue.WithDetail($"计划 {QuarantineDays.Date(stay.PlannedEnd - 1)} 期满"));
            return;
        }
        var state = release ? StayStates.Released : StayStates.ToHospital;
        var certificate = release ? Certificates.Number(site.Id, stay.CheckedInAt, resident) : null;
        view.Stays.Remove(resident);
        writes.Add(EndStay, EndNames, state, at, certificate, resident);
        cancelled.Add(StaySource(resident, stay.CheckedInAt));
        var kind = release ? StayChanges.Released : StayChanges.ToHospital;
        changes.Add(new StayChange(resident, stay.Source, kind, at));
        item.Note(new StayNote(resident, kind, site.Division, site.Id, 0, Beds: 1));
        item.Accept(new { residentId = resident, state, certificateNo = certificate, endedAt = at });
    }

    private static void Transfer(PendingItem item, QuarantineStep step, View view, Writes writes, List<TaskBoard.NewTask> tasks, List<TaskBoard.Finished> finished,
        List<StayChange> changes, long at)
    {
        var resident = step.Residents[0];
        if (step.OrderId is not { } orderId || !view.Orders.TryGetValue(orderId, out var order))
        {
            item.Refuse(QuarantineProblems.OrderUnknown);
            return;
        }
        var person = view.OnOrders.GetValueOrDefault((orderId, resident));
        // The order's team, or a worker of the person's own village.
        if (!step.Scope.Contains(order.Division) && (person is null || !step.Scope.Contains(person.Division)))
        {
            item.Refuse(QuarantineProblems.OrderUnknown);
            return;
        }
        if (person is null || person.State is not (TransferStates.Waiting or TransferStates.Missed))
        {
            item.Refuse(QuarantineProblems.NotOnOrder);
            return;
        }
        var source = view.Referrals.GetValueOrDefault(resident)?.Source ?? "";
        var orderSource = "transfer:" + orderId.ToString(CultureInfo.InvariantCulture);
        if (item.Item.Kind == QuarantineKinds.PickUp)
        {
            if (person.State == TransferStates.Missed)
            {
                finished.Add(new TaskBoard.Finished(TaskKinds.TransferMissed, resident, orderSource, TaskReasons.PickedUp, item.Item.AccountId));
            }
            view.OnOrders[(orderId, resident)] = person with { State = TransferStates.PickedUp, At = at };
            writes.Add(MarkOnOrder, OrderNames, TransferStates.PickedUp, at, step.Lat, step.Lon, orderId, resident);
            writes.Add(ReferralInTransfer, ResidentName, resident);
            if (view.Referrals.TryGetValue(resident, out var referral))
            {
                if (referral.State == QuarantineReferrals.InTransfer)
                {
                    // Picked up again after a miss on another order: already counted in transfer.
                    item.Accept(new { residentId = resident, orderId, state = TransferStates.PickedUp, at });
                    changes.Add(new StayChange(resident, source, StayChanges.PickedUp, at));
                    return;
                }
                view.Referrals[resident] = referral with { State = QuarantineReferrals.InTransfer };
            }
            changes.Add(new StayChange(resident, source, StayChanges.PickedUp, at));
            item.Note(new StayNote(resident, StayChanges.PickedUp, person.Division, order.SiteId, 0));
            item.Accept(new { residentId = resident, orderId, state = TransferStates.PickedUp, at });
            return;
        }
        if (person.State == TransferStates.Missed)
        {
            item.Accept(new { residentId = resident, orderId, state = TransferStates.Missed, at });
            return;
        }
        view.OnOrders[(orderId, resident)] = person with { State = TransferStates.Missed, At = at };
        writes.Add(MarkOnOrder, OrderNames, TransferStates.Missed, at, step.Lat, step.Lon, orderId, resident);
        tasks.Add(new TaskBoard.NewTask(TaskKinds.TransferMissed, resident, person.Division, orderSource));
        changes.Add(new StayChange(resident, source, StayChanges.Missed, at));
        item.Note(new StayNote(resident, StayChanges.Missed, person.Division, order.SiteId, 0));
        item.Accept(new { residentId = resident, orderId, state = TransferStates.Missed, at });
    }

    // The hand-over at the site ends in the check-in: the people of one order handed over together are one group.
    private static void HandOver(PendingItem item, QuarantineStep step, View view, Writes writes, List<TaskBoard.NewTask> tasks, List<StayChange> changes, long at)
    {
        if (step.OrderId is not { } orderId || !view.Orders.TryGetValue(orderId, out var order) || !step.Scope.Contains(order.Division) && !SiteInScope(view, order, step))
        {
            item.Refuse(QuarantineProblems.OrderUnknown);
            return;
        }
        foreach (var resident in step.Residents)
        {
            if (!view.OnOrders.TryGetValue((orderId, resident), out var person) || person.State != TransferStates.PickedUp)
            {
                item.Refuse(person is null ? QuarantineProblems.NotOnOrder : QuarantineProblems.NotPickedUp);
                return;
            }
        }
        var checkIn = step with { WalkIn = false, Scope = view.Sites.TryGetValue(order.SiteId, out var site) ? Core.Jurisdiction.Scope.Of(site.Division) : step.Scope };
        CheckIn(item, checkIn, order.SiteId, view, writes, tasks, changes, at, orderId);
    }

    private static bool SiteInScope(View view, QuarantineRows.Order order, QuarantineStep step) =>
        view.Sites.TryGetValue(order.SiteId, out var site) && step.Scope.Contains(site.Division);
}
