-- Append-only, enforced by SQLite: snapshots refuse UPDATE and DELETE, like the log.
CREATE TRIGGER snapshots_no_update BEFORE UPDATE ON snapshots BEGIN SELECT RAISE(ABORT, 'koperasi-store: snapshots is append-only'); END;
CREATE TRIGGER snapshots_no_delete BEFORE DELETE ON snapshots BEGIN SELECT RAISE(ABORT, 'koperasi-store: snapshots is append-only'); END;
