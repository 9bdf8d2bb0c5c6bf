-- "Was this person already sampled in this round?" is asked for every registration. With only the round's
-- index, SQLite walked every sample of the round to answer it, so registrations slowed as the round filled.
CREATE INDEX ix_samples_round_resident ON samples (round_id, resident_id);
