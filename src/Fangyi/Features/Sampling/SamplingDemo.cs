using System.Data.Common;
using Dapper;
using Fangyi.Core.Storage;
using Fangyi.Features.Accounts;
using Fangyi.Features.Divisions;
using Fangyi.Features.Residents;

namespace Fangyi.Features.Sampling;

// Sampling's share of the demo city, into a store with no rounds yet: a city-wide round open for a week with a site
// in 司马庄村 whose team is the demo sampler, and a past round whose samples of the showcase residents (one single
// tube each, in one box) give the results the checkpoint's demo verdicts need; reset at every later start.
public static class SamplingDemo
{
    private const long Hour = 3_600_000;

    // (showcase resident, hours ago, result): null is a sample whose result is not out yet.
    private static readonly (int Person, long HoursAgo, string? Result)[] Samples =
    [
        (0, 20, "negative"), (1, 30, "negative"), (2, 80, "negative"), (3, 10, "negative"), (4, 10, "negative"), (5, 6, "mixed_positive"),
        (6, 5, null), (8, 10, "negative"), (9, 10, "negative"), (10, 8, "invalid"), (11, 10, "negative"),
    ];

    private const string ShowcaseRound = "演示轮次";

    public static async Task SeedAsync(IServiceProvider services, CancellationToken ct = default)
    {
        var fresh = await SeedRoundAsync(services, ct);
        if (await ResidentsDemo.ShowcaseIdsAsync(services, ct) is not { } ids)
        {
            return;
        }
        if (fresh)
        {
            await SeedShowcaseAsync(services, ids, ct);
        }
        else
        {
            await ResetShowcaseAsync(services, ids, ct);
        }
    }

    // Anyone may sample the showcase residents into the demo's running round, and then they no longer show the
    // verdicts the README and the banner promise. Each start puts them back: their other samples are taken out
    // (as a sampler's 删除上一人 would), and their showcase samples are as many hours old as the table says.
    private static async Task ResetShowcaseAsync(IServiceProvider services, long[] ids, CancellationToken ct)
    {
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await services.GetRequiredService<Store>().OpenAsync(ct);
        var round = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM rounds WHERE name = @name ORDER BY id LIMIT 1", new { name = ShowcaseRound }, cancellationToken: ct));
        if (round is null)
        {
            return;
        }
        await using var tx = await connection.BeginTransactionAsync(ct);
        foreach (var id in ids)
        {
            // The showcase sample is a resident's first in the showcase round (that round is open too).
            var seeded = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT MIN(id) FROM samples WHERE resident_id = @id AND round_id = @round", new { id, round }, tx, cancellationToken: ct)) ?? 0;
            var later = (await connection.QueryAsync<(long Id, string Tube)>(new CommandDefinition(
                "SELECT id, tube_code FROM samples WHERE resident_id = @id AND id <> @seeded AND removed = @no",
                new { id, seeded, no = false }, tx, cancellationToken: ct))).ToList();
            foreach (var (sample, tube) in later)
            {
                await connection.ExecuteAsync(new CommandDefinition("UPDATE samples SET removed = @yes WHERE id = @sample", new { sample, yes = true }, tx, cancellationToken: ct));
                await connection.ExecuteAsync(new CommandDefinition("UPDATE tubes SET people = people - 1 WHERE code = @tube AND people > 0", new { tube }, tx, cancellationToken: ct));
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE boxes SET people = people - 1 WHERE code = (SELECT box_code FROM tubes WHERE code = @tube) AND people > 0", new { tube }, tx, cancellationToken: ct));
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE retest_tasks SET state = 'cancelled', done_at = @now WHERE resident_id = @id AND tube_code = @tube AND state = 'open'", new { id, tube, now }, tx, cancellationToken: ct));
            }
        }
        foreach (var (person, hoursAgo, result) in Samples)
        {
            var at = now - hoursAgo * Hour;
            var resulted = result is null ? (long?)null : at + 4 * Hour;
            var tube = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT tube_code FROM samples WHERE resident_id = @id AND round_id = @round ORDER BY id LIMIT 1", new { id = ids[person], round }, tx, cancellationToken: ct));
            if (tube is null)
            {
                continue;
            }
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE samples SET sampled_at = @at, resulted_at = @resulted, removed = @no WHERE tube_code = @tube AND resident_id = @id",
                new { at, resulted, no = false, tube, id = ids[person] }, tx, cancellationToken: ct));
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE tubes SET opened_at = @at, sealed_at = @at, received_at = @received, resulted_at = @resulted WHERE code = @tube",
                new { at, received = at + Hour, resulted, tube }, tx, cancellationToken: ct));
        }
        await tx.CommitAsync(ct);
    }

    // The city-wide round, its site and the demo sampler's team, into a store with no rounds; false when it had some.
    public static async Task<bool> SeedRoundAsync(IServiceProvider services, CancellationToken ct = default)
    {
        await using var connection = await services.GetRequiredService<Store>().OpenAsync(ct);
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM rounds", cancellationToken: ct)) > 0)
        {
            return false;
        }
        if (await services.GetRequiredService<AccountService>().FindAsync("sampler", ct) is not { } sampler)
        {
            return true;
        }
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using var tx = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO rounds (name, division, starts_at, ends_at, ratio_low, ratio_medium, ratio_high, created_at) VALUES (@name, @division, @starts, @ends, 10, 5, 1, @now)",
            new { name = "沧州市第一轮全员核酸", division = DemoDivisions.Cangzhou, starts = now - Hour, ends = now + 7 * 24 * Hour, now }, tx, cancellationToken: ct));
        var site = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO sites (name, division, address, created_at) VALUES (@name, @division, @address, @now) RETURNING id",
            new { name = "司马庄村委会采样点", division = DemoDivisions.Simazhuang, address = "村委会院内", now }, tx, cancellationToken: ct));
        var team = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO teams (site_id, name, division) VALUES (@site, @name, @division) RETURNING id",
            new { site, name = "司马庄第1采样队", division = DemoDivisions.Simazhuang }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition("INSERT INTO team_members (team_id, account_id) VALUES (@team, @samplerId)",
            new { team, samplerId = sampler.Id }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return true;
    }

    private static async Task SeedShowcaseAsync(IServiceProvider services, long[] ids, CancellationToken ct)
    {
        var issued = services.GetRequiredService<IssuedCodes>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow().ToUnixTimeMilliseconds();
        var tubes = (await issued.IssueAsync(CodeType.Tube, Samples.Length, DemoDivisions.Qingxian, "演示查验试管码", 0, ct)).Codes().ToList();
        var box = (await issued.IssueAsync(CodeType.Box, 1, DemoDivisions.Qingxian, "演示查验转运箱码", 0, ct)).Codes().Single();
        await using var connection = await services.GetRequiredService<Store>().OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var round = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO rounds (name, division, starts_at, ends_at, ratio_low, ratio_medium, ratio_high, created_at) VALUES (@name, @division, @starts, @ends, 10, 5, 1, @now) RETURNING id",
            new { name = ShowcaseRound, division = DemoDivisions.Cangzhou, starts = now - 96 * Hour, ends = now + 30 * 24 * Hour, now }, tx, cancellationToken: ct));
        var site = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO sites (name, division, address, created_at) VALUES ('司马庄村委会采样点', @division, '', @now) RETURNING id",
            new { division = DemoDivisions.Simazhuang, now }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO boxes (code, round_id, site_id, division, state, tubes, people, opened_at, sealed_at, picked_at, received_at, received_tubes) VALUES (@box, @round, @site, @division, 'testing', @n, @n, @at, @at, @at, @at, @n)",
            new { box, round, site, division = DemoDivisions.Simazhuang, n = Samples.Length, at = now - 96 * Hour }, tx, cancellationToken: ct));
        for (var i = 0; i < Samples.Length; i++)
        {
            await SeedSampleAsync(connection, tx, Samples[i], tubes[i], box, round, site, ids, now, ct);
        }
        await tx.CommitAsync(ct);
    }

    private static async Task SeedSampleAsync(DbConnection connection, DbTransaction tx, (int Person, long HoursAgo, string? Result) sample, string tube, string box,
        long round, long site, long[] ids, long now, CancellationToken ct)
    {
        var (person, hoursAgo, result) = sample;
        var at = now - hoursAgo * Hour;
        var tubeResult = result == "mixed_positive" ? "positive" : result;
        var resulted = result is null ? (long?)null : at + 4 * Hour;
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO tubes (code, box_code, round_id, site_id, division, capacity, people, state, opened_at, sealed_at, received_at, resulted_at, result)
            VALUES (@tube, @box, @round, @site, @division, @capacity, 1, @state, @at, @at, @received, @resulted, @tubeResult)
            """,
            new
            {
                tube, box, round, site, division = DemoDivisions.Simazhuang, capacity = result == "mixed_positive" ? 10 : 1,
                state = result is null ? "received" : "resulted", at, received = at + Hour, resulted, tubeResult,
            }, tx, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO samples (tube_code, resident_id, division, round_id, sampled_at, removed, repeat_in_round, result, resulted_at) VALUES (@tube, @resident, @division, @round, @at, @no, @no, @result, @resulted)",
            new { tube, resident = ids[person], division = DemoDivisions.Simazhuang, round, at, no = false, result, resulted }, tx, cancellationToken: ct));
    }
}
