using System.Data.Common;
using Fangyi.Core.Storage;
using Fangyi.Core.Ingest;
using Fangyi.Core.Status;
using System.Diagnostics.CodeAnalysis;

namespace Fangyi.Features.Residents;

/// <summary>
/// The registry's part of the status index: who everyone is. Loads every resident at start; afterwards follows
/// new rows by id, so residents another process wrote (a command-line import, another host) reach this host's
/// index within a second. Residents written through this host's ingest are told to the index at once.
/// </summary>
public sealed class ResidentStatus(Store store, StatusIndex index) : IStatusSource, IIngestObserver
{
    private const string Columns = "id, doc_type, id_hash, key_id, subject, name, id_masked";
    private const int Page = 50_000;

    private long _lastId;

    // Ids below the highest seen that were not there yet: on PostgreSQL a transaction that took its ids earlier can
    // commit later. Each gap is looked at again for a while before it is taken as a rolled-back insert.
    private readonly List<(long From, long To, long Until)> _gaps = [];

    public int Order => 0;

    public async Task LoadAsync(IStatusSink sink, IReadOnlyCollection<long>? residents, CancellationToken ct)
    {
        if (residents is not null)
        {
            return;
        }
        await using var connection = await store.OpenAsync(ct);
        await using (var size = connection.CreateCommand())
        {
            size.CommandText = "SELECT COUNT(*), COALESCE(MAX(id), 0) FROM residents";
            await using var reader = await size.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            var count = reader.GetInt64(0);
            var max = reader.GetInt64(1);
            index.Reserve((int)Math.Min(int.MaxValue / 2, count + count / 64 + 1024), max + max / 64 + 1024);
        }
        _lastId = await ReadAsync(connection, sink, $"SELECT {Columns} FROM residents", null, ct);
    }

    public async Task CatchUpAsync(IStatusSink sink, CancellationToken ct)
    {
        await using var connection = await store.OpenAsync(ct);
        var now = Environment.TickCount64;
        for (var i = _gaps.Count - 1; i >= 0; i--)
        {
            var (from, to, until) = _gaps[i];
            await ReadAsync(connection, sink, $"SELECT {Columns} FROM residents WHERE id BETWEEN {from} AND {to}", null, ct);
            if (now > until)
            {
                _gaps.RemoveAt(i);
            }
        }
        while (true)
        {
            var before = _lastId;
            var last = await ReadAsync(connection, sink, $"SELECT {Columns} FROM residents WHERE id > {before} ORDER BY id LIMIT {Page}", before, ct);
            if (last <= before)
            {
                return;
            }
            _lastId = last;
        }
    }

    // Streams residents into the sink; returns the highest id read. With after, notes gaps in the ids.
    [SuppressMessage("Security", "CA2100", Justification = "Constant SQL with a page size and a last id, both numbers from this class.")]
    private async Task<long> ReadAsync(DbConnection connection, IStatusSink sink, string sql, long? after, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(ct);
        var max = after ?? 0;
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetInt64(0);
            if (after is not null && id > max + 1)
            {
                _gaps.Add((max + 1, id - 1, Environment.TickCount64 + 120_000));
            }
            sink.Person(new PersonRecord(id, reader.GetInt32(3), (byte[])reader.GetValue(2), await reader.IsDBNullAsync(4, ct) ? null : (byte[])reader.GetValue(4),
                reader.GetString(5), reader.GetString(1), reader.GetString(6)));
            max = Math.Max(max, id);
        }
        return max;
    }

    /// <summary>
    /// The resident a citizen code's subject names, read from the store into the index: for a code another host
    /// issued since this one started. Only called after the code's signature was verified.
    /// </summary>
    public async Task<bool> LoadSubjectAsync(byte[] subject, CancellationToken ct = default)
    {
        await using var connection = await store.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM residents WHERE subject = @subject";
        command.AddParameter("subject", subject);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var found = false;
        while (await reader.ReadAsync(ct))
        {
            index.Person(new PersonRecord(reader.GetInt64(0), reader.GetInt32(3), (byte[])reader.GetValue(2), subject, reader.GetString(5), reader.GetString(1), reader.GetString(6)));
            found = true;
        }
        return found;
    }

    /// <summary>Where each of these residents lives (those that exist), read in the caller's transaction.</summary>
    public static async Task<Dictionary<long, long>> DivisionsAsync(DbConnection connection, DbTransaction tx, Dialect dialect, IReadOnlyList<long> ids, CancellationToken ct) =>
        (await connection.QueryInAsync<(long Id, long Division), long>(tx, dialect, "SELECT id, division FROM residents WHERE {in}", "id", ids, ct))
            .ToDictionary(r => r.Id, r => r.Division);

    public void OnCommitted(IReadOnlyList<PendingItem> items)
    {
        foreach (var item in items)
        {
            if (item.Accepted && item.Item.Kind == ResidentUpsertHandler.KindName && item.Result is ResidentUpsertHandler.Saved saved
                && item.Item.Payload is PreparedResident r && saved.Id > 0)
            {
                index.Person(new PersonRecord(saved.Id, r.KeyId, r.Hash, null, r.Name, r.DocType, r.IdMasked));
            }
        }
    }
}
