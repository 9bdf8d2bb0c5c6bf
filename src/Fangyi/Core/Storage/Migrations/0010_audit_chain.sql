-- The audit log is hash-chained: each row stores the hash of the row before it and its own
-- hash = SHA-256(prev_hash || the row's canonical fields), computed by the audit writer (AuditLog) in its
-- group commit. Rows written before this migration have neither and are reported as before the chain.
ALTER TABLE audit_log ADD COLUMN prev_hash {{blob}};
ALTER TABLE audit_log ADD COLUMN hash {{blob}};
