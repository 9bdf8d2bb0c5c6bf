using System.Globalization;
using System.Text.Json;
using Dapper;
using Fangyi.Core.Imports;
using Fangyi.Core.Ingest;
using Fangyi.Core.Jurisdiction;
using Fangyi.Core.Storage;

namespace Fangyi.Features.Screening;

/// <summary>
/// A push's rows into the pool: read (CSV or XLSX by header: 身份证号, 手机号, 姓名, 地址), checked and protected in
/// parallel a chunk at a time, each chunk one ingest item (its rows' refs are the push id and row number, so a chunk sent
/// again lands once) while the next chunk is prepared. Bad rows are reported by number, column and reason; good ones land.
/// </summary>
public static class PushImport
{
    public const int ChunkSize = 5_000;

    public const string OutsideReason = "该人员居住地不在您的辖区，请通过区域协查移交";

    public sealed record Push(string Source, string Reason, bool High, long? WindowFrom, long? WindowTo, string? Place);

    public static PersonRow ToRow(SheetRow row) => new(
        row.Get("id_number", "身份证号", "身份证号码", "证件号码"),
        row.Get("phone", "手机号", "手机号码", "联系电话"),
        row.Get("name", "姓名"),
        row.Get("address", "地址", "住址", "现住址"));

    /// <summary>The push's record, made before its rows are read: the rows' refs name it.</summary>
    public static async Task<long> OpenAsync(Store store, Push push, long division, long accountId, long now, CancellationToken ct)
    {
        await using var connection = await store.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO screening_pushes (source, reason, priority, window_from, window_to, place, division, rows_total, rows_new, rows_known, rows_bad, account_id, created_at)
            VALUES (@Source, @Reason, @priority, @WindowFrom, @WindowTo, @Place, @division, 0, 0, 0, 0, @accountId, @now) RETURNING id
            """,
            new { push.Source, push.Reason, priority = push.High ? 1 : 0, push.WindowFrom, push.WindowTo, push.Place, division, accountId, now }, cancellationToken: ct));
    }

    public static async Task<PushLanded> RunAsync(Store store, IngestQueue ingest, ScreeningIntake intake, long pushId, Push push, IEnumerable<(int Number, PersonRow Row)> rows,
        Scope scope, long division, long accountId, TimeProvider clock, Action<long>? progress = null, CancellationToken ct = default)
    {
        var errors = new List<ImportRowError>();
        var payload = JsonSerializer.Serialize(new { push = pushId, push.WindowFrom, push.WindowTo, push.Place });
        var id = pushId.ToString(CultureInfo.InvariantCulture);
        int total = 0, created = 0, known = 0, repeated = 0, unassigned = 0, chunkNo = 0;
        (Task<IngestOutcome> Outcome, List<int> Numbers)? sending = null;
        void Count(IngestOutcome outcome, IReadOnlyList<int> numbers)
        {
            if (!outcome.Accepted)
            {
                throw new InvalidOperationException("a push chunk was refused: " + outcome.BodyJson);
            }
            var landed = outcome.Body.Deserialize<FindingsLanded>(IngestQueue.Json)!;
            (created, known, repeated, unassigned) = (created + landed.Created, known + landed.Known, repeated + landed.Repeated, unassigned + landed.Unassigned);
            errors.AddRange(landed.Outside.Select(i => new ImportRowError(numbers[i], "身份证号", OutsideReason)));
        }
        foreach (var chunk in rows.Chunk(ChunkSize))
        {
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var prepared = new ScreeningIntake.Prepared[chunk.Length];
            Parallel.For(0, chunk.Length, i => prepared[i] = intake.Prepare(chunk[i].Row, push.Source, id + ":" + chunk[i].Number.ToString(CultureInfo.InvariantCulture), push.Reason, now, push.High, payload));
            var good = new List<Finding>(chunk.Length);
            var numbers = new List<int>(chunk.Length);
            for (var i = 0; i < chunk.Length; i++)
            {
                if (prepared[i].Finding is { } finding)
                {
                    good.Add(finding);
                    numbers.Add(chunk[i].Number);
                }
                else
                {
                    errors.Add(new ImportRowError(chunk[i].Number, prepared[i].Column!, prepared[i].Reason!));
                }
            }
            total += chunk.Length;
            if (sending is { } previous)
            {
                Count(await previous.Outcome, previous.Numbers);
            }
            // Not kept in the event log: a million rows would double it, and the entries' refs are the record.
            sending = good.Count == 0 ? null : (ingest.SubmitAsync(new IngestItem($"push:{id}:{chunkNo++}", ScreeningKinds.Findings, division, accountId, null, now,
                new FindingsWrite(good, scope, pushId)) { Logged = false }, ct), numbers);
            progress?.Invoke(total);
        }
        if (sending is { } last)
        {
            Count(await last.Outcome, last.Numbers);
        }
        errors.Sort((a, b) => a.Row.CompareTo(b.Row));
        await using (var connection = await store.OpenAsync(ct))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE screening_pushes SET rows_total = @total, rows_new = @created, rows_known = @known, rows_bad = @bad, finished_at = @now WHERE id = @pushId",
                new { total, created, known, bad = errors.Select(e => e.Row).Distinct().Count(), now = clock.GetUtcNow().ToUnixTimeMilliseconds(), pushId }, cancellationToken: ct));
        }
        return new PushLanded(pushId, total, created + known, created, known, repeated, unassigned, errors);
    }
}
