-- A phone's look-up hash finds its residents: screening sources often name a person by phone alone (a big-data push
-- of phone numbers, a tip), and a million-row push must not scan the registry once per chunk.
CREATE INDEX ix_residents_phone_hash ON residents (phone_hash);
