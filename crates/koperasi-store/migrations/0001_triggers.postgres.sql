-- Append-only, enforced by PostgreSQL: the log, the configuration and the audit tables refuse
-- UPDATE, DELETE and TRUNCATE.
CREATE FUNCTION koperasi_store_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'koperasi-store: % is append-only', TG_TABLE_NAME USING ERRCODE = 'P0001';
END;
$$;
CREATE TRIGGER koperasi_append_only BEFORE UPDATE OR DELETE ON koperasi FOR EACH ROW EXECUTE FUNCTION koperasi_store_append_only();
CREATE TRIGGER koperasi_no_truncate BEFORE TRUNCATE ON koperasi FOR EACH STATEMENT EXECUTE FUNCTION koperasi_store_append_only();
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events FOR EACH ROW EXECUTE FUNCTION koperasi_store_append_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events FOR EACH STATEMENT EXECUTE FUNCTION koperasi_store_append_only();
CREATE TRIGGER entries_append_only BEFORE UPDATE OR DELETE ON entries FOR EACH ROW EXECUTE FUNCTION koperasi_store_append_only();
CREATE TRIGGER entries_no_truncate BEFORE TRUNCATE ON entries FOR EACH STATEMENT EXECUTE FUNCTION koperasi_store_append_only();
CREATE TRIGGER lines_append_only BEFORE UPDATE OR DELETE ON lines FOR EACH ROW EXECUTE FUNCTION koperasi_store_append_only();
CREATE TRIGGER lines_no_truncate BEFORE TRUNCATE ON lines FOR EACH STATEMENT EXECUTE FUNCTION koperasi_store_append_only();
CREATE TRIGGER audit_leaves_append_only BEFORE UPDATE OR DELETE ON audit_leaves FOR EACH ROW EXECUTE FUNCTION koperasi_store_append_only();
CREATE TRIGGER audit_leaves_no_truncate BEFORE TRUNCATE ON audit_leaves FOR EACH STATEMENT EXECUTE FUNCTION koperasi_store_append_only();
CREATE TRIGGER checkpoints_append_only BEFORE UPDATE OR DELETE ON checkpoints FOR EACH ROW EXECUTE FUNCTION koperasi_store_append_only();
CREATE TRIGGER checkpoints_no_truncate BEFORE TRUNCATE ON checkpoints FOR EACH STATEMENT EXECUTE FUNCTION koperasi_store_append_only();
