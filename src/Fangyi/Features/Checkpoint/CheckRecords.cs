using Dapper;
using Fangyi.Core.Ingest;
using Fangyi.Core.Storage;
using Npgsql;

namespace Fangyi.Features.Checkpoint;

/// <summary>
/// One check as recorded: which device at which place answered what for whom, under which rules version. It is the
/// payload of the ingest item too, so observers (the command screen's counters) see each check's verdict, colour
/// and place division as it commits.
/// </summary>
public sealed record CheckRecorded(long PlaceId, long DeviceRowId, long Division, string Category, long? ResidentId, string InputKind, string Verdict, string? Colour, string RuleVersion);

/// <summary>
/// Writes checks into the <c>checks</c> table, through the group-committed ingest like every scan.
/// </summary>
/// <remarks>
/// Checks are not kept in the event log (their items are <see cref="IngestItem.Logged"/> = false): the log is
/// append-only by a trigger (migration 0002) and forever, while a record of who passed which door is personal data
/// kept 28 days and then purged. The checks table is the record, its unique client id makes a device's retry one
/// row, and <see cref="CheckRetention"/> deletes what is past the retention period.
/// </remarks>
public sealed class CheckRecordHandler : IIngestHandler
{
    public const string Kind = "check.record";

    public IReadOnlyCollection<string> Kinds { get; } = [Kind];

    public async Task ApplyAsync(IngestBatch batch, IReadOnlyList<PendingItem> items, CancellationToken ct)
    {
        if (batch.Connection is NpgsqlConnection pg)
        {
            var n = items.Count;
            var clientIds = new string[n];
            var at = new long[n];
            var places = new long[n];
            var devices = new long[n];
            var divisions = new long[n];
            var residents = new long?[n];
            var inputs = new string[n];
            var verdicts = new string[n];
            var colours = new string?[n];
            var rules = new string[n];
            for (var i = 0; i < n; i++)
            {
                var check = (CheckRecorded)items[i].Item.Payload;
                clientIds[i] = items[i].Item.ClientId;
                at[i] = items[i].Item.At;
                (places[i], devices[i], divisions[i], residents[i]) = (check.PlaceId, check.DeviceRowId, check.Division, check.ResidentId);
                (inputs[i], verdicts[i], colours[i], rules[i]) = (check.InputKind, check.Verdict, check.Colour, check.RuleVersion);
            }
            await using var command = new NpgsqlCommand(
                """
                INSERT INTO checks (client_id, at, place_id, device_id, division, resident_id, input_kind, verdict, colour, rule_version)
                SELECT * FROM unnest(@c, @at, @p, @d, @div, @r, @k, @v, @col, @rv)
                ON CONFLICT (client_id) DO NOTHING
                """, pg, (NpgsqlTransaction)batch.Transaction);
            command.Parameters.AddWithValue("c", clientIds);
            command.Parameters.AddWithValue("at", at);
            command.Parameters.AddWithValue("p", places);
            command.Parameters.AddWithValue("d", devices);
            command.Parameters.AddWithValue("div", divisions);
            command.Parameters.AddWithValue("r", residents);
            command.Parameters.AddWithValue("k", inputs);
            command.Parameters.AddWithValue("v", verdicts);
            command.Parameters.AddWithValue("col", colours);
            command.Parameters.AddWithValue("rv", rules);
            await command.ExecuteNonQueryAsync(ct);
        }
        else
        {
            await using var insert = batch.Connection.CreateCommand();
            insert.Transaction = batch.Transaction;
            insert.CommandText =
                """
                INSERT INTO checks (client_id, at, place_id, device_id, division, resident_id, input_kind, verdict, colour, rule_version)
                VALUES (@c, @at, @p, @d, @div, @r, @k, @v, @col, @rv) ON CONFLICT (client_id) DO NOTHING
                """;
            var p = insert.AddParameters("c", "at", "p", "d", "div", "r", "k", "v", "col", "rv");
            insert.Prepare();
            foreach (var item in items)
            {
                var check = (CheckRecorded)item.Item.Payload;
                p[0].Value = item.Item.ClientId;
                p[1].Value = item.Item.At;
                p[2].Value = check.PlaceId;
                p[3].Value = check.DeviceRowId;
                p[4].Value = check.Division;
                p[5].Value = (object?)check.ResidentId ?? DBNull.Value;
                p[6].Value = check.InputKind;
                p[7].Value = check.Verdict;
                p[8].Value = (object?)check.Colour ?? DBNull.Value;
                p[9].Value = check.RuleVersion;
                await insert.ExecuteNonQueryAsync(ct);
            }
        }
        foreach (var item in items)
        {
            item.Accept(null);
        }
    }
}

/// <summary>Deletes checks older than the retention period, a chunk per transaction so the ingest writer is never kept waiting long.</summary>
public static class CheckRetention
{
    public static async Task<long> PurgeAsync(Store store, long before, CancellationToken ct = default)
    {
        long deleted = 0;
        await using var connection = await store.OpenAsync(ct);
        while (true)
        {
            var n = await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM checks WHERE id IN (SELECT id FROM checks WHERE at < @before ORDER BY at LIMIT 5000)", new { before }, cancellationToken: ct));
            deleted += n;
            if (n < 5000)
            {
                return deleted;
            }
        }
    }
}
