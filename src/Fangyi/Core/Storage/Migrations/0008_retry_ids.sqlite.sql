-- Retry ids belong to their sender (issue 9, finding 3). A client id is one write per principal (the account,
-- 'a:{id}', or the device, 'd:{id}'), not one write city-wide; the fingerprint (SHA-256 of the kind, the payload
-- and whatever the submitter adds) tells a retry from a reuse of the id for something else. A refusal for a state
-- that can change (box not yet received) is logged with final = FALSE: it is what happened, but not the answer to
-- later tries, so the unique index and the repeat look-up cover final rows only. The index leads with client_id
-- because the ingest looks a batch's ids up in one query and keeps the rows of the items' own principals.
ALTER TABLE events ADD COLUMN principal TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN fingerprint TEXT;
ALTER TABLE events ADD COLUMN final BOOLEAN NOT NULL DEFAULT TRUE;

-- The one rewrite of the log: existing rows get their principal, and the transient refusals stored before this
-- migration stop blocking their ids. The append-only trigger is lifted for this UPDATE only and re-created as
-- 0002 made it, in the same transaction.
DROP TRIGGER events_no_update;
UPDATE events SET
    principal = CASE WHEN account_id IS NOT NULL THEN 'a:' || account_id WHEN device_id IS NOT NULL THEN 'd:' || device_id ELSE '' END,
    final = CASE WHEN accepted = FALSE AND (outcome LIKE '%"code":"tube_not_received"%' OR outcome LIKE '%"code":"box_not_sealed"%'
        OR outcome LIKE '%"code":"box_not_picked_up"%' OR outcome LIKE '%"code":"box_not_in_transit"%' OR outcome LIKE '%"code":"box_has_open_tube"%'
        OR outcome LIKE '%"code":"box_empty"%' OR outcome LIKE '%"code":"tube_empty"%') THEN FALSE ELSE TRUE END;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events is append-only'); END;

DROP INDEX ux_events_client_id;
CREATE UNIQUE INDEX ux_events_client_id_principal ON events (client_id, principal) WHERE final;
