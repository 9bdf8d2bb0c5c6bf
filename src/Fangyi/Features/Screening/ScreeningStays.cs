using Dapper;
using Fangyi.Core.Ingest;
using Fangyi.Features.Quarantine;

namespace Fangyi.Features.Screening;

/// <summary>
/// What a quarantine site's steps mean for the case that sent the person there: checked in, the case is 集中隔离中; released,
/// the case's hold becomes the monitoring days' yellow (or ends when the rules give none); to hospital, the case leaves the
/// pool's care. Quarantine rebuilds the person in the status index after its own commit, which reads this case's hold again.
/// </summary>
internal sealed class ScreeningStays : IStayObserver
{
    public async Task StaysChangedAsync(IngestBatch batch, IReadOnlyList<StayChange> changes, CancellationToken ct)
    {
        var ours = changes.Where(c => c.Source.StartsWith("case:", StringComparison.Ordinal)
            && long.TryParse(c.Source.AsSpan(5), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _)).ToList();
        if (ours.Count == 0)
        {
            return;
        }
        await batch.FlushAsync(ct);
        var (connection, tx) = (batch.Connection, batch.Transaction);
        foreach (var change in ours)
        {
            var id = long.Parse(change.Source.AsSpan(5), System.Globalization.CultureInfo.InvariantCulture);
            var (sql, step) = change.Kind switch
            {
                StayChanges.PickedUp => ((string?)null, "已接到，转运中"),
                StayChanges.Missed => (null, "转运时未接到本人，已派回村（社区）"),
                StayChanges.CheckedIn => ("UPDATE screening_cases SET state = 'quarantined', updated_at = @at WHERE id = @id AND state = 'awaiting_transfer'", "入住隔离点"),
                StayChanges.Released => ("""
                    UPDATE screening_cases SET
                        state = CASE WHEN monitor_until > @at THEN 'monitoring' ELSE 'released' END,
                        hold_colour = CASE WHEN monitor_until > @at THEN 1 ELSE NULL END,
                        hold_since = CASE WHEN monitor_until > @at THEN @at ELSE NULL END,
                        hold_until = CASE WHEN monitor_until > @at THEN monitor_until ELSE NULL END,
                        hold_reason = CASE WHEN monitor_until > @at THEN '居家健康监测' ELSE NULL END,
                        updated_at = @at
                    WHERE id = @id AND state IN ('awaiting_transfer', 'quarantined')
                    """, "解除集中隔离"),
                StayChanges.ToHospital => ("UPDATE screening_cases SET state = 'hospital', hold_colour = NULL, hold_since = NULL, hold_until = NULL, hold_reason = NULL, updated_at = @at WHERE id = @id", "转运医院"),
                _ => (null, null),
            };
            if (step is null)
            {
                continue;
            }
            if (sql is not null)
            {
                await connection.ExecuteAsync(new CommandDefinition(sql, new { id, at = change.At }, tx, cancellationToken: ct));
            }
            var kind = change.Kind switch { StayChanges.CheckedIn => "checked_in", StayChanges.Released => "released", StayChanges.ToHospital => "hospital", _ => "referred" };
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO screening_steps (case_id, kind, detail, account_id, at) VALUES (@id, @kind, @step, NULL, @at)", new { id, kind, step, at = change.At }, tx, cancellationToken: ct));
        }
    }
}
