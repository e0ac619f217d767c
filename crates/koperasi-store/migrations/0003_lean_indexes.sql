-- koperasi-store schema version 3: fewer index writes per operation.
-- * The idempotency index holds only the events that carry a key (most do not).
-- * The member index of lines holds only lines with a member dimension.
-- * entries_event is dropped: an event's entries are found by its stored entry range
--   (events.first_entry, entry_count) on the primary key of entries.
-- Queries `idem_key = $n` and `member = $n` imply NOT NULL, so both databases use the
-- partial indexes for them.
DROP INDEX events_idem;
CREATE UNIQUE INDEX events_idem ON events (koperasi_id, idem_key) WHERE idem_key IS NOT NULL;
DROP INDEX lines_member;
CREATE INDEX lines_member ON lines (koperasi_id, member, date, entry_no) WHERE member IS NOT NULL;
DROP INDEX entries_event;
