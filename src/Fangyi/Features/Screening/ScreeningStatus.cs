using System.Diagnostics.CodeAnalysis;
using Dapper;
using Fangyi.Core.Ingest;
using Fangyi.Core.Status;
using Fangyi.Core.Storage;

namespace Fangyi.Features.Screening;

/// <summary>
/// Screening's part of the status index: the hold a decision placed (centralised or home isolation red, monitoring
/// yellow, each until its end; after an isolation its monitoring days yellow). Loaded from the cases at start; a decision
/// rebuilds its person after the commit, so a door shows it at once, and a hold lifted (a case cleared after all)
/// rebuilds them without it. A cleared case holds nothing, and a case never lifts a hold another capability placed.
/// </summary>
public sealed class ScreeningStatus(Store store, StatusIndex index, TimeProvider clock) : IStatusSource, IIngestObserver
{
    public int Order => 40;

    private const string Select = """
        SELECT resident_id AS ResidentId, hold_reason AS HoldReason, hold_colour AS HoldColour, hold_since AS HoldSince, hold_until AS HoldUntil, monitor_until AS MonitorUntil
        FROM screening_cases WHERE resident_id IS NOT NULL AND hold_colour IS NOT NULL AND merged_into IS NULL AND state NOT IN ('cleared', 'released', 'merged')
          AND monitor_until > @now
        """;

    private sealed record HoldRow
    {
        public long ResidentId { get; init; }
        public string? HoldReason { get; init; }
        public int HoldColour { get; init; }
        public long HoldSince { get; init; }
        public long HoldUntil { get; init; }
        public long MonitorUntil { get; init; }
    }

    [SuppressMessage("Security", "CA2100", Justification = "Constant SQL with the resident list as bound parameters.")]
    public async Task LoadAsync(IStatusSink sink, IReadOnlyCollection<long>? residents, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await store.OpenAsync(ct);
        List<HoldRow> rows;
        if (residents is null)
        {
            rows = (await connection.QueryAsync<HoldRow>(new CommandDefinition(Select, new { now }, cancellationToken: ct))).ToList();
        }
        else
        {
            var args = new DynamicParameters(new { now });
            var where = store.Dialect.InList("resident_id", residents.ToList(), args, "r");
            rows = (await connection.QueryAsync<HoldRow>(new CommandDefinition(Select + " AND " + where, args, cancellationToken: ct))).ToList();
        }
        foreach (var r in rows)
        {
            Apply(sink, r, now);
        }
    }

    private static void Apply(IStatusSink sink, HoldRow r, long now)
    {
        var reason = r.HoldReason ?? "排查管控";
        if (r.HoldUntil > now)
        {
            sink.Hold(r.ResidentId, (HealthColour)r.HoldColour, r.HoldSince, r.HoldUntil, reason);
        }
        else if (r.MonitorUntil > now)
        {
            sink.Hold(r.ResidentId, HealthColour.Yellow, r.HoldUntil, r.MonitorUntil, "居家健康监测");
        }
    }

    public void OnCommitted(IReadOnlyList<PendingItem> items)
    {
        foreach (var item in items)
        {
            foreach (var change in item.Changes)
            {
                if (change is HoldChanged { Colour: { } colour } placed)
                {
                    index.Hold(placed.ResidentId, (HealthColour)colour, placed.Since, placed.Until, placed.Reason ?? "排查管控");
                }
                else if (change is HoldChanged lifted)
                {
                    index.RequestRefresh(lifted.ResidentId);
                }
            }
        }
    }

    /// <summary>
    /// The people whose isolation ended within <paramref name="since"/> and who are now monitored: a hold is one colour
    /// until one time, so the yellow days after a red hold are placed when the red one ends.
    /// </summary>
    public async Task RefreshEndedAsync(long since, CancellationToken ct)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var connection = await store.OpenAsync(ct);
        var ended = await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT resident_id FROM screening_cases WHERE resident_id IS NOT NULL AND merged_into IS NULL AND hold_until > @since AND hold_until <= @now AND monitor_until > @now",
            new { since, now }, cancellationToken: ct));
        foreach (var resident in ended)
        {
            index.RequestRefresh(resident);
        }
    }
}
