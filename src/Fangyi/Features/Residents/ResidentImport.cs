using Fangyi.Core.Storage;
using System.Threading.Channels;
using Fangyi.Core.Identity;
using Fangyi.Core.Imports;
using Fangyi.Core.Jurisdiction;

namespace Fangyi.Features.Residents;

/// <summary>
/// Imports residents from CSV or XLSX. Rows are validated and protected in parallel, in chunks, while the
/// previous chunk is written in its own transaction; every bad row is reported by number, column and reason
/// and the good ones land. Columns: doc_type/证件类型, id_number/证件号码, name/姓名, phone/手机号,
/// division/区划代码, registered/户籍类型, tags/标签.
/// </summary>
public static class ResidentImport
{
    // A chunk is one transaction. A million random id_hash, name and division keys touch about one index page
    // per row, and every commit writes each page it touched again (SQLite: to the WAL, then the checkpoint):
    // 25,000 rows a chunk wrote a third of the bytes that 5,000 did.
    public const int ChunkSize = 25_000;

    public static ResidentInput ToInput(SheetRow row) => new(
        row.Get("doc_type", "证件类型"),
        row.Get("id_number", "证件号码", "身份证号", "身份证号码"),
        row.Get("name", "姓名"),
        row.Get("phone", "手机号", "手机号码", "联系电话"),
        row.Get("division", "区划代码", "居住地区划代码"),
        row.Get("registered", "户籍类型"),
        row.Get("tags", "标签"));

    public static async Task<ImportReport> RunAsync(Store store, IEnumerable<SheetRow> rows, DivisionTree divisions, KeyRing keys, Scope scope, Action<long>? progress = null, TimeProvider? clock = null, Action<ResidentsMoved>? committed = null, long? accountId = null, CancellationToken ct = default)
    {
        var today = DateOnly.FromDateTime((clock ?? TimeProvider.System).GetLocalNow().DateTime);
        var chunks = Channel.CreateBounded<(List<PreparedResident> Good, int Rows)>(2);
        var errors = new List<ImportRowError>();

        var producer = Task.Run(async () =>
        {
            try
            {
                foreach (var chunk in rows.Chunk(ChunkSize))
                {
                    var prepared = new (PreparedResident? Resident, List<FieldError> Errors)[chunk.Length];
                    Parallel.For(0, chunk.Length, i => prepared[i] = ResidentRules.Prepare(ToInput(chunk[i]), divisions, keys, scope, today));
                    var good = new List<PreparedResident>(chunk.Length);
                    for (var i = 0; i < chunk.Length; i++)
                    {
                        if (prepared[i].Resident is { } resident)
                        {
                            good.Add(resident);
                        }
                        else
                        {
                            errors.AddRange(prepared[i].Errors.Select(e => new ImportRowError(chunk[i].Number, e.Column, e.Reason)));
                        }
                    }
                    await chunks.Writer.WriteAsync((good, chunk.Length), ct);
                }
                chunks.Writer.Complete();
            }
            catch (Exception error)
            {
                chunks.Writer.Complete(error);
            }
        }, ct);

        int total = 0, created = 0, updated = 0, unchanged = 0, transfers = 0;
        var writer = new WriteScope(scope, accountId, RequestTransfers: true);
        await foreach (var (good, count) in chunks.Reader.ReadAllAsync(ct))
        {
            await using var connection = await store.OpenAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            var moves = new List<ResidentMove>();
            var outcomes = await ResidentWriter.WriteAsync(connection, tx, store.Dialect, good.Select(r => r with { Writer = writer }).ToList(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), needIds: false, moves, ct);
            await tx.CommitAsync(ct);
            if (moves.Count > 0)
            {
                committed?.Invoke(new ResidentsMoved(moves));
            }
            foreach (var (outcome, _) in outcomes)
            {
                switch (outcome)
                {
                    case WriteOutcome.Created: created++; break;
                    case WriteOutcome.Updated: updated++; break;
                    case WriteOutcome.TransferRequested: transfers++; break;
                    default: unchanged++; break;
                }
            }
            total += count;
            progress?.Invoke(total);
        }
        await producer;
        return new ImportReport(total, created, updated, unchanged, errors.OrderBy(e => e.Row).ToList()) { NeedsTransfer = transfers };
    }
}
