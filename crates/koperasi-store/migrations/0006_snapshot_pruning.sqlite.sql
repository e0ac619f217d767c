DROP TRIGGER IF EXISTS snapshots_no_delete;
