namespace Fangyi.Features.Quarantine;

/// <summary>The rows of quarantine's tables as its handler and pages read them.</summary>
public static class QuarantineRows
{
    public sealed record Site
    {
        public long Id { get; init; }
        public string Name { get; init; } = "";
        public long Division { get; init; }
        public string Address { get; init; } = "";
        public long Families { get; init; }
        public long CreatedAt { get; init; }
    }

    public sealed record Room
    {
        public long Id { get; init; }
        public long SiteId { get; init; }
        public string Building { get; init; } = "";
        public long Floor { get; init; }
        public string Number { get; init; } = "";
        public long Beds { get; init; }
        public string Kind { get; init; } = "";
        public long Retired { get; init; }
    }

    public sealed record ReferralRow
    {
        public long Id { get; init; }
        public long ResidentId { get; init; }
        public long Division { get; init; }
        public string Source { get; init; } = "";
        public string Reason { get; init; } = "";
        public long Days { get; init; }
        public string TestDays { get; init; } = "";
        public string State { get; init; } = "";
        public long CreatedAt { get; init; }
        public long? ClosedAt { get; init; }
    }

    public sealed record Stay
    {
        public long Id { get; init; }
        public long ResidentId { get; init; }
        public long SiteId { get; init; }
        public long Division { get; init; }
        public long RoomId { get; init; }
        public long Bed { get; init; }
        public string Source { get; init; } = "";
        public long WalkIn { get; init; }
        public string TestDays { get; init; } = "";
        public long CheckedInAt { get; init; }
        public long PlannedEnd { get; init; }
        public string State { get; init; } = "";
        public long? EndedAt { get; init; }
        public string? CertificateNo { get; init; }
    }

    public sealed record OrderPerson
    {
        public long OrderId { get; init; }
        public long ReferralId { get; init; }
        public long ResidentId { get; init; }
        public long Division { get; init; }
        public string State { get; init; } = "";
        public long? At { get; init; }
    }

    public sealed record Order
    {
        public long Id { get; init; }
        public long Division { get; init; }
        public long SiteId { get; init; }
        public string Plate { get; init; } = "";
        public string Team { get; init; } = "";
        public string State { get; init; } = "";
        public long CreatedAt { get; init; }
    }

    public const string SiteColumns = "id, name, division, address, families, created_at AS CreatedAt";
    public const string RoomColumns = "id, site_id AS SiteId, building, floor, number, beds, kind, retired";
    public const string ReferralColumns = "id, resident_id AS ResidentId, division, source, reason, days, test_days AS TestDays, state, created_at AS CreatedAt, closed_at AS ClosedAt";
    public const string StayColumns = "id, resident_id AS ResidentId, site_id AS SiteId, division, room_id AS RoomId, bed, source, walk_in AS WalkIn, test_days AS TestDays, checked_in_at AS CheckedInAt, planned_end AS PlannedEnd, state, ended_at AS EndedAt, certificate_no AS CertificateNo";
    public const string OrderPersonColumns = "order_id AS OrderId, referral_id AS ReferralId, resident_id AS ResidentId, division, state, at";
    public const string OrderColumns = "id, division, site_id AS SiteId, plate, team, state, created_at AS CreatedAt";
}
