using Dapper;
using Fangyi.Core.Ingest;
using Fangyi.Core.Storage;
using Fangyi.Tests.Support;

// Not Fangyi.Tests.Core.Storage: a Fangyi.Tests.Core namespace would hide Fangyi.Core from the tests that write Core.Imports..., Core.Codes...
namespace Fangyi.Tests.Storage;

public class BulkInsertTests
{
    private sealed record Row(string Id, long N, long? Maybe, bool Flag, string? Note, byte[] Data);

    private static readonly BulkInsert<Row> Rows = new BulkInsert<Row>("bulk_rows")
        .Column("id", r => r.Id)
        .Column("n", r => r.N)
        .Column("maybe", r => r.Maybe)
        .Column("flag", r => r.Flag)
        .Column("note", r => r.Note)
        .Column("data", r => r.Data)
        .OnConflict("(id) DO NOTHING");

    private sealed record Stored(string Id, long N, long? Maybe, bool Flag, string? Note, byte[] Data);

    private static async Task<Store> OpenAsync(StoreKind kind)
    {
        var store = Store.FromSpec(await TestStore.CreateAsync(kind, TestStore.TempFolder()));
        await using var connection = await store.OpenAsync();
        await connection.ExecuteAsync(store.Dialect.ExpandSchema(
            "CREATE TABLE bulk_rows (id TEXT PRIMARY KEY, n BIGINT NOT NULL, maybe BIGINT, flag BOOLEAN NOT NULL, note TEXT, data {{blob}} NOT NULL)"));
        return store;
    }

    private static async Task<List<Stored>> ReadAsync(Store store)
    {
        await using var connection = await store.OpenAsync();
        var rows = await connection.QueryAsync<(string Id, long N, long? Maybe, object Flag, string? Note, byte[] Data)>(
            "SELECT id, n, maybe, flag, note, data FROM bulk_rows ORDER BY id");
        return rows.Select(r => new Stored(r.Id, r.N, r.Maybe, Convert.ToBoolean(r.Flag, System.Globalization.CultureInfo.InvariantCulture), r.Note, r.Data)).ToList();
    }

    private static List<Row> Make(int count, string prefix = "r") => Enumerable.Range(0, count)
        .Select(i => new Row($"{prefix}{i:D5}", i * 10L, i % 3 == 0 ? null : i, i % 2 == 0, i % 4 == 0 ? null : $"第{i}行", [(byte)i, 0xFF]))
        .ToList();

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task Execute_WritesEveryRowWithItsValues_NullsAsNull(StoreKind kind)
    {
        await using var store = await OpenAsync(kind);
        var rows = Make(1_500);

        await using (var connection = await store.OpenAsync())
        {
            await using var tx = await connection.BeginTransactionAsync();
            await Rows.ExecuteAsync(connection, tx, rows);
            await tx.CommitAsync();
        }

        var stored = await ReadAsync(store);
        Assert.Equal(rows.Count, stored.Count);
        foreach (var (row, back) in rows.Zip(stored))
        {
            Assert.Equal((row.Id, row.N, row.Maybe, row.Flag, row.Note), (back.Id, back.N, back.Maybe, back.Flag, back.Note));
            Assert.Equal(row.Data, back.Data);
        }
        Assert.Contains(stored, s => s.Maybe is null);
        Assert.Contains(stored, s => s.Note is null);
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task Execute_KeepsTheFirstRow_OnAConflict_AndWritesNothingForNoRows(StoreKind kind)
    {
        await using var store = await OpenAsync(kind);
        await using var connection = await store.OpenAsync();

        await Rows.ExecuteAsync(connection, null, [new Row("a", 1, null, true, "first", [1])]);
        await Rows.ExecuteAsync(connection, null, [new Row("a", 2, 2, false, "second", [2]), new Row("b", 3, null, false, null, [3])]);
        await Rows.ExecuteAsync(connection, null, []);

        var stored = await ReadAsync(store);
        Assert.Equal(new[] { ("a", 1L, (string?)"first"), ("b", 3L, (string?)null) }, stored.Select(s => (s.Id, s.N, s.Note)));
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task InAnIngestBatch_TheRowsAreWrittenWithTheBatch_AndGoWithItsRollback(StoreKind kind)
    {
        await using var store = await OpenAsync(kind);
        await using var connection = await store.OpenAsync();

        await using (var tx = await connection.BeginTransactionAsync())
        {
            var batch = new IngestBatch(connection, tx, store.Dialect, 0);
            await batch.InsertAsync(Rows, Make(300, "kept"));
            await batch.InsertAsync(Rows, []);
            await batch.FlushAsync();
            await tx.CommitAsync();
        }
        await using (var tx = await connection.BeginTransactionAsync())
        {
            var batch = new IngestBatch(connection, tx, store.Dialect, 0);
            await batch.InsertAsync(Rows, Make(5, "lost"));
            await batch.FlushAsync();
            await tx.RollbackAsync();
        }

        var stored = await ReadAsync(store);
        Assert.Equal(300, stored.Count);
        Assert.All(stored, s => Assert.StartsWith("kept", s.Id, StringComparison.Ordinal));
        Assert.Equal(299 * 10L, stored[^1].N);
    }

    [Fact]
    public void TheStatements_AreOneUnnestOnPostgres_AndOneRowOnSqlite()
    {
        Assert.Equal("INSERT INTO bulk_rows (id, n, maybe, flag, note, data) SELECT * FROM unnest(@id, @n, @maybe, @flag, @note, @data) ON CONFLICT (id) DO NOTHING",
            Rows.PostgresSql);
        Assert.Equal("INSERT INTO bulk_rows (id, n, maybe, flag, note, data) VALUES (@id, @n, @maybe, @flag, @note, @data) ON CONFLICT (id) DO NOTHING",
            Rows.SqliteSql);
    }
}
