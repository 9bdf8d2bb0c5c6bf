-- Identity (issue 9), both stores. A row here asks the host for a one-time step that needs the keys
-- (Features/Residents/IdentityReprotect.cs): every resident ciphertext sealed again, bound to its row.
CREATE TABLE reprotect_pending (step TEXT PRIMARY KEY);
INSERT INTO reprotect_pending (step) VALUES ('resident_ciphers_bound');

-- A resident write that names a person held outside the writer's jurisdiction (迁入申请). The requested
-- fields wait here until the holding side or a common parent accepts; the phone stays protected, bound to the
-- person's look-up hash as it was when asked (id_hash), and is applied only if that still holds.
CREATE TABLE resident_transfers (
    id {{id}},
    resident_id BIGINT NOT NULL,
    from_division BIGINT NOT NULL,
    to_division BIGINT NOT NULL,
    name TEXT NOT NULL,
    id_hash {{blob}} NOT NULL,
    phone_hash {{blob}},
    phone_cipher {{blob}},
    phone_masked TEXT,
    registered BOOLEAN,
    tags TEXT NOT NULL DEFAULT '',
    requested_by BIGINT,
    state TEXT NOT NULL,
    decided_by BIGINT,
    requested_at BIGINT NOT NULL,
    decided_at BIGINT
);
CREATE INDEX ix_resident_transfers_from ON resident_transfers (from_division, id);
CREATE INDEX ix_resident_transfers_to ON resident_transfers (to_division, id);
CREATE INDEX ix_resident_transfers_resident ON resident_transfers (resident_id, state);
