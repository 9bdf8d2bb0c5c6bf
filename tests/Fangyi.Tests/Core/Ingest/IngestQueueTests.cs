using System.Collections.Concurrent;
using Dapper;
using Fangyi.Core.Ingest;
using Fangyi.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Fangyi.Tests.Ingest;

public class IngestQueueTests
{
    private sealed record Note(string Text, bool Poison = false);

    /// <summary>
    /// A kind of item only these tests know: each note becomes a row of test_notes (whose primary key would refuse
    /// a note applied twice) and is answered with the number of the batch that applied it. A poisoned note makes
    /// the handler throw. The first batch can be held open, so that everything submitted meanwhile queues up and
    /// is taken by the writer together, in the order it was submitted.
    /// </summary>
    private sealed class NoteHandler : IIngestHandler
    {
        public const string KindName = "test.note";

        private int _calls;

        public IReadOnlyCollection<string> Kinds { get; } = [KindName];
        public bool HoldFirstBatch { get; init; }
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Every item the handler was given, with the number of the call that gave it.</summary>
        public ConcurrentQueue<(int Call, string ClientId)> Applied { get; } = new();

        /// <summary>The batch's time (<see cref="IngestBatch.Now"/>) each call was given.</summary>
        public ConcurrentQueue<long> Times { get; } = new();

        public async Task ApplyAsync(IngestBatch batch, IReadOnlyList<PendingItem> items, CancellationToken ct)
        {
            var call = Interlocked.Increment(ref _calls);
            Times.Enqueue(batch.Now);
            foreach (var item in items)
            {
                Applied.Enqueue((call, item.Item.ClientId));
            }
            if (call == 1 && HoldFirstBatch)
            {
                Entered.TrySetResult();
                await Release.Task;
            }
            foreach (var item in items)
            {
                var note = (Note)item.Item.Payload;
                await batch.Connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO test_notes (client_id, call) VALUES (@id, @call)", new { id = item.Item.ClientId, call }, batch.Transaction, cancellationToken: ct));
                if (note.Poison)
                {
                    throw new InvalidOperationException("a poisoned note");
                }
                item.Accept(new { text = note.Text, call }, 201);
            }
        }
    }

    private static IngestItem Item(string clientId, string text, bool poison = false, string kind = NoteHandler.KindName) =>
        new(clientId, kind, People.Simazhuang, null, null, 0, new Note(text, poison));

    private static async Task<TestApp> StartAsync(StoreKind kind, NoteHandler notes, TimeProvider? clock = null)
    {
        var app = await TestApp.StartAsync(kind, configure: builder =>
        {
            builder.Services.AddSingleton<IIngestHandler>(notes);
            if (clock is not null)
            {
                builder.Services.AddSingleton(clock);
            }
        });
        await using var connection = await app.Store.OpenAsync();
        await connection.ExecuteAsync("CREATE TABLE test_notes (client_id TEXT PRIMARY KEY, call INTEGER NOT NULL)");
        return app;
    }

    private static async Task<long> CountAsync(TestApp app, string sql)
    {
        await using var connection = await app.Store.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task Submit_RepeatsInsideABatchAndAcrossBatches_AreStoredOnceAndAnsweredTheSame(StoreKind kind)
    {
        var notes = new NoteHandler { HoldFirstBatch = true };
        await using var app = await StartAsync(kind, notes);
        var queue = app.Get<IngestQueue>();
        var answers = new ConcurrentBag<(string ClientId, IngestOutcome Outcome)>();
        async Task SubmitAsync(string clientId)
        {
            answers.Add((clientId, await queue.SubmitAsync(Item(clientId, "text of " + clientId))));
        }

        // While the writer holds batch 1, queue 1,500 items in a known order: n-0..n-299 each twice in a row,
        // then n-300..n-1199. The writer then takes them 1,000 at a time: the pairs fall inside one batch.
        var gate = SubmitAsync("gate");
        await notes.Entered.Task;
        var held = new List<Task>();
        for (var i = 0; i < 300; i++)
        {
            held.Add(SubmitAsync($"n-{i}"));
            held.Add(SubmitAsync($"n-{i}"));
        }
        for (var i = 300; i < 1200; i++)
        {
            held.Add(SubmitAsync($"n-{i}"));
        }
        notes.Release.SetResult();
        await gate;
        await Task.WhenAll(held);

        // Then many concurrent producers: fresh ids that overlap between producers, and repeats of the ids above.
        await Task.WhenAll(Enumerable.Range(0, 64).Select(p => Task.Run(async () =>
        {
            for (var k = 0; k < 40; k++)
            {
                await SubmitAsync($"c-{(p * 37 + k * 13) % 700}");
                if (k % 4 == 0)
                {
                    await SubmitAsync($"n-{(p * 41 + k * 7) % 1200}");
                }
            }
        })));

        var applied = notes.Applied.ToList();
        var distinct = answers.Select(a => a.ClientId).Distinct().ToList();
        Assert.Equal(1 + 1200 + 700, distinct.Count);
        Assert.Equal(distinct.Order(), applied.Select(a => a.ClientId).Order());   // each id applied exactly once
        // The held items were two batches: 1,000 items holding 700 distinct ids, then 500.
        var heldCalls = applied.Where(a => a.ClientId.StartsWith("n-", StringComparison.Ordinal)).GroupBy(a => a.Call).Select(g => g.Count()).ToList();
        Assert.Equal([700, 500], heldCalls);

        foreach (var group in answers.GroupBy(a => a.ClientId))
        {
            var outcomes = group.Select(a => a.Outcome).ToList();
            Assert.Single(outcomes, o => !o.Repeat);
            Assert.All(outcomes, o => Assert.True(o.Accepted && o.Status == 201));
            Assert.Single(outcomes.Select(o => o.Body.GetRawText()).Distinct());
        }
        Assert.Equal(distinct.Count, await CountAsync(app, "SELECT COUNT(*) FROM events WHERE kind = 'test.note'"));
        Assert.Equal(distinct.Count, await CountAsync(app, "SELECT COUNT(DISTINCT client_id) FROM events"));
        Assert.Equal(distinct.Count, await CountAsync(app, "SELECT COUNT(*) FROM test_notes"));
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task ABatch_TakesItsTimeFromTheHostsClock(StoreKind kind)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 14, 8, 0, 0, TimeSpan.Zero));
        var notes = new NoteHandler();
        await using var app = await StartAsync(kind, notes, clock);
        var queue = app.Get<IngestQueue>();

        Assert.True((await queue.SubmitAsync(Item("t-1", "at eight"))).Accepted);
        clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(5));
        Assert.True((await queue.SubmitAsync(Item("t-2", "three days later"))).Accepted);

        var eight = new DateTimeOffset(2026, 3, 14, 8, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var later = clock.GetUtcNow().ToUnixTimeMilliseconds();
        Assert.Equal([eight, later], notes.Times.ToArray());
        await using var connection = await app.Store.OpenAsync();
        Assert.Equal([eight, later], (await connection.QueryAsync<long>("SELECT recorded_at FROM events WHERE client_id LIKE 't-%' ORDER BY client_id")).ToArray());
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task Submit_AnUnknownKind_IsRefusedWithUnknownKindAndItsNeighboursCommit(StoreKind kind)
    {
        var notes = new NoteHandler { HoldFirstBatch = true };
        await using var app = await StartAsync(kind, notes);
        var queue = app.Get<IngestQueue>();

        var gate = queue.SubmitAsync(Item("gate", "gate"));
        await notes.Entered.Task;
        var before = queue.SubmitAsync(Item("a", "a"));
        var unknown = queue.SubmitAsync(Item("u", "u", kind: "no.such.kind"));
        var after = queue.SubmitAsync(Item("b", "b"));
        notes.Release.SetResult();
        await gate;

        var refused = await unknown;
        Assert.False(refused.Accepted);
        Assert.Equal(400, refused.Status);
        Assert.Equal("unknown_kind", refused.Body.GetProperty("code").GetString());
        Assert.True((await before).Accepted);
        Assert.True((await after).Accepted);
        var again = await queue.SubmitAsync(Item("u", "u", kind: "no.such.kind"));
        Assert.True(again.Repeat);
        Assert.Equal(refused.Body.GetRawText(), again.Body.GetRawText());
        Assert.DoesNotContain(notes.Applied, a => a.ClientId == "u");
        Assert.Equal(3, await CountAsync(app, "SELECT COUNT(*) FROM test_notes"));
    }

    [Theory]
    [MemberData(nameof(TestStore.Both), MemberType = typeof(TestStore))]
    public async Task Submit_AHandlerThrowingForOneItem_FailsOnlyThatItem(StoreKind kind)
    {
        var notes = new NoteHandler { HoldFirstBatch = true };
        await using var app = await StartAsync(kind, notes);
        var queue = app.Get<IngestQueue>();

        var gate = queue.SubmitAsync(Item("gate", "gate"));
        await notes.Entered.Task;
        var items = Enumerable.Range(0, 50).Select(i => queue.SubmitAsync(Item($"p-{i}", $"note {i}", poison: i == 13))).ToList();
        notes.Release.SetResult();
        await gate;

        await Assert.ThrowsAsync<IngestUnavailableException>(() => items[13]);
        for (var i = 0; i < items.Count; i++)
        {
            if (i != 13)
            {
                Assert.True((await items[i]).Accepted);
            }
        }
        // All fifty went to the handler together first; that batch was rolled back and its items retried alone.
        Assert.Equal(50, notes.Applied.Count(a => a.Call == 2));
        Assert.Equal(49, await CountAsync(app, "SELECT COUNT(*) FROM test_notes WHERE client_id LIKE 'p-%'"));
        Assert.Equal(49, await CountAsync(app, "SELECT COUNT(*) FROM events WHERE client_id LIKE 'p-%'"));
        Assert.Equal(0, await CountAsync(app, "SELECT COUNT(*) FROM events WHERE client_id = 'p-13'"));

        // A failed item is not remembered: the client's retry with a good payload is a first write.
        var retry = await queue.SubmitAsync(Item("p-13", "mended"));
        Assert.True(retry.Accepted);
        Assert.False(retry.Repeat);
    }
}
