using System.Data.Common;
using Dapper;
using Fangyi.Core.Storage;
using Fangyi.Features.Accounts;
using Fangyi.Features.Divisions;
using Fangyi.Features.Residents;

namespace Fangyi.Features.Sampling;

// Sampling's share of the demo city, into a store with no rounds yet: a city-wide round open for a week with a site
// in 司马庄村 whose team is the demo sampler, and a past round whose samples of the showcase residents (one single
// tube each, in one box) give the results the checkpoint's demo verdicts need.
public static class SamplingDemo
{
    private const long Hour = 3_600_000;

    // (showcase resident, hours ago, result): null is a sample whose result is not out yet.
    private static readonly (int Person, long HoursAgo, string? Result)[] Samples =
    [
        (0, 20, "negative"), (1, 30, "negative"), (2, 80, "negative"), (3, 10, "negative"), (4, 10, "negative"), (5, 6, "mixed_positive"),
        (6, 5, null), (8, 10, "negative"), (9, 10, "negative"), (10, 8, "invalid"), (11, 10, "negative"),
    ];

    public static async Task SeedAsync(IServiceProvider services, CancellationToken ct = default)
    {
        if (!await SeedRoundAsync(services, ct) || await ResidentsDemo.ShowcaseIdsAsync(services, ct) is not { } ids)
        {
            return;
        }
        await SeedShowcaseAsync(services, ids, ct);
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
            "INSERT INTO rounds (name, division, starts_at, ends_at, ratio_low, ratio_medium, ratio_high, created_at) VALUES ('演示轮次', @division, @starts, @ends, 10, 5, 1, @now) RETURNING id",
            new { division = DemoDivisions.Cangzhou, starts = now - 96 * Hour, ends = now + 30 * 24 * Hour, now }, tx, cancellationToken: ct));
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
