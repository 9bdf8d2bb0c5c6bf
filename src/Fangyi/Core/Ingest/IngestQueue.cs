using Fangyi.Core.Storage;
using System.Data.Common;
using System.Text.Json;
using System.Threading.Channels;
using Fangyi.Core.Http;
using System.Diagnostics.CodeAnalysis;

namespace Fangyi.Core.Ingest;

/// <summary>
/// The one write queue of a store. Items are committed in batches (a few milliseconds or a thousand items,
/// whichever comes first) by a single writer, and each is acknowledged only after its batch committed: a
/// killed process loses nothing it had answered. A client id its principal used before is answered from the event log.
/// </summary>
[SuppressMessage("Naming", "CA1711", Justification = "It is a queue: items wait in it for the writer.")]
public sealed class IngestQueue : BackgroundService
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Store _store;
    private readonly IngestOptions _options;
    private readonly Dictionary<string, IIngestHandler> _handlers;
    private readonly IIngestObserver[] _observers;
    private readonly ILogger<IngestQueue> _log;
    private readonly TimeProvider _clock;
    private readonly Channel<PendingItem> _channel;
    private DbConnection? _connection;

    public IngestQueue(Store store, IEnumerable<IIngestHandler> handlers, IEnumerable<IIngestObserver> observers, IngestOptions options, TimeProvider clock, ILogger<IngestQueue> log)
    {
        _store = store;
        _options = options;
        _handlers = handlers.SelectMany(h => h.Kinds.Select(k => (k, h))).ToDictionary(p => p.k, p => p.h);
        _observers = observers.ToArray();
        _log = log;
        _clock = clock;
        _channel = Channel.CreateBounded<PendingItem>(new BoundedChannelOptions(options.Capacity) { SingleReader = true });
    }

    public long Committed => Interlocked.Read(ref _committed);
    private long _committed;

    public async Task<IngestOutcome> SubmitAsync(IngestItem item, CancellationToken ct = default)
    {
        var pending = new PendingItem(item, PayloadJson(item));
        await _channel.Writer.WriteAsync(pending, ct);
        return await pending.Done;
    }

    /// <summary>
    /// Queues an item without waiting for its commit: for records whose writer must not wait for a disk (a checkpoint
    /// verdict is answered from memory; the record of the check follows). Waits only while the queue is full, which
    /// is the back-pressure. A failed commit is logged; the item is lost with its batch.
    /// </summary>
    public ValueTask EnqueueAsync(IngestItem item, CancellationToken ct = default)
    {
        var pending = new PendingItem(item, PayloadJson(item), awaited: false);
        return _channel.Writer.TryWrite(pending) ? ValueTask.CompletedTask : _channel.Writer.WriteAsync(pending, ct);
    }

    private static string PayloadJson(IngestItem item) => item.Logged ? JsonSerializer.Serialize(item.Payload, item.Payload.GetType(), Json) : "";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _channel.Reader;
        var batch = new List<PendingItem>(_options.MaxBatch);
        // Stopping the host completes the channel, so whatever was accepted into it is still committed.
        stoppingToken.Register(() => _channel.Writer.TryComplete());
        using var stopCheckpoints = new CancellationTokenSource();
        var checkpoints = _store.Dialect == Dialect.Sqlite ? CheckpointLoopAsync(stopCheckpoints.Token) : Task.CompletedTask;
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            batch.Clear();
            while (batch.Count < _options.MaxBatch && reader.TryRead(out var item))
            {
                batch.Add(item);
            }
            if (batch.Count < _options.MaxBatch && _options.Linger > TimeSpan.Zero)
            {
                await LingerAsync(reader, batch, _options);
            }
            await CommitOrSplitAsync(batch);
        }
        await stopCheckpoints.CancelAsync();
        await checkpoints;
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }

    // SQLite: the writer's own commits do not checkpoint (see OpenWriterAsync); this loop copies the
    // WAL into the database beside it, so a batch pays only for its WAL append and sync. A passive checkpoint
    // never blocks the writer; durability is the WAL's and is not touched.
    private async Task CheckpointLoopAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                try
                {
                    await using var connection = await _store.OpenAsync(stop);
                    await using var command = connection.CreateCommand();
                    command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
                    await command.ExecuteNonQueryAsync(stop);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    _log.LogWarning(error, "WAL checkpoint failed; trying again shortly");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The queue stopped.
        }
    }

    private async Task<DbConnection> OpenWriterAsync()
    {
        var connection = await _store.OpenAsync();
        if (_store.Dialect == Dialect.Sqlite)
        {
            // Checkpointing inside a commit (every 1,000 WAL pages by default) copied the pages into the database
            // and synced it on the writer's time: about a third of a resident batch. CheckpointLoopAsync does it.
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA wal_autocheckpoint=0";
            await pragma.ExecuteNonQueryAsync();
        }
        return connection;
    }

    private static async Task LingerAsync(ChannelReader<PendingItem> reader, List<PendingItem> batch, IngestOptions options)
    {
        // Real time whatever the host's clock: the linger waits for company and decides nothing (a test's stopped clock would stop the writer).
        await Task.Delay(options.Linger);
        while (batch.Count < options.MaxBatch && reader.TryRead(out var item))
        {
            batch.Add(item);
        }
    }

    private async Task CommitOrSplitAsync(List<PendingItem> batch)
    {
        try
        {
            await CommitAsync(batch);
        }
        catch (Exception error) when (batch.Count > 1)
        {
            // One bad item must not sink its neighbours: commit them one by one and fail only the bad one.
            _log.LogWarning(error, "Ingest batch of {Count} failed; retrying its items one by one", batch.Count);
            await DropConnectionAsync();
            foreach (var item in batch)
            {
                item.Reset();
                try
                {
                    await CommitAsync([item]);
                }
                catch (Exception single)
                {
                    _log.LogError(single, "Ingest item of kind {Kind} failed", item.Item.Kind);
                    await DropConnectionAsync();
                    Fail(item, single);
                }
            }
        }
        catch (Exception error)
        {
            _log.LogError(error, "Ingest item failed");
            await DropConnectionAsync();
            foreach (var item in batch)
            {
                Fail(item, error);
            }
        }
    }

    private static void Fail(PendingItem item, Exception error)
    {
        // Nobody waits for an enqueued item; its failure was logged above.
        if (item.Awaited)
        {
            item.Fail(new IngestUnavailableException("The item could not be stored.", error));
        }
    }

    private async Task DropConnectionAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }

    private async Task CommitAsync(List<PendingItem> batch)
    {
        _connection ??= await OpenWriterAsync();
        var connection = _connection;

        // A client id is its principal's: repeats inside the batch wait for the first of their (principal, id);
        // repeats of earlier batches are answered from the event log. The same id with another fingerprint is a
        // reuse, refused without touching anything.
        var firsts = new Dictionary<(string, string), PendingItem>(batch.Count);
        var repeats = new List<(PendingItem Repeat, PendingItem First)>();
        var reused = new List<PendingItem>();
        foreach (var item in batch)
        {
            if (!firsts.TryGetValue(item.Key, out var first))
            {
                firsts.Add(item.Key, item);
            }
            else if (first.Fingerprint == item.Fingerprint)
            {
                repeats.Add((item, first));
            }
            else
            {
                reused.Add(item);
            }
        }
        var stored = await EventLog.StoredOutcomesAsync(connection, _store.Dialect, firsts);
        var fresh = new List<PendingItem>(firsts.Count);
        foreach (var item in firsts.Values)
        {
            if (!stored.ContainsKey(item.Key))
            {
                fresh.Add(item);
            }
        }

        // The batch's time (its rules' "now", the rows' recorded_at) is the host's clock, so a test's clock decides it.
        var now = _clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (fresh.Count > 0)
        {
            await using var tx = await connection.BeginTransactionAsync();
            var context = new IngestBatch(connection, tx, _store.Dialect, now);
            var start = 0;
            while (start < fresh.Count)
            {
                var handler = _handlers.GetValueOrDefault(fresh[start].Item.Kind);
                var end = start + 1;
                while (end < fresh.Count && _handlers.GetValueOrDefault(fresh[end].Item.Kind) == handler)
                {
                    end++;
                }
                var run = fresh.GetRange(start, end - start);
                if (handler is not null)
                {
                    // What an earlier run wrote is in the store before this one reads.
                    await context.FlushAsync();
                    await handler.ApplyAsync(context, run, CancellationToken.None);
                }
                foreach (var item in run.Where(i => i.OutcomeJson is null))
                {
                    item.Refuse(UnknownKind.WithDetail(item.Item.Kind));
                }
                start = end;
            }
            var logged = fresh.Count(i => i.Item.Logged) == fresh.Count ? fresh : fresh.Where(i => i.Item.Logged).ToList();
            if (logged.Count > 0)
            {
                await EventLog.InsertAsync(context, logged);
            }
            await context.FlushAsync();
            await tx.CommitAsync();
            Interlocked.Add(ref _committed, fresh.Count);
        }

        // Observers (the status index) are told before anyone is answered: whoever has an answer also finds the
        // change in memory, so a result acknowledged to a lab is what the next checkpoint scan shows.
        if (fresh.Count > 0)
        {
            foreach (var observer in _observers)
            {
                // The batch is committed: an observer's failure must not make it look failed.
                try
                {
                    observer.OnCommitted(fresh);
                }
                catch (Exception error)
                {
                    _log.LogError(error, "Ingest observer {Observer} failed on a committed batch", observer.GetType().Name);
                }
            }
        }

        foreach (var item in firsts.Values)
        {
            item.Complete(stored.TryGetValue(item.Key, out var earlier)
                ? earlier.Fingerprint is null || earlier.Fingerprint == item.Fingerprint ? earlier.Outcome : Reused
                : new IngestOutcome(item.Accepted, item.Status, item.OutcomeJson ?? "null", Repeat: false));
        }
        foreach (var item in reused)
        {
            item.Complete(Reused);
        }
        foreach (var (repeat, first) in repeats)
        {
            repeat.Complete((await first.Done) with { Repeat = true });
        }
    }

    public static readonly ApiProblem UnknownKind = new("unknown_kind", 400, "不支持的数据类型");

    public static readonly ApiProblem ClientIdReused = new("client_id_reused", 409, "该提交编号已用于另一条不同的数据，请换一个编号");

    private static readonly IngestOutcome Reused = new(false, ClientIdReused.Status, JsonSerializer.Serialize(ClientIdReused.ToDetails(), Json), Repeat: false);
}
