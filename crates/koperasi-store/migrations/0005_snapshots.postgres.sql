-- Append-only, enforced by PostgreSQL: snapshots refuse UPDATE, DELETE and TRUNCATE (the
-- function is schema 1's).
CREATE TRIGGER snapshots_append_only BEFORE UPDATE OR DELETE ON snapshots FOR EACH ROW EXECUTE FUNCTION koperasi_store_append_only();
CREATE TRIGGER snapshots_no_truncate BEFORE TRUNCATE ON snapshots FOR EACH STATEMENT EXECUTE FUNCTION koperasi_store_append_only();
-- The state is stored out of line without TOAST compression: it is read whole on every
-- open, and decompressing megabytes would cost more than the disk it saves.
ALTER TABLE snapshots ALTER COLUMN state SET STORAGE EXTERNAL;
