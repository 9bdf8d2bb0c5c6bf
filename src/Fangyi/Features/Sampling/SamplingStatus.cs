using Dapper;
using Fangyi.Core.Store;
using Fangyi.Core.Ingest;
using Fangyi.Core.Status;

namespace Fangyi.Features.Sampling;

/// <summary>
/// Sampling's part of the status index: each person's latest sample and latest result. Loaded from the samples
/// table at start (or for a few people when a removed sample makes theirs uncertain), and kept current by the
/// sampling scans as they commit: a person added to a tube is "sampled, result pending" at once, a tube's result
/// reaches everyone in it, a person taken out of a tube is rebuilt from the store.
/// </summary>
public sealed class SamplingStatus(Core.Store.Store store, StatusIndex index) : IStatusSource, IIngestObserver
{
    public int Order => 10;

    public async Task LoadAsync(IStatusSink sink, IReadOnlyCollection<long>? residents, CancellationToken ct)
    {
        await using var connection = await store.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT resident_id, sampled_at, result FROM samples WHERE removed = @no";
        var no = command.CreateParameter();
        no.ParameterName = "@no";
        no.Value = false;
        command.Parameters.Add(no);
        if (residents is not null)
        {
            var args = new DynamicParameters();
            command.CommandText += " AND " + store.Dialect.InList("resident_id", residents.ToList(), args, "r");
            foreach (var name in args.ParameterNames)
            {
                var p = command.CreateParameter();
                p.ParameterName = "@" + name;
                p.Value = args.Get<object>(name);
                command.Parameters.Add(p);
            }
        }
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            sink.Sample(reader.GetInt64(0), reader.GetInt64(1), StatusNames.ParseResult(reader.IsDBNull(2) ? null : reader.GetString(2)));
        }
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
                case SamplingHandler.Added added:
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
                            index.Sample(sample.ResidentId, sample.SampledAt, StatusNames.ParseResult(sample.Result));
                        }
                        break;
                }
            }
        }
    }
}
