-- Append-only, enforced by PostgreSQL: the server's records refuse UPDATE, DELETE and
-- TRUNCATE (the function is schema 1's).
CREATE TRIGGER server_records_append_only BEFORE UPDATE OR DELETE ON server_records FOR EACH ROW EXECUTE FUNCTION koperasi_store_append_only();
CREATE TRIGGER server_records_no_truncate BEFORE TRUNCATE ON server_records FOR EACH STATEMENT EXECUTE FUNCTION koperasi_store_append_only();
