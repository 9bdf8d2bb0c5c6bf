-- Quarantine (隔离点 and 转运): sites with rooms and beds, referrals awaiting transfer, transfer orders and the people
-- on them, stays with their bed, and the daily health check-ins. Other capabilities refer people and hear of stays
-- through Quarantine's public API (QuarantineReferrals, IStayObserver), never by naming these tables.
CREATE TABLE quarantine_sites (
    id {{id}},
    name TEXT NOT NULL,
    division BIGINT NOT NULL,
    address TEXT NOT NULL,
    families INTEGER NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX ix_quarantine_sites_division ON quarantine_sites (division);

CREATE TABLE quarantine_rooms (
    id {{id}},
    site_id BIGINT NOT NULL REFERENCES quarantine_sites (id),
    building TEXT NOT NULL,
    floor INTEGER NOT NULL,
    number TEXT NOT NULL,
    beds INTEGER NOT NULL,
    kind TEXT NOT NULL,
    retired INTEGER NOT NULL
);
CREATE UNIQUE INDEX ux_quarantine_rooms_number ON quarantine_rooms (site_id, building, number);

-- A person referred to centralised quarantine, awaiting transfer until picked up or checked in; one open referral a
-- person (closed_at is null while it is open).
CREATE TABLE quarantine_referrals (
    id {{id}},
    resident_id BIGINT NOT NULL,
    division BIGINT NOT NULL,
    source TEXT NOT NULL,
    reason TEXT NOT NULL,
    days INTEGER NOT NULL,
    test_days TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    closed_at BIGINT
);
CREATE UNIQUE INDEX ux_quarantine_referrals_open ON quarantine_referrals (resident_id) WHERE closed_at IS NULL;
CREATE INDEX ix_quarantine_referrals_division ON quarantine_referrals (division, state);
CREATE INDEX ix_quarantine_referrals_source ON quarantine_referrals (source);

-- A stay in a bed. Never two people in one bed, never one person in two: unique over the stays still running.
CREATE TABLE quarantine_stays (
    id {{id}},
    resident_id BIGINT NOT NULL,
    site_id BIGINT NOT NULL,
    division BIGINT NOT NULL,
    room_id BIGINT NOT NULL,
    bed INTEGER NOT NULL,
    source TEXT NOT NULL,
    walk_in INTEGER NOT NULL,
    test_days TEXT NOT NULL,
    checked_in_at BIGINT NOT NULL,
    planned_end BIGINT NOT NULL,
    state TEXT NOT NULL,
    ended_at BIGINT,
    certificate_no TEXT,
    checked_in_by BIGINT
);
CREATE UNIQUE INDEX ux_quarantine_stays_bed ON quarantine_stays (room_id, bed) WHERE state = 'in';
CREATE UNIQUE INDEX ux_quarantine_stays_person ON quarantine_stays (resident_id) WHERE state = 'in';
CREATE INDEX ix_quarantine_stays_site ON quarantine_stays (site_id, state);
CREATE INDEX ix_quarantine_stays_resident ON quarantine_stays (resident_id);

-- One health check-in a person, stay and day (the day as yyyymmdd in China time).
CREATE TABLE quarantine_health_checks (
    id {{id}},
    resident_id BIGINT NOT NULL,
    site_id BIGINT NOT NULL,
    stay_checked_in_at BIGINT NOT NULL,
    day INTEGER NOT NULL,
    temperature_tenths INTEGER NOT NULL,
    symptoms TEXT NOT NULL,
    fever INTEGER NOT NULL,
    at BIGINT NOT NULL,
    by_account BIGINT
);
CREATE UNIQUE INDEX ux_quarantine_health_checks_day ON quarantine_health_checks (resident_id, stay_checked_in_at, day);

CREATE TABLE transfer_orders (
    id {{id}},
    division BIGINT NOT NULL,
    site_id BIGINT NOT NULL,
    plate TEXT NOT NULL,
    team TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by BIGINT
);
CREATE INDEX ix_transfer_orders_division ON transfer_orders (division, state);

CREATE TABLE transfer_people (
    order_id BIGINT NOT NULL REFERENCES transfer_orders (id),
    referral_id BIGINT NOT NULL,
    resident_id BIGINT NOT NULL,
    division BIGINT NOT NULL,
    state TEXT NOT NULL,
    at BIGINT,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    PRIMARY KEY (order_id, resident_id)
);
CREATE INDEX ix_transfer_people_resident ON transfer_people (resident_id, state);
