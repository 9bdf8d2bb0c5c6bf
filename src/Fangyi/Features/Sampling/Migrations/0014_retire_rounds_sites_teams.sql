-- Rounds, sites and teams are edited and retired rather than deleted: a retired one keeps its history (boxes,
-- tubes and samples name it) but takes no new boxes and leaves the samplers' lists.
ALTER TABLE rounds ADD COLUMN retired_at BIGINT;
ALTER TABLE sites ADD COLUMN retired_at BIGINT;
ALTER TABLE teams ADD COLUMN retired_at BIGINT;
