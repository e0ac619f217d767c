-- koperasi-store schema part 5: snapshots of a cooperative's book, so that opening it loads
-- the latest snapshot and replays only the events after it. A snapshot is written in the
-- same transaction as the event it follows (every `Options::snapshot_every` events, and by
-- `Store::snapshot`). It is used only if its tree head equals the stored event row's at
-- `event_seq` and its state matches `state_sha256`; anything else is skipped (the next older
-- snapshot, or a full replay) and reported by `verify`.
--   format        the book snapshot layout version (`koperasi::BOOK_SNAPSHOT_VERSION`)
--   state_sha256  the SHA-256 of the payload (as in the state's header)
--   state         `Koperasi::to_snapshot` bytes (header, SHA-256, payload)
CREATE TABLE IF NOT EXISTS snapshots (
    koperasi_id  TEXT NOT NULL,
    event_seq    {{int}} NOT NULL,
    audit_size   {{int}} NOT NULL,
    audit_root   {{bytes}} NOT NULL,
    format       {{int}} NOT NULL,
    state_sha256 {{bytes}} NOT NULL,
    -- last: SQLite reads the columns of a row in order, and the state (megabytes, in
    -- overflow pages) must not be walked to read the metadata before it
    state        {{bytes}} NOT NULL,
    PRIMARY KEY (koperasi_id, event_seq)
){{strict}};
