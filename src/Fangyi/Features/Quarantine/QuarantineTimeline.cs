using System.Globalization;
using Dapper;
using Fangyi.Core.Storage;
using Fangyi.Core.Timeline;

namespace Fangyi.Features.Quarantine;

/// <summary>A person's quarantine on the person page: referred, picked up or missed, handed over, checked in with room and bed, health checks, released or to hospital.</summary>
public sealed class QuarantineTimeline(Store store) : ITimelineSource
{
    private sealed record StayLine
    {
        public long CheckedInAt { get; init; }
        public long PlannedEnd { get; init; }
        public long? EndedAt { get; init; }
        public string State { get; init; } = "";
        public long Bed { get; init; }
        public string? CertificateNo { get; init; }
        public string Site { get; init; } = "";
        public string Building { get; init; } = "";
        public string Number { get; init; } = "";
    }

    public async Task<IReadOnlyList<TimelineEntry>> ForResidentAsync(long residentId, CancellationToken ct)
    {
        await using var connection = await store.OpenAsync(ct);
        var entries = new List<TimelineEntry>();
        foreach (var r in await connection.QueryAsync<QuarantineRows.ReferralRow>(new CommandDefinition(
            $"SELECT {QuarantineRows.ReferralColumns} FROM quarantine_referrals WHERE resident_id = @residentId", new { residentId }, cancellationToken: ct)))
        {
            entries.Add(new TimelineEntry(r.CreatedAt, "隔离", "转为集中隔离，待转运", $"{r.Reason}，隔离 {r.Days} 天，核酸日 第{r.TestDays.Replace(",", "、", StringComparison.Ordinal)}天", "warn"));
            if (r.State == QuarantineReferrals.Withdrawn && r.ClosedAt is { } closed)
            {
                entries.Add(new TimelineEntry(closed, "隔离", "集中隔离已撤销", null, "ok"));
            }
        }
        foreach (var (state, at, plate) in await connection.QueryAsync<(string, long?, string)>(new CommandDefinition(
            "SELECT p.state, p.at, o.plate FROM transfer_people p JOIN transfer_orders o ON o.id = p.order_id WHERE p.resident_id = @residentId AND p.at IS NOT NULL", new { residentId }, cancellationToken: ct)))
        {
            var title = state switch
            {
                TransferStates.Missed => "转运未接到",
                TransferStates.HandedOver => "转运交接至隔离点",
                _ => "转运已接到",
            };
            entries.Add(new TimelineEntry(at!.Value, "转运", title, "车牌 " + plate, state == TransferStates.Missed ? "bad" : ""));
        }
        foreach (var stay in await connection.QueryAsync<StayLine>(new CommandDefinition(
            """
            SELECT t.checked_in_at AS CheckedInAt, t.planned_end AS PlannedEnd, t.ended_at AS EndedAt, t.state AS State, t.bed AS Bed, t.certificate_no AS CertificateNo,
                   s.name AS Site, r.building AS Building, r.number AS Number
            FROM quarantine_stays t JOIN quarantine_sites s ON s.id = t.site_id JOIN quarantine_rooms r ON r.id = t.room_id WHERE t.resident_id = @residentId
            """, new { residentId }, cancellationToken: ct)))
        {
            entries.Add(new TimelineEntry(stay.CheckedInAt, "隔离", $"入住{stay.Site}", string.Create(CultureInfo.InvariantCulture, $"{stay.Building}栋 {stay.Number} 房 {stay.Bed} 床，计划 {QuarantineDays.Date(stay.PlannedEnd - 1)} 期满"), "warn"));
            if (stay.EndedAt is { } ended)
            {
                entries.Add(stay.State == StayStates.Released
                    ? new TimelineEntry(ended, "隔离", "解除隔离", "证明编号 " + stay.CertificateNo, "ok")
                    : new TimelineEntry(ended, "隔离", "转至医院", null, "bad"));
            }
        }
        foreach (var (at, tenths, symptoms, fever) in await connection.QueryAsync<(long, long, string, long)>(new CommandDefinition(
            "SELECT at, temperature_tenths, symptoms, fever FROM quarantine_health_checks WHERE resident_id = @residentId", new { residentId }, cancellationToken: ct)))
        {
            var detail = string.Create(CultureInfo.InvariantCulture, $"体温 {tenths / 10.0:F1}℃") + (symptoms.Length > 0 ? "，" + symptoms : "");
            entries.Add(new TimelineEntry(at, "隔离", fever != 0 ? "健康打卡：发热" : "健康打卡", detail, fever != 0 ? "bad" : ""));
        }
        return entries.OrderByDescending(e => e.At).ToList();
    }
}
