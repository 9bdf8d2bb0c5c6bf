-- Nucleic-acid sampling: rounds, sites and teams; issued tube and box codes; boxes, tubes and samples with
-- their current state (the event log keeps every step); retest tasks. Residents get an opaque subject id
-- for their citizen codes.

ALTER TABLE events ADD COLUMN subject TEXT;
CREATE INDEX ix_events_subject ON events (subject);

ALTER TABLE residents ADD COLUMN subject {{blob}};
CREATE UNIQUE INDEX ux_residents_subject ON residents (subject);

CREATE TABLE rounds (
    id {{id}},
    name TEXT NOT NULL,
    division BIGINT NOT NULL,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    ratio_low SMALLINT NOT NULL,
    ratio_medium SMALLINT NOT NULL,
    ratio_high SMALLINT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE sites (
    id {{id}},
    name TEXT NOT NULL,
    division BIGINT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX ix_sites_division ON sites (division);

CREATE TABLE teams (
    id {{id}},
    site_id BIGINT NOT NULL,
    name TEXT NOT NULL,
    division BIGINT NOT NULL
);

CREATE TABLE team_members (
    team_id BIGINT NOT NULL,
    account_id BIGINT NOT NULL,
    PRIMARY KEY (team_id, account_id)
);

-- Codes are issued in ranges of serials; a code is valid only inside an issued range of its type.
CREATE TABLE code_batches (
    id {{id}},
    type TEXT NOT NULL,
    first_serial BIGINT NOT NULL,
    count INTEGER NOT NULL,
    division BIGINT NOT NULL,
    title TEXT NOT NULL,
    account_id BIGINT,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX ux_code_batches_serial ON code_batches (type, first_serial);

CREATE TABLE boxes (
    code TEXT PRIMARY KEY,
    round_id BIGINT NOT NULL,
    site_id BIGINT NOT NULL,
    division BIGINT NOT NULL,
    state TEXT NOT NULL,
    tubes INTEGER NOT NULL DEFAULT 0,
    people INTEGER NOT NULL DEFAULT 0,
    opened_at BIGINT NOT NULL,
    sealed_at BIGINT,
    picked_at BIGINT,
    received_at BIGINT,
    received_tubes INTEGER,
    discrepancy TEXT
);
CREATE INDEX ix_boxes_round_division ON boxes (round_id, division);

CREATE TABLE tubes (
    code TEXT PRIMARY KEY,
    box_code TEXT NOT NULL,
    round_id BIGINT NOT NULL,
    site_id BIGINT NOT NULL,
    division BIGINT NOT NULL,
    capacity SMALLINT NOT NULL,
    people SMALLINT NOT NULL DEFAULT 0,
    state TEXT NOT NULL,
    opened_at BIGINT NOT NULL,
    sealed_at BIGINT,
    received_at BIGINT,
    resulted_at BIGINT,
    result TEXT,
    ct REAL
);
CREATE INDEX ix_tubes_box ON tubes (box_code);
CREATE INDEX ix_tubes_round_division ON tubes (round_id, division);

-- One row per person per tube. division is where the person lives (or the site's, for a visitor), so that
-- coverage counts by residence.
CREATE TABLE samples (
    id {{id}},
    tube_code TEXT NOT NULL,
    resident_id BIGINT NOT NULL,
    division BIGINT NOT NULL,
    round_id BIGINT NOT NULL,
    sampled_at BIGINT NOT NULL,
    removed BOOLEAN NOT NULL DEFAULT FALSE,
    repeat_in_round BOOLEAN NOT NULL DEFAULT FALSE,
    result TEXT,
    resulted_at BIGINT
);
CREATE INDEX ix_samples_tube ON samples (tube_code);
CREATE INDEX ix_samples_resident ON samples (resident_id);
CREATE INDEX ix_samples_round_division ON samples (round_id, division);

CREATE TABLE retest_tasks (
    id {{id}},
    resident_id BIGINT NOT NULL,
    division BIGINT NOT NULL,
    tube_code TEXT NOT NULL,
    reason TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    done_at BIGINT
);
CREATE INDEX ix_retest_division ON retest_tasks (division, state);
