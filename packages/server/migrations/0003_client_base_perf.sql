-- Client base performance (bench: 1M contacts, 300k companies on PostgreSQL; see bench/README.md). Indexes only.

-- "Name contains …" in the contacts list is `full_name ILIKE '%…%'`: without a trigram index on full_name it scans
-- the table (the capped count read ~1M rows: ~570 ms); with it a few ms.
CREATE INDEX contact_full_name_trgm_idx ON contact USING gin (full_name gin_trgm_ops) WHERE deleted_at IS NULL;

-- The tags filter (`tags && ARRAY[...]`) had no index on any client table: a 1-in-40 tag on contacts was found by a
-- sequential scan (list page + count ~700 ms → ~320 ms). Mostly empty arrays: the indexes stay small.
CREATE INDEX company_tags_idx ON company USING gin (tags) WHERE deleted_at IS NULL;
CREATE INDEX contact_tags_idx ON contact USING gin (tags) WHERE deleted_at IS NULL;
CREATE INDEX lead_tags_idx ON lead USING gin (tags) WHERE deleted_at IS NULL;
