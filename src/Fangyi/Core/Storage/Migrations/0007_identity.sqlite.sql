-- Identity (issue 9): a mask that holds, no birth date in clear, ciphertexts bound to their row, and
-- transfer requests (迁入申请) for residents held in another jurisdiction.

-- 130922********123X showed the county and hid only the birth date, which sat in clear beside it: now
-- 130***********123X and no birth date at all (the number's ciphertext holds it for those who may open it).
UPDATE residents SET id_masked = substr(id_masked, 1, 3) || '***********' || substr(id_masked, 15, 4)
WHERE length(id_masked) = 18 AND substr(id_masked, 7, 8) = '********';
ALTER TABLE residents DROP COLUMN birth_date;

-- The append-only event log kept the same pairs. For this one rewrite, and only here, the append-only
-- trigger on UPDATE (migration 0002) is lifted and put back in the same transaction: old resident.upsert
-- payloads lose birthDate and are re-masked, and sample.add payloads' masks likewise. Nothing else changes.
DROP TRIGGER events_no_update;
UPDATE events SET payload = json_remove(payload, '$.birthDate')
WHERE kind = 'resident.upsert' AND json_valid(payload) AND json_type(payload, '$.birthDate') IS NOT NULL;
UPDATE events SET payload = json_set(payload, '$.idMasked',
    substr(json_extract(payload, '$.idMasked'), 1, 3) || '***********' || substr(json_extract(payload, '$.idMasked'), 15, 4))
WHERE kind = 'resident.upsert' AND json_valid(payload)
    AND length(json_extract(payload, '$.idMasked')) = 18 AND substr(json_extract(payload, '$.idMasked'), 7, 8) = '********';
UPDATE events SET payload = json_set(payload, '$.person.masked',
    substr(json_extract(payload, '$.person.masked'), 1, 3) || '***********' || substr(json_extract(payload, '$.person.masked'), 15, 4))
WHERE kind = 'sample.add' AND json_valid(payload)
    AND length(json_extract(payload, '$.person.masked')) = 18 AND substr(json_extract(payload, '$.person.masked'), 7, 8) = '********';
CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events is append-only'); END;
