using Dapper;
using Fangyi.Core.Storage;

namespace Fangyi.Core.Ingest;

/// <summary>Reads of the event log for a capability's history pages: every logged item about some subjects, in order.</summary>
public static class EventHistory
{
    /// <summary>One logged item: its kind, what it was about, its answer, who sent it from which device, and when.</summary>
    public sealed record Entry
    {
        public string Kind { get; init; } = "";
        public string Subject { get; init; } = "";
        public bool Accepted { get; init; }
        public long At { get; init; }
        public long? AccountId { get; init; }
        public string? DeviceId { get; init; }
        public string Payload { get; init; } = "";
        public string Outcome { get; init; } = "";
    }

    /// <summary>The logged items whose subject is one of <paramref name="subjects"/> (box and tube codes ...), in the order they were logged.</summary>
    public static async Task<List<Entry>> OfSubjectsAsync(Store store, IReadOnlyList<string> subjects, CancellationToken ct = default)
    {
        var args = new DynamicParameters();
        var where = store.Dialect.InList("subject", subjects, args, "s");
        await using var connection = await store.OpenAsync(ct);
        return (await connection.QueryAsync<Entry>(new CommandDefinition(
            $"SELECT kind, subject, accepted, at, account_id AS AccountId, device_id AS DeviceId, payload, outcome FROM events WHERE {where} ORDER BY seq",
            args, cancellationToken: ct))).AsList();
    }
}
