using Fangyi.Core.Storage;
using System.Data.Common;
using System.Text.Json;
using Dapper;
using Npgsql;

namespace Fangyi.Core.Ingest;

/// <summary>
/// The event log (<c>events</c>, append-only): every logged item with its answer, written in the batch that applied
/// it, and read back to answer a client id used again.
/// </summary>
internal static class EventLog
{
    /// <summary>
    /// The final answers already logged for the batch's logged items, in one query: by client id over the partial
    /// unique index (client_id, principal) WHERE final, keeping the rows of the items' own principals. A row from before
    /// fingerprints (migration 0008) has none and is matched on its kind.
    /// </summary>
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
            var fingerprint = reader.IsDBNull(4) ? (reader.GetString(5) == item.Item.Kind ? null : "") : reader.GetString(4);
            outcomes[key] = (new IngestOutcome(Convert.ToBoolean(reader.GetValue(1)), status, document.RootElement.GetProperty("b").GetRawText(), Repeat: true), fingerprint);
        }
        return outcomes;
    }

    private static string StoredOutcome(PendingItem item) => $"{{\"s\":{item.Status},\"b\":{item.OutcomeJson}}}";

    public static async Task InsertAsync(IngestBatch batch, List<PendingItem> items)
    {
        if (batch.Connection is NpgsqlConnection)
        {
            var n = items.Count;
            var clientIds = new string[n];
            var kinds = new string[n];
            var accepted = new bool[n];
            var divisions = new long[n];
            var accounts = new long?[n];
            var devices = new string?[n];
            var at = new long[n];
            var payloads = new string[n];
            var outcomes = new string[n];
            var subjects = new string?[n];
            var principals = new string[n];
            var fingerprints = new string[n];
            var finals = new bool[n];
            for (var i = 0; i < n; i++)
            {
                var item = items[i];
                clientIds[i] = item.Item.ClientId;
                kinds[i] = item.Item.Kind;
                accepted[i] = item.Accepted;
                divisions[i] = item.Item.Division;
                accounts[i] = item.Item.AccountId;
                devices[i] = item.Item.DeviceId;
                at[i] = item.Item.At;
                payloads[i] = item.PayloadJson;
                outcomes[i] = StoredOutcome(item);
                subjects[i] = item.Item.Subject;
                principals[i] = item.Key.Principal;
                fingerprints[i] = item.Fingerprint;
                finals[i] = item.Final;
            }
            var command = new NpgsqlBatchCommand(
                """
                INSERT INTO events (client_id, kind, accepted, division, account_id, device_id, at, recorded_at, payload, outcome, subject, principal, fingerprint, final)
                SELECT c, k, a, d, acc, dev, t, @now, p, o, s, pr, f, fi
                FROM unnest(@c, @k, @a, @d, @acc, @dev, @t, @p, @o, @s, @pr, @f, @fi) AS x(c, k, a, d, acc, dev, t, p, o, s, pr, f, fi)
                """);
            command.Parameters.AddWithValue("c", clientIds);
            command.Parameters.AddWithValue("k", kinds);
            command.Parameters.AddWithValue("a", accepted);
            command.Parameters.AddWithValue("d", divisions);
            command.Parameters.AddWithValue("acc", accounts);
            command.Parameters.AddWithValue("dev", devices);
            command.Parameters.AddWithValue("t", at);
            command.Parameters.AddWithValue("p", payloads);
            command.Parameters.AddWithValue("o", outcomes);
            command.Parameters.AddWithValue("s", subjects);
            command.Parameters.AddWithValue("pr", principals);
            command.Parameters.AddWithValue("f", fingerprints);
            command.Parameters.AddWithValue("fi", finals);
            command.Parameters.AddWithValue("now", batch.Now);
            batch.Write(command);
            return;
        }

        await using var insert = batch.Connection.CreateCommand();
        insert.Transaction = batch.Transaction;
        insert.CommandText =
            "INSERT INTO events (client_id, kind, accepted, division, account_id, device_id, at, recorded_at, payload, outcome, subject, principal, fingerprint, final) " +
            "VALUES (@c, @k, @a, @d, @acc, @dev, @t, @now, @p, @o, @s, @pr, @f, @fi)";
        var parameters = new[] { "c", "k", "a", "d", "acc", "dev", "t", "now", "p", "o", "s", "pr", "f", "fi" }.Select(name =>
        {
            var p = insert.CreateParameter();
            // Prefixed, or Microsoft.Data.Sqlite looks the name up four times per row ("c", "@c", "$c", ":c").
            p.ParameterName = "@" + name;
            insert.Parameters.Add(p);
            return p;
        }).ToArray();
        insert.Prepare();
        foreach (var item in items)
        {
            parameters[0].Value = item.Item.ClientId;
            parameters[1].Value = item.Item.Kind;
            parameters[2].Value = item.Accepted;
            parameters[3].Value = item.Item.Division;
            parameters[4].Value = (object?)item.Item.AccountId ?? DBNull.Value;
            parameters[5].Value = (object?)item.Item.DeviceId ?? DBNull.Value;
            parameters[6].Value = item.Item.At;
            parameters[7].Value = batch.Now;
            parameters[8].Value = item.PayloadJson;
            parameters[9].Value = StoredOutcome(item);
            parameters[10].Value = (object?)item.Item.Subject ?? DBNull.Value;
            parameters[11].Value = item.Key.Principal;
            parameters[12].Value = item.Fingerprint;
            parameters[13].Value = item.Final;
            await insert.ExecuteNonQueryAsync();
        }
    }
}
