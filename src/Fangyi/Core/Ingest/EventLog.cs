using Fangyi.Core.Storage;
using System.Data.Common;
using System.Text.Json;
using Dapper;
using System.Diagnostics.CodeAnalysis;

namespace Fangyi.Core.Ingest;

// The event log (events, append-only): every logged item with its answer, written in the batch that applied
// it, and read back to answer a client id used again.
internal static class EventLog
{
    /// <summary>
    /// The final answers already logged for the batch's logged items, in one query: by client id over the partial
    /// unique index (client_id, principal) WHERE final, keeping the rows of the items' own principals. A row from before
    /// fingerprints (migration 0008) has none and is matched on its kind.
    /// </summary>
    [SuppressMessage("Security", "CA2100", Justification = "The SQL is constant but for an IN list of bound parameters.")]
    public static async Task<Dictionary<(string, string), (IngestOutcome Outcome, string? Fingerprint)>> StoredOutcomesAsync(DbConnection connection, Dialect dialect, Dictionary<(string, string), PendingItem> firsts)
    {
        var outcomes = new Dictionary<(string, string), (IngestOutcome, string?)>();
        var ids = firsts.Values.Where(i => i.Item.Logged).Select(i => i.Item.ClientId).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0)
        {
            return outcomes;
        }
        var args = new DynamicParameters();
        var where = dialect.InList("client_id", ids, args);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT client_id, accepted, outcome, principal, fingerprint, kind FROM events WHERE final AND {where}";
        command.AddParameters(args);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var key = (reader.GetString(3), reader.GetString(0));
            if (!firsts.TryGetValue(key, out var item) || !item.Item.Logged)
            {
                continue;
            }
            using var document = JsonDocument.Parse(reader.GetString(2));
            var status = document.RootElement.GetProperty("s").GetInt32();
            var fingerprint = await reader.IsDBNullAsync(4) ? (reader.GetString(5) == item.Item.Kind ? null : "") : reader.GetString(4);
            outcomes[key] = (new IngestOutcome(Convert.ToBoolean(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture), status, document.RootElement.GetProperty("b").GetRawText(), Repeat: true), fingerprint);
        }
        return outcomes;
    }

    private static string StoredOutcome(PendingItem item) => $"{{\"s\":{item.Status},\"b\":{item.OutcomeJson}}}";

    // An event row: the item, and when its batch recorded it.
    private readonly record struct EventRow(PendingItem Pending, long RecordedAt);

    private static readonly BulkInsert<EventRow> Events = new BulkInsert<EventRow>("events")
        .Column("client_id", e => e.Pending.Item.ClientId)
        .Column("kind", e => e.Pending.Item.Kind)
        .Column("accepted", e => e.Pending.Accepted)
        .Column("division", e => e.Pending.Item.Division)
        .Column("account_id", e => e.Pending.Item.AccountId)
        .Column("device_id", e => e.Pending.Item.DeviceId)
        .Column("at", e => e.Pending.Item.At)
        .Column("recorded_at", e => e.RecordedAt)
        .Column("payload", e => e.Pending.PayloadJson)
        .Column("outcome", e => StoredOutcome(e.Pending))
        .Column("subject", e => e.Pending.Item.Subject)
        .Column("principal", e => e.Pending.Key.Principal)
        .Column("fingerprint", e => e.Pending.Fingerprint)
        .Column("final", e => e.Pending.Final);

    /// <summary>The batch's logged items, each with its answer; on PostgreSQL they reach the server with the batch's other writes.</summary>
    public static Task InsertAsync(IngestBatch batch, List<PendingItem> items)
    {
        var rows = new EventRow[items.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = new EventRow(items[i], batch.Now);
        }
        return batch.InsertAsync(Events, rows);
    }
}
