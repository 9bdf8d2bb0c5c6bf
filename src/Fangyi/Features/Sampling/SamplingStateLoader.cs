using System.Data.Common;
using Dapper;
using Fangyi.Core.Ingest;
using Fangyi.Core.Storage;
using Fangyi.Features.Residents;
using Npgsql;

namespace Fangyi.Features.Sampling;

// Reads the state a batch of scans needs (SamplingState) in a handful of queries.
internal static class SamplingStateLoader
{
    private sealed record SampledRow
    {
        public long RoundId { get; init; }
        public long ResidentId { get; init; }
        public string TubeCode { get; init; } = "";
    }

    private const string TubeColumns = "code, box_code AS BoxCode, round_id AS RoundId, site_id AS SiteId, division, capacity, people, state, opened_at AS OpenedAt, sealed_at AS SealedAt, received_at AS ReceivedAt, resulted_at AS ResultedAt, result, ct";
    private const string SampleColumns = "id, tube_code AS TubeCode, resident_id AS ResidentId, division, round_id AS RoundId, sampled_at AS SampledAt, removed, repeat_in_round AS RepeatInRound, result, resulted_at AS ResultedAt";

    // Reads the state the batch's scans need in two round trips. The first brings the tubes and boxes named (and
    // every tube of a box being sealed or received), their sites, the rounds of boxes being opened, the scanning
    // accounts' teams and the people scanned; which boxes and sites that means is worked out by the store from
    // the tube codes, so nothing waits for an earlier answer. The second asks which of those people already have
    // a sample in the rounds concerned. Only taking someone out of a tube and a lab result read more, after.
    public static async Task<SamplingState> LoadAsync(IngestBatch batch, IReadOnlyList<PendingItem> items, CancellationToken ct)
    {
        var s = new SamplingState();
        var connection = batch.Connection;
        var tx = batch.Transaction;
        var dialect = batch.Dialect;
        var needs = new SamplingNeeds();
        foreach (var item in items)
        {
            ((Scan)item.Item.Payload).Need(needs, item);
        }
        var accounts = items.Select(i => i.Item.AccountId ?? 0).Distinct().ToList();
        var hashes = needs.People.SelectMany(p => p.Person.Hashes).ToList();
        var subjects = needs.People.Where(p => p.Person.Subject is not null).Select(p => p.Person.Subject!).ToList();

        // Each row set is a union of index look-ups and never an OR: neither store's planner serves "a OR b" from
        // two indexes when one side is a sub-query, and both read whole tables for it.
        var args = new DynamicParameters();
        var tubesNamed = dialect.InList("code", needs.Tubes.ToList(), args, "tubes");
        var boxCodes = $"SELECT code FROM boxes WHERE {dialect.InList("code", needs.Boxes.ToList(), args, "boxes")} UNION SELECT box_code FROM tubes WHERE {tubesNamed}";
        var boxesNamed = dialect.InQuery("code", boxCodes);
        var roundsNamed = dialect.InList("id", needs.Rounds.ToList(), args, "rounds");
        var sql = string.Join(";\n", [
            $"SELECT {TubeColumns} FROM tubes WHERE {tubesNamed} UNION SELECT {TubeColumns} FROM tubes WHERE {dialect.InList("box_code", needs.WholeBoxes.ToList(), args, "whole")}",
            $"SELECT code, round_id AS RoundId, site_id AS SiteId, division, state, tubes, people, opened_at AS OpenedAt, sealed_at AS SealedAt, picked_at AS PickedAt, received_at AS ReceivedAt, received_tubes AS ReceivedTubes, discrepancy, reconciled_at AS ReconciledAt, tubes_done AS TubesDone FROM boxes WHERE {boxesNamed}",
            $"SELECT id, division, starts_at AS StartsAt, ends_at AS EndsAt FROM rounds WHERE {roundsNamed}",
            $"SELECT id, division, retired_at AS RetiredAt FROM sites WHERE {dialect.InQuery("id", $"SELECT id FROM sites WHERE {dialect.InList("id", needs.Sites.ToList(), args, "sites")} UNION SELECT site_id FROM boxes WHERE {boxesNamed}")}",
            $"SELECT t.site_id, m.account_id FROM team_members m JOIN teams t ON t.id = m.team_id WHERE t.retired_at IS NULL AND {dialect.InList("m.account_id", accounts, args, "accounts")}",
            ResidentLookups.ScannedPeopleSql(dialect, hashes, subjects, args),
        ]);
        await using (var grid = await connection.QueryMultipleAsync(new CommandDefinition(sql, args, tx, cancellationToken: ct)))
        {
            foreach (var tube in await grid.ReadAsync<TubeRow>())
            {
                s.Tubes[tube.Code] = tube;
            }
            foreach (var box in await grid.ReadAsync<BoxRow>())
            {
                s.Boxes[box.Code] = box;
            }
            foreach (var round in await grid.ReadAsync<SamplingState.RoundRow>())
            {
                s.Rounds[round.Id] = round;
            }
            foreach (var site in await grid.ReadAsync<SamplingState.SiteRow>())
            {
                s.Sites[site.Id] = site;
            }
            foreach (var (site, account) in await grid.ReadAsync<(long, long)>())
            {
                s.Members.Add((site, account));
            }
            foreach (var person in await grid.ReadAsync<ResidentLookups.Person>())
            {
                if (person.IdHash is not null)
                {
                    s.ByHash[SamplingState.Key(person.IdHash)] = person;
                }
                if (person.Subject is not null)
                {
                    s.BySubject[SamplingState.Key(person.Subject)] = person;
                }
            }
        }

        // Who among them was already sampled in one of the rounds (a second sample is accepted and flagged), and in
        // which tube (a person goes into a tube once). A second trip: it needs the people's ids.
        var residents = s.ByHash.Values.Concat(s.BySubject.Values).Select(p => p.Id).Distinct().ToList();
        var roundIds = s.Tubes.Values.Select(t => t.RoundId).Concat(s.Boxes.Values.Select(b => b.RoundId)).Concat(needs.Rounds).Distinct().ToList();
        foreach (var round in residents.Count == 0 ? [] : roundIds)
        {
            foreach (var sampled in await RoundSamplesOfAsync<SampledRow>(connection, tx, round, residents, "round_id AS RoundId, resident_id AS ResidentId, tube_code AS TubeCode", ct))
            {
                s.SampledInRound.Add((round, sampled.ResidentId));
                s.InTube.Add((sampled.TubeCode, sampled.ResidentId));
            }
        }

        // Only removing a person and a result need a tube's samples; adding one asks the round query above.
        var wholeTubes = needs.TubesWithSamples.Where(s.Tubes.ContainsKey)
            .Concat(s.Tubes.Values.Where(t => needs.WholeBoxesWithSamples.Contains(t.BoxCode)).Select(t => t.Code)).Distinct().ToList();
        foreach (var sample in await connection.QueryInAsync<SampleRow, string>(tx, dialect,
            $"SELECT {SampleColumns} FROM samples WHERE removed = FALSE AND {{in}}", "tube_code", wholeTubes, ct))
        {
            s.Tubes[sample.TubeCode].Samples.Add(sample);
        }
        // Taking someone out of a tube may leave another sample of theirs in the round as the one that counts.
        var removing = needs.Removing.Where(s.Tubes.ContainsKey).Select(t => s.Tubes[t]).Distinct().ToList();
        if (removing.Count > 0)
        {
            var loaded = s.Tubes.Values.SelectMany(t => t.Samples).Select(x => x.Id).ToHashSet();
            foreach (var group in removing.SelectMany(t => t.Samples).GroupBy(x => x.RoundId))
            {
                foreach (var other in await RoundSamplesOfAsync<SampleRow>(connection, tx, group.Key, group.Select(x => x.ResidentId).Distinct().ToList(), SampleColumns, ct))
                {
                    if (loaded.Add(other.Id))
                    {
                        s.Elsewhere.Add(other);
                    }
                }
            }
        }

        await RegisterStrangersAsync(batch, s, needs.People, ct);
        return s;
    }

    // Someone the registry has never met is registered on the spot with the name and phone the sampler took, living
    // where the site is, so their result has somewhere to go.
    private static async Task RegisterStrangersAsync(IngestBatch batch, SamplingState s, List<(PersonRef Person, string Tube, PendingItem Item)> people, CancellationToken ct)
    {
        // Registered where the tube's site is; a scan into an unknown tube is refused anyway and registers no one.
        var first = people.Where(p => p.Person.Unregistered is { Name.Length: > 0 } && s.Find(p.Person) is null && s.Tubes.ContainsKey(p.Tube))
            .DistinctBy(p => SamplingState.Key(p.Person.Unregistered!.Hash)).ToList();
        // Scoped to the site: should someone be held elsewhere after all, they are sampled here and not moved.
        var unknown = first.Select(p => p.Person.Unregistered! with
        {
            Division = s.Tubes[p.Tube].Division,
            Writer = new WriteScope(Core.Jurisdiction.Scope.Of(s.Tubes[p.Tube].Division), null, RequestTransfers: false),
        }).ToList();
        if (unknown.Count == 0)
        {
            return;
        }
        // The registration stands even if the scan that brought the person is refused (the tube turned out full).
        for (var i = 0; i < first.Count; i++)
        {
            first[i].Item.Note(new ResidentsMoved([new ResidentMove(null, unknown[i].Division)]));
        }
        var written = await ResidentWriter.WriteAsync(batch.Connection, batch.Transaction, batch.Dialect, unknown, batch.Now, needIds: true, ct: ct);
        for (var i = 0; i < unknown.Count; i++)
        {
            s.ByHash[SamplingState.Key(unknown[i].Hash)] = new ResidentLookups.Person { Id = written[i].Id, IdHash = unknown[i].Hash, Name = unknown[i].Name, IdMasked = unknown[i].IdMasked, Division = unknown[i].Division };
        }
    }

    // The samples still standing in one round of some people. On PostgreSQL each person is looked up through the
    // (round, resident) index on its own: written as "round = r AND resident in (...)", the planner, whose
    // statistics lag a round that grows by thousands a second, read the whole round and filtered it, so that
    // every batch cost more than the one before.
    private static Task<List<T>> RoundSamplesOfAsync<T>(DbConnection connection, DbTransaction tx, long round, List<long> residents, string columns, CancellationToken ct) =>
        connection is NpgsqlConnection
            ? connection.QueryInAsync<T, long>(tx, Dialect.Postgres,
                $"SELECT {columns} FROM unnest(@k) AS k(person) CROSS JOIN LATERAL (SELECT * FROM samples WHERE round_id = {round} AND resident_id = k.person AND removed = FALSE OFFSET 0) AS s",
                "", residents, ct)
            : connection.QueryInAsync<T, long>(tx, Dialect.Sqlite, $"SELECT {columns} FROM samples WHERE removed = FALSE AND round_id = {round} AND {{in}}", "resident_id", residents, ct);
}
