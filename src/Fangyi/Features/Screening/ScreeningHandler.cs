using System.Globalization;
using Dapper;
using Fangyi.Core.Ingest;
using Fangyi.Core.Storage;
using Fangyi.Features.Divisions;
using Fangyi.Features.Quarantine;
using Fangyi.Features.Residents;
using Fangyi.Features.Tasks;

namespace Fangyi.Features.Screening;

/// <summary>
/// Screening's writes, in the ingest's one transaction a batch: findings from every source become one case per person
/// (found by resident, by identity hash, or provisionally by phone), routed down the tree with a verify task and a
/// deadline; steps on a case (verify, decide, hand over, accept, assign, identify) change it under the policy in force.
/// Every write reads and writes through the batch's connection at once (not the deferred write list), so a second item of
/// the same batch sees the case the first one made. Another capability that finds people inside its own batch (a
/// positive tube) adds them with <see cref="AddFindingsAsync"/>, so the result and the cases it makes commit together.
/// </summary>
public sealed class ScreeningHandler(DivisionCatalog divisions, ScreeningRules rules) : IIngestHandler
{
    private readonly CaseRouter router = new(divisions);

    private const long Hour = 3_600_000;
    private const long Day = 24 * Hour;

    public IReadOnlyCollection<string> Kinds => ScreeningKinds.All;

    private static readonly BulkInsert<NewCase> Cases = new BulkInsert<NewCase>("screening_cases")
        .Column("resident_id", c => c.ResidentId)
        .Column("id_hash", c => c.IdHash)
        .Column("id_cipher", c => c.IdCipher)
        .Column("id_masked", c => c.IdMasked)
        .Column("phone_hash", c => c.PhoneHash)
        .Column("phone_cipher", c => c.PhoneCipher)
        .Column("phone_masked", c => c.PhoneMasked)
        .Column("key_id", c => c.KeyId)
        .Column("name", c => c.Name)
        .Column("address", c => c.Address)
        .Column("division", c => c.Division)
        .Column("route", c => c.Route)
        .Column("confidence", c => c.Confidence)
        .Column("corrected", c => c.Corrected)
        .Column("state", c => CaseStates.Open)
        .Column("priority", c => c.Priority)
        .Column("due_at", c => c.DueAt)
        .Column("entries", c => c.Entries)
        .Column("origin", c => c.Origin)
        .Column("created_at", c => c.At)
        .Column("updated_at", c => c.At);

    private static readonly BulkInsert<EntryRow> Entries = new BulkInsert<EntryRow>("screening_entries")
        .Column("case_id", e => e.CaseId)
        .Column("source", e => e.Source)
        .Column("ref", e => e.Ref)
        .Column("reason", e => e.Reason)
        .Column("payload", e => e.Payload)
        .Column("at", e => e.At)
        .Column("created_at", e => e.CreatedAt)
        .OnConflict("(source, ref) DO NOTHING");

    public async Task ApplyAsync(IngestBatch batch, IReadOnlyList<PendingItem> items, CancellationToken ct)
    {
        // What earlier handlers of this batch left in the write list is sent first, so the reads below see it.
        await batch.FlushAsync(ct);
        foreach (var item in items)
        {
            if (item.Item.Payload is FindingsWrite findings)
            {
                var landed = await FindingsAsync(batch, findings, item, ct);
                if (findings.PushId is null && findings.Findings.Count == 1 && landed.Outside.Count == 1)
                {
                    // One person named by a worker or a resident: a refusal, not a report of one bad row.
                    item.Refuse(ScreeningProblems.PersonOutside);
                    continue;
                }
                item.Accept(landed, landed.Created > 0 ? 201 : 200);
            }
            else if (item.Item.Payload is CaseAction action)
            {
                await ActAsync(batch, item, action, ct);
            }
        }
    }

    // ---- findings ------------------------------------------------------------------------------------------------

    /// <summary>People found inside another capability's ingest batch (a positive tube's), routed by residence.</summary>
    public async Task AddFindingsAsync(IngestBatch batch, IReadOnlyList<Finding> findings, PendingItem item, CancellationToken ct)
    {
        if (findings.Count == 0)
        {
            return;
        }
        await batch.FlushAsync(ct);
        await FindingsAsync(batch, new FindingsWrite(findings, Core.Jurisdiction.Scope.Everything), item, ct);
    }

    private async Task<FindingsLanded> FindingsAsync(IngestBatch batch, FindingsWrite write, PendingItem item, CancellationToken ct)
    {
        var (connection, tx, dialect, now) = (batch.Connection, batch.Transaction, batch.Dialect, batch.Now);
        var policy = rules.Current;
        var rows = write.Findings;
        var cases = new long[rows.Count];

        // Rows this source sent before (the same file again, a retried chunk) add nothing.
        var seen = new HashSet<(string, string)>();
        foreach (var group in rows.GroupBy(f => f.Source))
        {
            var refs = group.Select(f => f.Ref).Distinct().ToList();
            foreach (var r in await connection.QueryInAsync<(string Ref, long Case), string>(tx, dialect,
                "SELECT ref, case_id FROM screening_entries WHERE source = '" + group.Key.Replace("'", "", StringComparison.Ordinal) + "' AND {in}", "ref", refs, ct))
            {
                seen.Add((group.Key, r.Ref));
            }
        }

        // Who each row is: a resident by identity hash (or given), else by a phone only one resident holds.
        var idHashes = rows.SelectMany(f => f.IdHashes).ToList();
        var byIdHash = (await ResidentLookups.ByIdHashesAsync(connection, tx, dialect, idHashes, ct)).ToDictionary(m => Convert.ToHexString(m.Hash));
        var phoneHashes = rows.Where(f => !f.Identified).SelectMany(f => f.PhoneHashes).ToList();
        var byPhone = (await ResidentLookups.ByPhoneHashesAsync(connection, tx, dialect, phoneHashes, ct))
            .GroupBy(m => Convert.ToHexString(m.Hash)).Where(g => g.Count() == 1).ToDictionary(g => g.Key, g => g.Single());
        var residents = new (long Id, long Division)?[rows.Count];
        var givenIds = rows.Where(f => f.ResidentId is not null).Select(f => f.ResidentId!.Value).Distinct().ToList();
        var givenDivisions = givenIds.Count == 0 ? [] : await ResidentStatus.DivisionsAsync(connection, tx, dialect, givenIds, ct);
        for (var i = 0; i < rows.Count; i++)
        {
            var f = rows[i];
            if (f.ResidentId is { } given && givenDivisions.TryGetValue(given, out var lives))
            {
                residents[i] = (given, lives);
            }
            else if (f.IdHashes.Select(h => byIdHash.GetValueOrDefault(Convert.ToHexString(h))).FirstOrDefault(m => m is not null) is { } byId)
            {
                residents[i] = (byId.Id, byId.Division);
            }
            else if (!f.Identified && f.PhoneHashes.Select(h => byPhone.GetValueOrDefault(Convert.ToHexString(h))).FirstOrDefault(m => m is not null) is { } phone)
            {
                residents[i] = (phone.Id, phone.Division);
            }
        }

        // The live case of each person, if there is one.
        var residentIds = residents.Where(r => r is not null).Select(r => r!.Value.Id).Distinct().ToList();
        var caseByResident = (await connection.QueryInAsync<CaseKey, long>(tx, dialect,
            $"SELECT {CaseKey.Columns} FROM screening_cases WHERE merged_into IS NULL AND {{in}}", "resident_id", residentIds, ct)).ToDictionary(c => c.ResidentId!.Value);
        var unregistered = rows.Where((f, i) => residents[i] is null && f.IdHashes.Count > 0).SelectMany(f => f.IdHashes).ToList();
        var caseByIdHash = (await connection.QueryInAsync<CaseKey, byte[]>(tx, dialect,
            $"SELECT {CaseKey.Columns} FROM screening_cases WHERE resident_id IS NULL AND merged_into IS NULL AND {{in}}", "id_hash", unregistered, ct))
            .ToDictionary(c => Convert.ToHexString(c.IdHash!));
        var allPhones = rows.SelectMany(f => f.PhoneHashes).ToList();
        var provisional = (await connection.QueryInAsync<CaseKey, byte[]>(tx, dialect,
            $"SELECT {CaseKey.Columns} FROM screening_cases WHERE resident_id IS NULL AND id_hash IS NULL AND merged_into IS NULL AND {{in}}", "phone_hash", allPhones, ct))
            .GroupBy(c => Convert.ToHexString(c.PhoneHash!)).ToDictionary(g => g.Key, g => g.First());

        var fresh = new List<NewCase>();
        var freshByKey = new Dictionary<string, NewCase>();
        var pendingEntries = new List<(int Row, NewCase? Fresh, long Case)>();
        var touched = new Dictionary<long, Touch>();
        var merges = new List<(long From, long Into)>();
        int created = 0, known = 0, repeated = 0, unassigned = 0;
        var outside = new List<int>();
        for (var i = 0; i < rows.Count; i++)
        {
            var f = rows[i];
            if (residents[i] is { } lives && !write.Scope.Contains(lives.Division))
            {
                outside.Add(i);
                continue;
            }
            if (!seen.Add((f.Source, f.Ref)))
            {
                repeated++;
                continue;
            }
            var high = f.High || policy.HighPriorityReasons.Contains(f.Reason);
            var resident = residents[i];
            var idKey = f.IdHashes.Count > 0 ? Convert.ToHexString(f.IdHashes[0]) : null;
            var phoneKey = f.PhoneHashes.Count > 0 ? Convert.ToHexString(f.PhoneHashes[0]) : null;
            var key = resident is { } r ? "r" + r.Id.ToString(CultureInfo.InvariantCulture)
                : idKey is not null ? "i" + idKey
                : phoneKey is not null ? "p" + phoneKey
                : "o" + f.Source + ":" + f.Ref;
            CaseKey? existing = resident is { } rr ? caseByResident.GetValueOrDefault(rr.Id)
                : idKey is not null ? f.IdHashes.Select(h => caseByIdHash.GetValueOrDefault(Convert.ToHexString(h))).FirstOrDefault(c => c is not null)
                : phoneKey is not null ? provisional.GetValueOrDefault(phoneKey)
                : null;
            // A person named now with a phone that a provisional case holds: that case was this person.
            if (f.Identified || resident is not null)
            {
                foreach (var p in f.PhoneHashes)
                {
                    if (provisional.Remove(Convert.ToHexString(p), out var stray) && stray.Id != existing?.Id)
                    {
                        if (existing is null)
                        {
                            // The provisional case becomes this person's case: it keeps its entries and gains an identity.
                            existing = stray;
                            touched[stray.Id] = (touched.GetValueOrDefault(stray.Id) ?? new Touch(stray)) with { Resident = resident, Finding = f };
                        }
                        else
                        {
                            merges.Add((stray.Id, existing.Id));
                        }
                    }
                }
            }
            if (existing is not null)
            {
                var t = touched.GetValueOrDefault(existing.Id) ?? new Touch(existing);
                touched[existing.Id] = t with { Added = t.Added + 1, High = t.High || high };
                pendingEntries.Add((i, null, existing.Id));
                known++;
                continue;
            }
            if (freshByKey.TryGetValue(key, out var again))
            {
                again.Entries++;
                again.High |= high;
                pendingEntries.Add((i, again, 0));
                known++;
                continue;
            }
            var routed = router.Route(resident?.Division, f.Address, write.Scope);
            var c = new NewCase
            {
                ResidentId = resident?.Id,
                IdHash = resident is null && f.IdHashes.Count > 0 ? f.IdHashes[0] : null,
                IdCipher = resident is null ? f.IdCipher : null,
                IdMasked = resident is null ? f.IdMasked : null,
                PhoneHash = resident is null && f.PhoneHashes.Count > 0 ? f.PhoneHashes[0] : null,
                PhoneCipher = resident is null ? f.PhoneCipher : null,
                PhoneMasked = resident is null ? f.PhoneMasked : null,
                KeyId = f.KeyId,
                Name = resident is null ? f.Name : null,
                Address = f.Address,
                Division = routed.Division,
                Route = routed.Route,
                Confidence = routed.Confidence,
                Corrected = routed.Corrected,
                High = high,
                At = now,
                Origin = f.Source + ":" + f.Ref,
                Entries = 1,
            };
            fresh.Add(c);
            freshByKey[key] = c;
            pendingEntries.Add((i, c, 0));
            created++;
            if (routed.Route == CaseRoute.Unassigned)
            {
                unassigned++;
            }
        }

        foreach (var c in fresh)
        {
            c.Priority = c.High ? 1 : 0;
            c.DueAt = now + (c.High ? policy.VerifyHighHours : policy.VerifyNormalHours) * Hour;
        }
        await Cases.ExecuteAsync(connection, tx, fresh, ct);
        var ids = (await connection.QueryInAsync<(string Origin, long Id), string>(tx, dialect,
            "SELECT origin, id FROM screening_cases WHERE {in}", "origin", fresh.Select(c => c.Origin).ToList(), ct)).ToDictionary(r => r.Origin, r => r.Id);
        foreach (var c in fresh)
        {
            c.Id = ids[c.Origin];
        }

        var entryRows = new List<EntryRow>(pendingEntries.Count);
        foreach (var (row, freshCase, caseId) in pendingEntries)
        {
            var f = rows[row];
            var id = freshCase?.Id ?? caseId;
            cases[row] = id;
            entryRows.Add(new EntryRow(id, f.Source, f.Ref, f.Reason, f.Payload, f.At == 0 ? now : f.At, now));
        }
        await Entries.ExecuteAsync(connection, tx, entryRows, ct);

        // Known cases: one more entry; a high-priority source brings the deadline forward; a closed case opens again.
        var reopened = new List<Touch>();
        var updates = touched.Values.Where(t => t.Added > 0 || t.Finding is not null).ToList();
        foreach (var t in updates)
        {
            if (t.Case.State is CaseStates.Cleared or CaseStates.Released)
            {
                reopened.Add(t);
            }
        }
        await connection.ExecuteEachAsync(tx,
            """
            UPDATE screening_cases SET entries = entries + @added, updated_at = @now,
                priority = CASE WHEN @high = 1 THEN 1 ELSE priority END,
                due_at = CASE WHEN state IN ('cleared', 'released') THEN @due
                              WHEN @high = 1 AND state = 'open' AND due_at > @highDue THEN @highDue ELSE due_at END,
                state = CASE WHEN state IN ('cleared', 'released') THEN 'open' ELSE state END
            WHERE id = @id
            """,
            ["added", "now", "high", "due", "highDue", "id"], updates,
            t => [t.Added, now, t.High ? 1 : 0, now + (t.High ? policy.VerifyHighHours : policy.VerifyNormalHours) * Hour, now + policy.VerifyHighHours * Hour, t.Case.Id], ct);

        // A provisional case that gained an identity keeps its id; one that turned out to be a known person's is merged.
        var identified = updates.Where(t => t.Finding is not null).ToList();
        await connection.ExecuteEachAsync(tx,
            "UPDATE screening_cases SET resident_id = @resident, id_hash = @hash, id_cipher = @cipher, id_masked = @masked, name = CASE WHEN @resident IS NULL THEN name ELSE NULL END WHERE id = @id",
            ["resident", "hash", "cipher", "masked", "id"], identified,
            t => [t.Resident?.Id, t.Resident is null && t.Finding!.IdHashes.Count > 0 ? t.Finding.IdHashes[0] : null, t.Resident is null ? t.Finding!.IdCipher : null, t.Resident is null ? t.Finding!.IdMasked : null, t.Case.Id], ct);
        await MergeAsync(batch, merges, item.Item.AccountId, ct);
        await StepsAsync(batch, identified.Select(t => new Step(t.Case.Id, "identify", "来源数据提供了身份信息", null, null, item.Item.AccountId)).ToList(), ct);

        // A verify task for every new or reopened case of a registered person (a provisional case is worked from the pool).
        var tasks = fresh.Where(c => c.ResidentId is not null)
            .Select(c => new TaskBoard.NewTask(TaskKinds.Screen, c.ResidentId!.Value, c.Division, SourceOf(c.Id), c.DueAt))
            .Concat(reopened.Where(t => (t.Resident?.Id ?? t.Case.ResidentId) is not null)
                .Select(t => new TaskBoard.NewTask(TaskKinds.Screen, (t.Resident?.Id ?? t.Case.ResidentId)!.Value, t.Case.Division, SourceOf(t.Case.Id),
                    now + (t.High ? policy.VerifyHighHours : policy.VerifyNormalHours) * Hour)))
            .ToList();
        await TaskBoard.OpenAsync(batch, tasks, ct);
        item.Note(new PoolChanged(fresh.Select(c => (c.Division, c.Route)).ToList(), reopened.Count));
        return new FindingsLanded(created, known, repeated, unassigned, cases, outside);
    }

    /// <summary>What a case's verify task names as its source.</summary>
    public static string SourceOf(long caseId) => "case:" + caseId.ToString(CultureInfo.InvariantCulture);

    private static async Task MergeAsync(IngestBatch batch, List<(long From, long Into)> merges, long? account, CancellationToken ct)
    {
        if (merges.Count == 0)
        {
            return;
        }
        var (connection, tx, now) = (batch.Connection, batch.Transaction, batch.Now);
        await connection.ExecuteEachAsync(tx, "UPDATE screening_entries SET case_id = @into WHERE case_id = @from", ["into", "from"], merges, m => [m.Into, m.From], ct);
        await connection.ExecuteEachAsync(tx,
            "UPDATE screening_cases SET entries = entries + (SELECT entries FROM screening_cases WHERE id = @from), updated_at = @now WHERE id = @into",
            ["from", "now", "into"], merges, m => [m.From, now, m.Into], ct);
        await connection.ExecuteEachAsync(tx,
            "UPDATE screening_cases SET state = 'merged', merged_into = @into, entries = 0, updated_at = @now WHERE id = @from",
            ["into", "now", "from"], merges, m => [m.Into, now, m.From], ct);
        await StepsAsync(batch, merges.SelectMany(m => new[]
        {
            new Step(m.Into, "merged", "合并了重复记录 #" + m.From.ToString(CultureInfo.InvariantCulture), null, null, account),
            new Step(m.From, "merged", "已合并到 #" + m.Into.ToString(CultureInfo.InvariantCulture), null, null, account),
        }).ToList(), ct);
    }

    private static Task StepsAsync(IngestBatch batch, IReadOnlyList<Step> steps, CancellationToken ct) =>
        batch.Connection.ExecuteEachAsync(batch.Transaction,
            "INSERT INTO screening_steps (case_id, kind, detail, from_division, to_division, account_id, at) VALUES (@case, @kind, @detail, @from, @to, @account, @at)",
            ["case", "kind", "detail", "from", "to", "account", "at"], steps, s => [s.CaseId, s.Kind, s.Detail, s.From, s.To, s.Account, batch.Now], ct);

    // ---- steps on one case ----------------------------------------------------------------------------------------

    private async Task ActAsync(IngestBatch batch, PendingItem item, CaseAction action, CancellationToken ct)
    {
        var (connection, tx, now) = (batch.Connection, batch.Transaction, batch.Now);
        var row = await connection.QuerySingleOrDefaultAsync<CaseRow>(new CommandDefinition(
            $"SELECT {CaseRow.Columns} FROM screening_cases WHERE id = @id", new { id = action.CaseId }, tx, cancellationToken: ct));
        var kind = item.Item.Kind;
        // A handover is accepted by the side it was handed to; everything else by whoever holds the case.
        var visible = row is not null && (action.Scope.Contains(row.Division) || (kind == ScreeningKinds.Accept && row.HandoverTo is { } to && action.Scope.Contains(to)));
        if (row is null || !visible)
        {
            item.Refuse(ScreeningProblems.CaseUnknown);
            return;
        }
        if (row.MergedInto is not null)
        {
            item.Refuse(ScreeningProblems.CaseMerged);
            return;
        }
        var problem = kind switch
        {
            ScreeningKinds.Verify => await VerifyAsync(batch, row, action, ct),
            ScreeningKinds.Decide => await DecideAsync(batch, item, row, action, ct),
            ScreeningKinds.Handover => await HandOverAsync(batch, row, action, ct),
            ScreeningKinds.Accept => await AcceptAsync(batch, item, row, action, ct),
            ScreeningKinds.Assign => await AssignAsync(batch, item, row, action, ct),
            ScreeningKinds.Identify => await IdentifyAsync(batch, item, row, action, ct),
            _ => Core.Ingest.IngestQueue.UnknownKind,
        };
        if (problem is not null)
        {
            item.Refuse(problem);
            return;
        }
        var after = await connection.QuerySingleAsync<CaseRow>(new CommandDefinition(
            $"SELECT {CaseRow.Columns} FROM screening_cases WHERE id = @id", new { id = action.CaseId }, tx, cancellationToken: ct));
        if (after.MergedInto is { } into)
        {
            // Identified as someone with a case already: the answer is the case it became.
            after = await connection.QuerySingleAsync<CaseRow>(new CommandDefinition(
                $"SELECT {CaseRow.Columns} FROM screening_cases WHERE id = @id", new { id = into }, tx, cancellationToken: ct));
        }
        item.Accept(new CaseChanged(after.Id, after.State, after.Division, after.HandoverTo, after.HoldUntil, now));
    }

    private static async Task<Core.Http.ApiProblem?> VerifyAsync(IngestBatch batch, CaseRow row, CaseAction a, CancellationToken ct)
    {
        if (a.Note is { Length: > 200 })
        {
            return ScreeningProblems.NoteTooLong;
        }
        await batch.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE screening_cases SET whereabouts = COALESCE(@whereabouts, whereabouts), tags = COALESCE(@tags, tags), updated_at = @now WHERE id = @id",
            new { whereabouts = a.Whereabouts, tags = a.Tags.Count == 0 ? null : string.Join(',', a.Tags), now = batch.Now, id = row.Id }, batch.Transaction, cancellationToken: ct));
        await StepsAsync(batch, [new Step(row.Id, "verify", VerifyDetail(a), null, null, a.AccountId)], ct);
        return null;
    }

    private static string VerifyDetail(CaseAction a)
    {
        var how = a.Method switch { "call" => "电话", "visit" => "上门", _ => "核实" };
        var parts = new List<string> { how + (a.Reached == true ? "联系到本人" : "未联系到本人") };
        if (!string.IsNullOrWhiteSpace(a.Whereabouts))
        {
            parts.Add("现在：" + a.Whereabouts);
        }
        if (a.Tags.Count > 0)
        {
            parts.Add("标签：" + string.Join("、", a.Tags));
        }
        if (!string.IsNullOrWhiteSpace(a.Note))
        {
            parts.Add(a.Note!);
        }
        return string.Join("；", parts);
    }

    private async Task<Core.Http.ApiProblem?> DecideAsync(IngestBatch batch, PendingItem item, CaseRow row, CaseAction a, CancellationToken ct)
    {
        var policy = rules.Current;
        if (row.State != CaseStates.Open)
        {
            return ScreeningProblems.CaseDecided;
        }
        if (a.Category is null || !policy.Categories.TryGetValue(a.Category, out var category))
        {
            return ScreeningProblems.CategoryUnknown;
        }
        var clearing = category.Action == PolicyActions.Cleared;
        if (clearing && (a.ClearReason is null || !policy.ClearReasons.Contains(a.ClearReason)))
        {
            return ScreeningProblems.ClearReasonInvalid;
        }
        if (!clearing && a.Reached != true)
        {
            return ScreeningProblems.NotReached;
        }
        if (!clearing && row.ResidentId is null)
        {
            return ScreeningProblems.NotRegistered;
        }
        if (a.Note is { Length: > 200 })
        {
            return ScreeningProblems.NoteTooLong;
        }
        var now = batch.Now;
        var held = now + category.Days * Day;
        var monitored = held + category.MonitorDays * Day;
        var (state, colour, until, monitorUntil) = category.Action switch
        {
            PolicyActions.Centralised => (CaseStates.AwaitingTransfer, (int?)Core.Status.HealthColour.Red, (long?)held, (long?)monitored),
            PolicyActions.HomeIsolation => (CaseStates.HomeIsolation, (int?)Core.Status.HealthColour.Red, (long?)held, (long?)monitored),
            PolicyActions.Monitoring => (CaseStates.Monitoring, (int?)Core.Status.HealthColour.Yellow, (long?)held, (long?)held),
            _ => (CaseStates.Cleared, (int?)null, (long?)null, (long?)null),
        };
        await batch.Connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE screening_cases SET state = @state, category = @category, policy_version = @version, decided_at = @now, decided_by = @by,
                hold_colour = @colour, hold_since = @since, hold_until = @until, hold_reason = @reason, monitor_until = @monitorUntil, cleared_reason = @cleared,
                whereabouts = COALESCE(@whereabouts, whereabouts), tags = COALESCE(@tags, tags), updated_at = @now
            WHERE id = @id
            """,
            new
            {
                state, category = a.Category, version = policy.Version, now, by = a.AccountId, colour, since = colour is null ? (long?)null : now, until, monitorUntil, reason = HoldReason(category),
                cleared = clearing ? a.ClearReason : null, whereabouts = a.Whereabouts, tags = a.Tags.Count == 0 ? null : string.Join(',', a.Tags), id = row.Id,
            }, batch.Transaction, cancellationToken: ct));
        var detail = category.Name + (clearing ? "：" + a.ClearReason : $"，{category.Days}天" + (category.MonitorDays > 0 ? $"，之后健康监测{category.MonitorDays}天" : ""))
            + (string.IsNullOrWhiteSpace(a.Note) ? "" : "；" + a.Note) + $"（规则 {policy.Version}）";
        await StepsAsync(batch, [new Step(row.Id, "decide", detail, null, null, a.AccountId)], ct);
        if (row.ResidentId is { } resident)
        {
            await TaskBoard.FinishAsync(batch, [new TaskBoard.Finished(TaskKinds.Screen, resident, SourceOf(row.Id), TaskReasons.Decided, a.AccountId)], ct);
            if (category.Action == PolicyActions.Centralised)
            {
                // 待转运: the person waits on the quarantine side's list for a transfer order; the site tests them on the rules' days.
                await QuarantineReferrals.ReferAsync(batch, [new Referral(resident, row.Division, SourceOf(row.Id), category.Name, category.Days, category.TestDays.ToArray())], ct);
                await StepsAsync(batch, [new Step(row.Id, "referred", "列入待转运，等待转运到隔离点", null, null, a.AccountId)], ct);
            }
            if (category.Action is PolicyActions.HomeIsolation or PolicyActions.Monitoring)
            {
                // A test on day N is due by the end of that day, counted from the decision.
                await TaskBoard.OpenAsync(batch, category.TestDays.Select(d => new TaskBoard.NewTask(TaskKinds.IsolationTest, resident, row.Division, SourceOf(row.Id), now + d * Day)).ToList(), ct);
            }
            item.Note(colour is { } c ? new HoldChanged(resident, c, now, until!.Value, HoldReason(category)) : new HoldChanged(resident));
        }
        item.Note(new CaseDecided(row.Division, a.Category, state));
        return null;
    }

    /// <summary>What a door shows as the hold's reason: 集中隔离（密切接触者）, 居家隔离（…）, 居家健康监测（…）.</summary>
    private static string? HoldReason(PolicyCategory category) => category.Action switch
    {
        PolicyActions.Centralised => "集中隔离（" + category.Name + "）",
        PolicyActions.HomeIsolation => "居家隔离（" + category.Name + "）",
        PolicyActions.Monitoring => "居家健康监测（" + category.Name + "）",
        _ => null,
    };

    private static async Task<Core.Http.ApiProblem?> HandOverAsync(IngestBatch batch, CaseRow row, CaseAction a, CancellationToken ct)
    {
        if (a.ToDivision is not { } to || !Core.Jurisdiction.Division.IsWellFormed(to) || Core.Jurisdiction.Scope.Of(row.Division).Contains(to) && row.Division == to)
        {
            return ScreeningProblems.HandoverTarget;
        }
        if (row.State != CaseStates.Open)
        {
            return ScreeningProblems.CaseDecided;
        }
        await batch.Connection.ExecuteAsync(new CommandDefinition("UPDATE screening_cases SET handover_to = @to, updated_at = @now WHERE id = @id",
            new { to, now = batch.Now, id = row.Id }, batch.Transaction, cancellationToken: ct));
        await StepsAsync(batch, [new Step(row.Id, "handover", a.Note, row.Division, to, a.AccountId)], ct);
        return null;
    }

    private async Task<Core.Http.ApiProblem?> AcceptAsync(IngestBatch batch, PendingItem item, CaseRow row, CaseAction a, CancellationToken ct)
    {
        if (row.HandoverTo is not { } to || !a.Scope.Contains(to))
        {
            return ScreeningProblems.NoHandover;
        }
        // The accepting side may route it at once to one of its villages; otherwise it lands in its own queue.
        var target = a.ToDivision is { } chosen && a.Scope.Contains(chosen) && Core.Jurisdiction.Scope.Of(to).Contains(chosen) ? chosen : to;
        var route = Core.Jurisdiction.Division.LevelOf(target) == Core.Jurisdiction.DivisionLevel.Village ? CaseRoute.Handover : CaseRoute.Unassigned;
        await MoveAsync(batch, item, row, target, route, ct);
        await StepsAsync(batch, [new Step(row.Id, "accept", a.Note, row.Division, target, a.AccountId)], ct);
        return null;
    }

    private async Task<Core.Http.ApiProblem?> AssignAsync(IngestBatch batch, PendingItem item, CaseRow row, CaseAction a, CancellationToken ct)
    {
        if (a.ToDivision is not { } to || !a.Scope.Contains(to) || Core.Jurisdiction.Division.LevelOf(to) != Core.Jurisdiction.DivisionLevel.Village || to == row.Division)
        {
            return ScreeningProblems.AssignTarget;
        }
        await MoveAsync(batch, item, row, to, CaseRoute.Address, ct);
        await StepsAsync(batch, [new Step(row.Id, "assign", a.Note, row.Division, to, a.AccountId)], ct);
        return null;
    }

    // The case moves to another division: its open verify task goes with it (cancelled there, opened here, same deadline).
    private async Task MoveAsync(IngestBatch batch, PendingItem item, CaseRow row, long to, string route, CancellationToken ct)
    {
        await batch.Connection.ExecuteAsync(new CommandDefinition(
            "UPDATE screening_cases SET division = @to, route = @route, handover_to = NULL, updated_at = @now WHERE id = @id",
            new { to, route, now = batch.Now, id = row.Id }, batch.Transaction, cancellationToken: ct));
        if (row.ResidentId is { } resident && row.State == CaseStates.Open)
        {
            await TaskBoard.CancelAsync(batch, TaskKinds.Screen, [SourceOf(row.Id)], TaskReasons.HandedOff, ct);
            await batch.FlushAsync(ct);
            if (Core.Jurisdiction.Division.LevelOf(to) == Core.Jurisdiction.DivisionLevel.Village)
            {
                var policy = rules.Current;
                await TaskBoard.OpenAsync(batch, [new TaskBoard.NewTask(TaskKinds.Screen, resident, to, SourceOf(row.Id), Math.Max(row.DueAt, batch.Now + policy.VerifyHighHours * Hour))], ct);
            }
        }
        item.Note(new CaseMoved(row.Division, to));
    }

    private static async Task<Core.Http.ApiProblem?> IdentifyAsync(IngestBatch batch, PendingItem item, CaseRow row, CaseAction a, CancellationToken ct)
    {
        if (row.ResidentId is not null || row.IdHash is not null)
        {
            return ScreeningProblems.AlreadyIdentified;
        }
        var (connection, tx, dialect) = (batch.Connection, batch.Transaction, batch.Dialect);
        var resident = (await ResidentLookups.ByIdHashesAsync(connection, tx, dialect, a.IdHashes, ct)).FirstOrDefault();
        var other = resident is not null
            ? await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition("SELECT id FROM screening_cases WHERE resident_id = @r AND merged_into IS NULL", new { r = resident.Id }, tx, cancellationToken: ct))
            : (await connection.QueryInAsync<long, byte[]>(tx, dialect, "SELECT id FROM screening_cases WHERE resident_id IS NULL AND merged_into IS NULL AND {in}", "id_hash", a.IdHashes, ct)).Cast<long?>().FirstOrDefault();
        if (other is { } into && into != row.Id)
        {
            await MergeAsync(batch, [(row.Id, into)], a.AccountId, ct);
            await TaskBoard.CancelAsync(batch, TaskKinds.Screen, [SourceOf(row.Id)], TaskReasons.HandedOff, ct);
            item.Note(new CaseMoved(row.Division, row.Division));
            return null;
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE screening_cases SET resident_id = @resident, id_hash = @hash, id_cipher = @cipher, id_masked = @masked, key_id = @key, name = CASE WHEN @resident IS NULL THEN name ELSE NULL END, updated_at = @now WHERE id = @id",
            new { resident = resident?.Id, hash = resident is null ? a.IdHashes[0] : null, cipher = resident is null ? a.IdCipher : null, masked = resident is null ? a.IdMasked : null, key = a.KeyId, now = batch.Now, id = row.Id },
            tx, cancellationToken: ct));
        await StepsAsync(batch, [new Step(row.Id, "identify", resident is null ? "身份证号已核实（未登记实有人口）" : "身份证号已核实，关联实有人口", null, null, a.AccountId)], ct);
        if (resident is not null && row.State == CaseStates.Open)
        {
            await TaskBoard.OpenAsync(batch, [new TaskBoard.NewTask(TaskKinds.Screen, resident.Id, row.Division, SourceOf(row.Id), row.DueAt)], ct);
        }
        return null;
    }

    // ---- rows ------------------------------------------------------------------------------------------------------

    private sealed class NewCase
    {
        public long Id { get; set; }
        public long? ResidentId { get; init; }
        public byte[]? IdHash { get; init; }
        public byte[]? IdCipher { get; init; }
        public string? IdMasked { get; init; }
        public byte[]? PhoneHash { get; init; }
        public byte[]? PhoneCipher { get; init; }
        public string? PhoneMasked { get; init; }
        public int KeyId { get; init; }
        public string? Name { get; init; }
        public string? Address { get; init; }
        public long Division { get; init; }
        public string Route { get; init; } = "";
        public double Confidence { get; init; }
        public string? Corrected { get; init; }
        public bool High { get; set; }
        public int Priority { get; set; }
        public long DueAt { get; set; }
        public long At { get; init; }
        public string Origin { get; init; } = "";
        public int Entries { get; set; }
    }

    private sealed record EntryRow(long CaseId, string Source, string Ref, string Reason, string? Payload, long At, long CreatedAt);

    private sealed record Touch(CaseKey Case)
    {
        public int Added { get; init; }
        public bool High { get; init; }
        public (long Id, long Division)? Resident { get; init; }
        public Finding? Finding { get; init; }
    }

    private sealed record Step(long CaseId, string Kind, string? Detail, long? From, long? To, long? Account);

    internal sealed record CaseKey
    {
        public const string Columns = "id, resident_id AS ResidentId, id_hash AS IdHash, phone_hash AS PhoneHash, state, division";
        public long Id { get; init; }
        public long? ResidentId { get; init; }
        public byte[]? IdHash { get; init; }
        public byte[]? PhoneHash { get; init; }
        public string State { get; init; } = "";
        public long Division { get; init; }
    }
}
