-- Identity (issue 9): a mask that holds, no birth date in clear, ciphertexts bound to their row, and
-- transfer requests (迁入申请) for residents held in another jurisdiction.

-- 130922********123X showed the county and hid only the birth date, which sat in clear beside it: now
-- 130***********123X and no birth date at all (the number's ciphertext holds it for those who may open it).
UPDATE residents SET id_masked = substr(id_masked, 1, 3) || '***********' || substr(id_masked, 15, 4)
WHERE length(id_masked) = 18 AND substr(id_masked, 7, 8) = '********';
ALTER TABLE residents DROP COLUMN birth_date;

-- The append-only event log kept the same pairs. For this one rewrite, and only here, the append-only
-- triggers (migration 0002 and any added since) are lifted and put back in the same transaction: old
-- resident.upsert payloads lose birthDate and are re-masked, and sample.add payloads' masks likewise.
ALTER TABLE events DISABLE TRIGGER USER;
UPDATE events SET payload = (payload::jsonb - 'birthDate')::text
WHERE kind = 'resident.upsert' AND payload LIKE '{%' AND payload::jsonb ? 'birthDate';
UPDATE events SET payload = jsonb_set(payload::jsonb, '{idMasked}',
    to_jsonb(substr(payload::jsonb ->> 'idMasked', 1, 3) || '***********' || substr(payload::jsonb ->> 'idMasked', 15, 4)))::text
WHERE kind = 'resident.upsert' AND payload LIKE '{%'
    AND length(payload::jsonb ->> 'idMasked') = 18 AND substr(payload::jsonb ->> 'idMasked', 7, 8) = '********';
UPDATE events SET payload = jsonb_set(payload::jsonb, '{person,masked}',
    to_jsonb(substr(payload::jsonb #>> '{person,masked}', 1, 3) || '***********' || substr(payload::jsonb #>> '{person,masked}', 15, 4)))::text
WHERE kind = 'sample.add' AND payload LIKE '{%'
    AND length(payload::jsonb #>> '{person,masked}') = 18 AND substr(payload::jsonb #>> '{person,masked}', 7, 8) = '********';
ALTER TABLE events ENABLE TRIGGER USER;
