-- Same trigger name as before (the convention `<table>_append_only`), now on UPDATE only.
DROP TRIGGER IF EXISTS snapshots_append_only ON snapshots;
CREATE TRIGGER snapshots_append_only BEFORE UPDATE ON snapshots FOR EACH ROW EXECUTE FUNCTION koperasi_store_append_only();
