using Dapper;
using Fangyi.Core.Storage;
using Fangyi.Core.Ingest;
using Fangyi.Core.Status;
using System.Diagnostics.CodeAnalysis;

namespace Fangyi.Features.Sampling;

// Sampling's part of the status index: each person's latest sample and latest result. Loaded from the samples
// table at start (or for a few people when a removed sample makes theirs uncertain), and kept current by the
// sampling scans as they commit: a person added to a tube is "sampled, result pending" at once, a tube's result
// reaches everyone in it, a person taken out of a tube is rebuilt from the store.
public sealed class SamplingStatus(Store store, StatusIndex index) : IStatusSource, IIngestObserver
{
    public int Order => 10;

    // The result comes as its state's number, worked out by the store: a string a row was most of the start-up's
    // garbage with tens of millions of samples.
    private static readonly string Select = $"SELECT resident_id, sampled_at, {SampleResults.StateSql("result")} FROM samples WHERE removed = @no";

    [SuppressMessage("Security", "CA2100", Justification = "Constant SQL with the resident list as bound parameters.")]
    public async Task LoadAsync(IStatusSink sink, IReadOnlyCollection<long>? residents, CancellationToken ct)
    {
        if (residents is null)
        {
            await LoadAllAsync(sink, ct);
            return;
        }
        await using var connection = await store.OpenAsync(ct);
        await using var command = Command(connection, Select);
        var args = new DynamicParameters();
        command.CommandText += " AND " + store.Dialect.InList("resident_id", residents.ToList(), args, "r");
        command.AddParameters(args);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            sink.Sample(reader.GetInt64(0), reader.GetInt64(1), (NucleicState)reader.GetInt32(2));
        }
    }

    // Every sample in the store, at start: the table is read (on SQLite in id ranges, one per core), gathered into
    // the latest sample and result of each person (see LatestSamples), merged in id order and told to
    // the index. With 60 million samples, reading the table is most of a start-up.
    private async Task LoadAllAsync(IStatusSink sink, CancellationToken ct)
    {
        // SQLite reads in this process, so a range a core reads the table twice as fast on two. PostgreSQL does the
        // reading in its own processes, and id ranges there took it off its sequential scan (the 60-million start-up
        // took twice as long): one scan.
        var parts = store.Dialect == Dialect.Sqlite ? Math.Clamp(Environment.ProcessorCount, 1, 4) : 1;
        var highest = 0L;
        if (parts > 1)
        {
            await using var connection = await store.OpenAsync(ct);
            highest = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COALESCE(MAX(id), 0) FROM samples", cancellationToken: ct));
        }
        var width = highest / parts + 1;
        var gathered = await Task.WhenAll(Enumerable.Range(0, parts).Select(part => Task.Run(async () =>
        {
            var latest = new LatestSamples();
            await using var connection = await store.OpenAsync(ct);
            await using var command = Command(connection, parts == 1 ? Select : $"{Select} AND id > {part * width} AND id <= {(part + 1) * width}");
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                latest.Add(reader.GetInt64(0), reader.GetInt64(1), (NucleicState)reader.GetInt32(2));
            }
            return latest;
        }, ct)));
        foreach (var later in gathered.Skip(1))
        {
            gathered[0].Merge(later);
        }
        gathered[0].ReplayInto(sink);
    }

    [SuppressMessage("Security", "CA2100", Justification = "Constant SQL with id ranges computed here as numbers.")]
    private static System.Data.Common.DbCommand Command(System.Data.Common.DbConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.AddParameter("no", false);
        return command;
    }

    public void OnCommitted(IReadOnlyList<PendingItem> items)
    {
        foreach (var item in items)
        {
            if (!item.Accepted)
            {
                continue;
            }
            switch (item.Result)
            {
                case PersonAdded added:
                    if (!index.Contains(added.ResidentId) && item.Item.Payload is AddPerson { Person.Unregistered: { } r })
                    {
                        // Registered on the spot by the scan: the index meets them now.
                        index.Person(new PersonRecord(added.ResidentId, r.KeyId, r.Hash, null, r.Name, r.DocType, r.IdMasked));
                    }
                    index.Sample(added.ResidentId, item.Item.At, NucleicState.Pending);
                    break;
            }
            // What a removal or a result changed, as the handler noted it (the counters read the same notes).
            foreach (var change in item.Changes)
            {
                switch (change)
                {
                    case SampleRemoved removed:
                        index.SampleRemoved(removed.ResidentId, removed.SampledAt);
                        break;
                    case TubeResulted result:
                        foreach (var sample in result.Samples)
                        {
                            index.Sample(sample.ResidentId, sample.SampledAt, SampleResults.State(sample.Result));
                        }
                        break;
                    case ResultCorrected corrected:
                        foreach (var sample in corrected.Samples)
                        {
                            index.Sample(sample.ResidentId, sample.SampledAt, SampleResults.State(sample.Result));
                        }
                        break;
                }
            }
        }
    }
}
