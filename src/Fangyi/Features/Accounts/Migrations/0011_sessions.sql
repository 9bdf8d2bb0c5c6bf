-- Server-side sessions (Accounts). A cookie or bearer ticket carries its session id; the session is checked on
-- every request, so signing out ends the cookie and the token on the server. generation changes on every use of a
-- refresh token: the tickets of the previous generation (access and refresh) stop working.
-- accounts.session_stamp changes on enable, disable, password change and reset: every session begun under
-- another stamp is over.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    account_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    generation TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    ended_at BIGINT
);
CREATE INDEX ix_sessions_account ON sessions (account_id);
ALTER TABLE accounts ADD COLUMN session_stamp TEXT NOT NULL DEFAULT '';
