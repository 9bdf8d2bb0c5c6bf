-- Fangyi foundation schema. Placeholders {{id}} and {{blob}} are expanded per store (Core/Store/Dialect.cs).
-- Times are Unix milliseconds (BIGINT); division codes are the 12-digit statistical codes as BIGINT, so a
-- jurisdiction is a numeric range.

CREATE TABLE divisions (
    code BIGINT PRIMARY KEY,
    name TEXT NOT NULL,
    level SMALLINT NOT NULL,
    parent BIGINT
);
CREATE INDEX ix_divisions_parent ON divisions (parent);

CREATE TABLE residents (
    id {{id}},
    doc_type TEXT NOT NULL,
    id_hash {{blob}} NOT NULL,
    id_cipher {{blob}} NOT NULL,
    id_masked TEXT NOT NULL,
    key_id INTEGER NOT NULL,
    name TEXT NOT NULL,
    gender TEXT,
    birth_date TEXT,
    phone_hash {{blob}},
    phone_cipher {{blob}},
    phone_masked TEXT,
    division BIGINT NOT NULL,
    registered BOOLEAN NOT NULL,
    tags TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX ux_residents_id_hash ON residents (id_hash);
CREATE INDEX ix_residents_division ON residents (division, id);
CREATE INDEX ix_residents_name ON residents (name);

CREATE TABLE accounts (
    id {{id}},
    username TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    division BIGINT NOT NULL,
    password_hash TEXT NOT NULL,
    must_change_password BOOLEAN NOT NULL,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until BIGINT NOT NULL DEFAULT 0,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX ux_accounts_username ON accounts (username);
CREATE INDEX ix_accounts_division ON accounts (division);

-- Who read or changed which person's data, when and from where. Append-only: see 0002.
CREATE TABLE audit_log (
    seq {{id}},
    at BIGINT NOT NULL,
    account_id BIGINT,
    username TEXT,
    action TEXT NOT NULL,
    subject_type TEXT,
    subject_id TEXT,
    division BIGINT,
    ip TEXT,
    detail TEXT
);
CREATE INDEX ix_audit_subject ON audit_log (subject_type, subject_id);

-- The event log of the group-committed ingest: every item ever acknowledged, once, by its client-made id,
-- with the outcome that was answered (a repeat gets the same answer). Features keep current state in their
-- own tables, written in the same transaction.
CREATE TABLE events (
    seq {{id}},
    client_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    accepted BOOLEAN NOT NULL,
    division BIGINT NOT NULL,
    account_id BIGINT,
    device_id TEXT,
    at BIGINT NOT NULL,
    recorded_at BIGINT NOT NULL,
    payload TEXT NOT NULL,
    outcome TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_events_client_id ON events (client_id);
