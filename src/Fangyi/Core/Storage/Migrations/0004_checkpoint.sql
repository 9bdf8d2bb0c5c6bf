-- The four-in-one checkpoint: places and their devices, the checks they made (kept for a retention period, then
-- purged: not in the append-only event log), and the facts the verdict rests on besides sampling: health-code
-- colour from the provincial feed, vaccination doses, arrivals, the risk-area list and social-security cards.
-- Versions of the checkpoint rules are kept so that a check's rule version can always be read back.

CREATE TABLE places (
    id {{id}},
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    division BIGINT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX ix_places_division ON places (division);

-- A device's secret is kept only as its SHA-256. division is the place's, for jurisdiction.
CREATE TABLE devices (
    id {{id}},
    place_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    secret_hash {{blob}} NOT NULL,
    division BIGINT NOT NULL,
    revoked_at BIGINT,
    last_seen_at BIGINT,
    account_id BIGINT,
    created_at BIGINT NOT NULL,
    changed_at BIGINT NOT NULL
);
CREATE INDEX ix_devices_place ON devices (place_id);
CREATE INDEX ix_devices_division ON devices (division);
CREATE INDEX ix_devices_changed ON devices (changed_at);

-- One row per check. division is the place's. resident_id is null for someone not found.
CREATE TABLE checks (
    id {{id}},
    client_id TEXT NOT NULL,
    at BIGINT NOT NULL,
    place_id BIGINT NOT NULL,
    device_id BIGINT NOT NULL,
    division BIGINT NOT NULL,
    resident_id BIGINT,
    input_kind TEXT NOT NULL,
    verdict TEXT NOT NULL,
    colour TEXT,
    rule_version TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_checks_client_id ON checks (client_id);
CREATE INDEX ix_checks_resident ON checks (resident_id, at);
CREATE INDEX ix_checks_place ON checks (place_id, at);
CREATE INDEX ix_checks_at ON checks (at);

CREATE TABLE checkpoint_rules (
    version TEXT PRIMARY KEY,
    document TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    account_id BIGINT
);

-- The provincial feed's latest colour per resident; every change is also in the event log (colour.set).
CREATE TABLE health_colours (
    resident_id BIGINT PRIMARY KEY,
    colour TEXT NOT NULL,
    reason TEXT NOT NULL,
    since BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE vaccinations (
    resident_id BIGINT NOT NULL,
    dose SMALLINT NOT NULL,
    at BIGINT NOT NULL,
    vaccine TEXT NOT NULL DEFAULT '',
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (resident_id, dose)
);

-- A person's arrivals from elsewhere; division is where they live.
CREATE TABLE arrivals (
    id {{id}},
    resident_id BIGINT NOT NULL,
    from_division BIGINT NOT NULL,
    arrived_at BIGINT NOT NULL,
    division BIGINT NOT NULL,
    recorded_at BIGINT NOT NULL
);
CREATE INDEX ix_arrivals_resident ON arrivals (resident_id, arrived_at);
CREATE INDEX ix_arrivals_division ON arrivals (division);

-- Medium- and high-risk areas by division code prefix (the division at any level) and date range.
CREATE TABLE risk_areas (
    id {{id}},
    division BIGINT NOT NULL,
    level TEXT NOT NULL,
    name TEXT NOT NULL,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT,
    account_id BIGINT,
    created_at BIGINT NOT NULL
);

-- Social-security card numbers, protected like identity numbers: a keyed look-up hash and a mask.
CREATE TABLE social_security_cards (
    card_hash {{blob}} PRIMARY KEY,
    key_id INTEGER NOT NULL,
    card_masked TEXT NOT NULL,
    resident_id BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX ix_social_security_resident ON social_security_cards (resident_id);
