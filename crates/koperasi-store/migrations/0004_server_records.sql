-- koperasi-store schema part 4 (koperasi-server): the server's own durable state, as an
-- append-only journal of JSON records by kind — mentoring findings and their follow-ups
-- (`finding`), users with their Argon2id hashes (`user`: the latest record of a user name is
-- in force). Written and read through `Store::append_server_record` / `Store::server_records`
-- (src/server_tables.rs), which create the table if it is missing (idempotent SQL).
CREATE TABLE IF NOT EXISTS server_records (
    kind        TEXT NOT NULL,
    seq         {{int}} NOT NULL,
    record_key  TEXT NOT NULL,
    author      TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    body        TEXT NOT NULL,
    PRIMARY KEY (kind, seq)
){{strict}};
CREATE INDEX IF NOT EXISTS server_records_key ON server_records (kind, record_key, seq);
