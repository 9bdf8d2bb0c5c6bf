-- Citizen codes that can be revoked, and checkpoint devices enrolled by a one-time code.
-- printed_codes: every long-lived (printed) citizen code by its own id, so that a reprint or an admin can revoke
-- the earlier ones. code_revocations: the list every host and offline verifier honours; ids and subjects only,
-- no personal data. Hosts poll it by revoked_at.

CREATE TABLE printed_codes (
    code_id TEXT NOT NULL PRIMARY KEY,
    resident_id BIGINT NOT NULL,
    issued_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX ix_printed_codes_resident ON printed_codes (resident_id);

CREATE TABLE code_revocations (
    id {{id}},
    code_id TEXT NOT NULL UNIQUE,
    subject {{blob}} NOT NULL,
    revoked_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX ix_code_revocations_revoked ON code_revocations (revoked_at);

CREATE TABLE device_enrolments (
    id {{id}},
    code_hash {{blob}} NOT NULL UNIQUE,
    device_id BIGINT NOT NULL,
    division BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    account_id BIGINT
);
CREATE INDEX ix_device_enrolments_device ON device_enrolments (device_id);
