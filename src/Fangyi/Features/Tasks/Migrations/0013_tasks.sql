-- The village worker's to-do list: one row per person and thing to do (a single-tube retest, a re-sample, a
-- door-to-door visit), routed to the village of the person's residence, with a due time and a state. Other
-- capabilities open, cancel and close tasks through Tasks' public API (TaskBoard), never by naming this table.
-- The rows of Sampling's retest_tasks move here at the first start after this migration (Sampling's
-- RetestTasksMove, through TaskBoard), which keeps every table's SQL with its owner.
CREATE TABLE tasks (
    id {{id}},
    kind TEXT NOT NULL,
    resident_id BIGINT NOT NULL,
    division BIGINT NOT NULL,
    source TEXT NOT NULL,
    due_at BIGINT NOT NULL,
    state TEXT NOT NULL,
    reason TEXT,
    note TEXT,
    notified_at BIGINT,
    created_at BIGINT NOT NULL,
    closed_by BIGINT,
    closed_at BIGINT
);
CREATE INDEX ix_tasks_division ON tasks (division, state, due_at);
CREATE INDEX ix_tasks_resident ON tasks (resident_id, state);
CREATE INDEX ix_tasks_source ON tasks (source, kind);
-- One door-to-door task per person and round, however often an admin asks for them.
CREATE UNIQUE INDEX ux_tasks_door_to_door ON tasks (source, resident_id) WHERE kind = 'door_to_door';
