-- The to-be-screened pool (待排查人员库): one case per person, whatever the number of sources that named them.
-- A case is keyed by the resident (the registry holds the identity look-up hash) when the person is registered; a
-- person named by an ID number the registry does not know is keyed by that number's look-up hash; a row with only a
-- phone (or only a name and an address) makes a provisional case, merged into the identified one when a worker or
-- a later source names the person (merged_into, audited). division is where the case is worked now: the village of
-- residence, the village an address resolved to, or a county's unassigned queue (route = 'unassigned').
CREATE TABLE screening_cases (
    id {{id}},
    resident_id BIGINT,
    id_hash {{blob}},
    id_cipher {{blob}},
    id_masked TEXT,
    phone_hash {{blob}},
    phone_cipher {{blob}},
    phone_masked TEXT,
    key_id INTEGER,
    name TEXT,
    address TEXT,
    division BIGINT NOT NULL,
    route TEXT NOT NULL,
    confidence REAL NOT NULL,
    corrected TEXT,
    state TEXT NOT NULL,
    priority INTEGER NOT NULL,
    due_at BIGINT NOT NULL,
    whereabouts TEXT,
    tags TEXT,
    category TEXT,
    policy_version TEXT,
    decided_at BIGINT,
    decided_by BIGINT,
    hold_colour INTEGER,
    hold_since BIGINT,
    hold_until BIGINT,
    hold_reason TEXT,
    monitor_until BIGINT,
    cleared_reason TEXT,
    merged_into BIGINT,
    handover_to BIGINT,
    entries INTEGER NOT NULL,
    origin TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX ux_screening_cases_resident ON screening_cases (resident_id) WHERE resident_id IS NOT NULL AND merged_into IS NULL;
CREATE UNIQUE INDEX ux_screening_cases_id_hash ON screening_cases (id_hash) WHERE id_hash IS NOT NULL AND resident_id IS NULL AND merged_into IS NULL;
CREATE INDEX ix_screening_cases_phone ON screening_cases (phone_hash);
CREATE INDEX ix_screening_cases_pool ON screening_cases (division, state, due_at);
CREATE INDEX ix_screening_cases_handover ON screening_cases (handover_to);
-- The first entry that made the case (source and ref): how a batch finds the ids of the cases it just created.
CREATE UNIQUE INDEX ux_screening_cases_origin ON screening_cases (origin);

-- Every source event on a case, kept as it came: the same person from five sources is one case with five entries.
-- ref names the source's own record (a push and its row, a tube, an assist request) so that a file sent twice adds
-- nothing; payload is the source's words (reason, window, place, symptoms), never an ID number.
CREATE TABLE screening_entries (
    id {{id}},
    case_id BIGINT NOT NULL,
    source TEXT NOT NULL,
    ref TEXT NOT NULL,
    reason TEXT NOT NULL,
    payload TEXT,
    at BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX ux_screening_entries_ref ON screening_entries (source, ref);
CREATE INDEX ix_screening_entries_case ON screening_entries (case_id, at);

-- What happened to a case: verified, decided, handed over, accepted, merged, released — with who and when, for the
-- person's timeline and the case page's history (the event log has the payloads; this is its readable index).
CREATE TABLE screening_steps (
    id {{id}},
    case_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT,
    from_division BIGINT,
    to_division BIGINT,
    account_id BIGINT,
    at BIGINT NOT NULL
);
CREATE INDEX ix_screening_steps_case ON screening_steps (case_id, at);

-- A big-data push (大数据推送) or another file of people: its reason, window and place, and how its rows landed.
CREATE TABLE screening_pushes (
    id {{id}},
    source TEXT NOT NULL,
    reason TEXT NOT NULL,
    priority INTEGER NOT NULL,
    window_from BIGINT,
    window_to BIGINT,
    place TEXT,
    division BIGINT NOT NULL,
    rows_total INTEGER NOT NULL,
    rows_new INTEGER NOT NULL,
    rows_known INTEGER NOT NULL,
    rows_bad INTEGER NOT NULL,
    account_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    finished_at BIGINT
);

-- Every version of the screening rules ever in force, so a decision's version can always be read again.
CREATE TABLE screening_policies (
    version TEXT PRIMARY KEY,
    document TEXT NOT NULL,
    account_id BIGINT,
    created_at BIGINT NOT NULL
);
