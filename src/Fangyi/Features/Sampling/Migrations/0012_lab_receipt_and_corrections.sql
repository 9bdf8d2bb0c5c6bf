-- The lab's desk: a received box is reconciled tube by tube, and what did not match (a tube missing, one more
-- than listed, one broken) is kept with the box; a box is done when every tube it holds has a result or was
-- refused. A result set right later keeps the wrong one beside it, with who changed it and why.
ALTER TABLE boxes ADD COLUMN reconciled_at BIGINT;
ALTER TABLE boxes ADD COLUMN tubes_done BIGINT NOT NULL DEFAULT 0;
UPDATE boxes SET tubes_done = (SELECT COUNT(*) FROM tubes WHERE tubes.box_code = boxes.code AND tubes.state = 'resulted');

CREATE TABLE box_discrepancies (
    id {{id}},
    box_code TEXT NOT NULL,
    tube_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    account_id BIGINT,
    recorded_at BIGINT NOT NULL
);
CREATE INDEX ix_box_discrepancies_box ON box_discrepancies (box_code);

CREATE TABLE result_corrections (
    id {{id}},
    tube_code TEXT NOT NULL,
    old_result TEXT NOT NULL,
    old_ct REAL,
    new_result TEXT NOT NULL,
    new_ct REAL,
    reason TEXT NOT NULL,
    account_id BIGINT,
    corrected_at BIGINT NOT NULL
);
CREATE INDEX ix_result_corrections_tube ON result_corrections (tube_code);

-- The lab's worklist asks for the boxes and tubes at the lab and nothing else: small partial indexes, so the
-- sampler's writes to the big tables pay nothing for tubes still being filled.
CREATE INDEX ix_boxes_at_lab ON boxes (received_at) WHERE state IN ('received', 'testing', 'done');
CREATE INDEX ix_tubes_awaiting_result ON tubes (received_at) WHERE state = 'received';
