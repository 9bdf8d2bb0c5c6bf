using Fangyi.Core.Storage;
using Dapper;
using Fangyi.Core.Counters;
using Fangyi.Core.Ingest;

namespace Fangyi.Features.Checkpoint;

/// <summary>
/// The checkpoint's numbers on the big screen: checks today and how many of them were not green, checks per minute
/// (by the place's division, China time), and devices online. Checks are counted as their records commit and
/// recounted at start from today's rows of the checks table; devices online is a level, set from the devices'
/// last-seen times each time the checkpoint's chores write them.
/// </summary>
public sealed class CheckpointCounters(CounterLayout layout, TimeProvider clock) : ICounterContributor
{
    // The checkpoint's metric names, which the big screen reads: its tiles light up once these are defined.
    public const string Checks = "checkpoint.checks";
    public const string NonGreen = "checkpoint.non_green";
    public const string PerMinute = "checkpoint.per_minute";
    public const string DevicesOnline = "devices.online";

    /// <summary>A device counts as online when it was heard from this recently (kiosks beat every 15 s).</summary>
    public static readonly TimeSpan OnlineWindow = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    private readonly Metric _checks = layout.Define(Checks, PeriodKind.Day);
    private readonly Metric _nonGreen = layout.Define(NonGreen, PeriodKind.Day);
    private readonly Series _perMinute = layout.DefineSeries(PerMinute, PeriodKind.Day, 60_000);
    private readonly Metric _online = layout.Define(DevicesOnline, PeriodKind.Always);
    private Dictionary<long, long> _onlineNow = [];

    // Devices heard from within OnlineWindow, by division, as the store has them now.
    public sealed record DevicesOnlineNow(IReadOnlyDictionary<long, long> ByDivision);

    public IReadOnlyCollection<string> Kinds { get; } = [CheckRecordHandler.Kind];

    public void Count(PendingItem item, CounterWriter counters)
    {
        if (item.Accepted && item.Item.Payload is CheckRecorded check)
        {
            Count(check.Division, check.Colour, item.Item.At, counters);
        }
    }

    public void Count(object change, CounterWriter counters)
    {
        if (change is not DevicesOnlineNow now)
        {
            return;
        }
        // Written as the difference from the level last set, so the rolled-up totals stay sums of their villages.
        foreach (var division in _onlineNow.Keys.Union(now.ByDivision.Keys).ToList())
        {
            var delta = now.ByDivision.GetValueOrDefault(division) - _onlineNow.GetValueOrDefault(division);
            if (delta != 0)
            {
                counters.Add(Period.Always, division, _online, delta);
            }
        }
        _onlineNow = new Dictionary<long, long>(now.ByDivision);
    }

    private void Count(long division, string? colour, long at, CounterWriter counters)
    {
        var day = DayOf(at);
        counters.Add(day, division, _checks);
        if (colour is not null and not "green")
        {
            counters.Add(day, division, _nonGreen);
        }
        counters.AddAt(day, division, _perMinute, at);
    }

    private static Period DayOf(long at) => Period.Day(DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(at).ToOffset(China).DateTime));

    private sealed class CheckRow
    {
        public long Division { get; init; }
        public string? Colour { get; init; }
        public long At { get; init; }
    }

    private sealed class DivisionCount
    {
        public long Division { get; init; }
        public long N { get; init; }
    }

    public async Task RecountAsync(Store store, CounterWriter counters, CancellationToken ct)
    {
        await using var connection = await store.OpenAsync(ct);
        var now = clock.GetUtcNow();
        var today = new DateTimeOffset(now.ToOffset(China).Date, China).ToUnixTimeMilliseconds();
        foreach (var row in await connection.QueryAsync<CheckRow>(new CommandDefinition(
            "SELECT division AS Division, colour AS Colour, at AS At FROM checks WHERE at >= @today", new { today }, cancellationToken: ct, commandTimeout: 0)))
        {
            Count(row.Division, row.Colour, row.At, counters);
        }
        _onlineNow = [];
        Count(await OnlineAsync(store, now, ct), counters);
    }

    /// <summary>Devices online by division, read from the store (last-seen times are written every few seconds).</summary>
    public static async Task<DevicesOnlineNow> OnlineAsync(Store store, DateTimeOffset now, CancellationToken ct)
    {
        await using var connection = await store.OpenAsync(ct);
        var since = (now - OnlineWindow).ToUnixTimeMilliseconds();
        var rows = await connection.QueryAsync<DivisionCount>(new CommandDefinition(
            "SELECT division AS Division, COUNT(*) AS N FROM devices WHERE revoked_at IS NULL AND last_seen_at >= @since GROUP BY division",
            new { since }, cancellationToken: ct));
        return new DevicesOnlineNow(rows.ToDictionary(r => r.Division, r => r.N));
    }
}
