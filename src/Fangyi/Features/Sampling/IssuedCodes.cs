using Fangyi.Core.Storage;
using Dapper;
using Fangyi.Core.Jurisdiction;

namespace Fangyi.Features.Sampling;

// Which tube and box codes were issued: batches are ranges of serials, held in memory so a scan is checked
// without a query. A code from a batch another host just issued is found by re-reading the batches, at most
// once a second.
public sealed class IssuedCodes(Store store, TimeProvider clock) : IDisposable
{
    private volatile (CodeType Type, long First, long Count)[] _ranges = [];
    private readonly SemaphoreSlim _issuing = new(1, 1);

    public void Dispose() => _issuing.Dispose();
    private long _lastLoad;

    public sealed record Batch
    {
        public long Id { get; init; }
        public string Type { get; init; } = "";
        public long FirstSerial { get; init; }
        public long Count { get; init; }
        public long Division { get; init; }
        public string Title { get; init; } = "";
        public long CreatedAt { get; init; }

        public IEnumerable<string> Codes()
        {
            var type = Type == "tube" ? CodeType.Tube : CodeType.Box;
            for (var i = 0L; i < Count; i++)
            {
                yield return new SampleCode(type, FirstSerial + i).ToString();
            }
        }
    }

    private const string Columns = "id, type, first_serial AS FirstSerial, count, division, title, created_at AS CreatedAt";

    public async Task LoadAsync(CancellationToken ct = default)
    {
        await using var connection = await store.OpenAsync(ct);
        var batches = await connection.QueryAsync<Batch>(new CommandDefinition($"SELECT {Columns} FROM code_batches", cancellationToken: ct));
        _ranges = batches.Select(b => (b.Type == "tube" ? CodeType.Tube : CodeType.Box, b.FirstSerial, b.Count)).ToArray();
        Interlocked.Exchange(ref _lastLoad, clock.GetUtcNow().ToUnixTimeMilliseconds());
    }

    public bool IsIssued(SampleCode code) => _ranges.Any(r => r.Type == code.Type && code.Serial >= r.First && code.Serial < r.First + r.Count);

    public async ValueTask<bool> IsIssuedAsync(SampleCode code, CancellationToken ct = default)
    {
        if (IsIssued(code))
        {
            return true;
        }
        if (clock.GetUtcNow().ToUnixTimeMilliseconds() - Interlocked.Read(ref _lastLoad) > 1000)
        {
            await LoadAsync(ct);
        }
        return IsIssued(code);
    }

    // Issues the next count serials of a type as one batch, in one transaction.
    public async Task<Batch> IssueAsync(CodeType type, int count, long division, string title, long accountId, CancellationToken ct = default)
    {
        var typeName = type == CodeType.Tube ? "tube" : "box";
        // One issuer per host; across hosts the unique (type, first_serial) index refuses an overlapping batch.
        await _issuing.WaitAsync(ct);
        try
        {
            return await IssueLockedAsync(typeName, count, division, title, accountId, ct);
        }
        finally
        {
            _issuing.Release();
        }
    }

    private async Task<Batch> IssueLockedAsync(string typeName, int count, long division, string title, long accountId, CancellationToken ct)
    {
        await using var connection = await store.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var next = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT MAX(first_serial + count) FROM code_batches WHERE type = @typeName", new { typeName }, tx, cancellationToken: ct)) ?? 1;
        if (next + count - 1 > SampleCode.MaxSerial)
        {
            throw new InvalidOperationException("No serials left for this code type.");
        }
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO code_batches (type, first_serial, count, division, title, account_id, created_at) VALUES (@typeName, @next, @count, @division, @title, @accountId, @now) RETURNING id",
            new { typeName, next, count, division, title, accountId, now = clock.GetUtcNow().ToUnixTimeMilliseconds() }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        await LoadAsync(ct);
        return (await FindAsync(id, ct))!;
    }

    // The latest batches issued within a jurisdiction, newest first: what the console lists for printing.
    public static Task<List<Batch>> ListAsync(ScopedDb db, int limit, CancellationToken ct = default) =>
        db.QueryAsync<Batch>($"SELECT {Columns} FROM code_batches WHERE {{scope:division}} ORDER BY id DESC LIMIT @limit", new { limit }, ct);

    public async Task<Batch?> FindAsync(long id, CancellationToken ct = default)
    {
        await using var connection = await store.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Batch>(new CommandDefinition($"SELECT {Columns} FROM code_batches WHERE id = @id", new { id }, cancellationToken: ct));
    }
}
