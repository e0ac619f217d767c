-- Append-only, enforced by SQLite: the log, the configuration and the audit tables refuse
-- UPDATE and DELETE (REPLACE is a DELETE + INSERT and fires the DELETE trigger because the
-- store turns recursive_triggers on).
CREATE TRIGGER koperasi_no_update BEFORE UPDATE ON koperasi BEGIN SELECT RAISE(ABORT, 'koperasi-store: koperasi is append-only'); END;
CREATE TRIGGER koperasi_no_delete BEFORE DELETE ON koperasi BEGIN SELECT RAISE(ABORT, 'koperasi-store: koperasi is append-only'); END;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'koperasi-store: events is append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'koperasi-store: events is append-only'); END;
CREATE TRIGGER entries_no_update BEFORE UPDATE ON entries BEGIN SELECT RAISE(ABORT, 'koperasi-store: entries is append-only'); END;
CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries BEGIN SELECT RAISE(ABORT, 'koperasi-store: entries is append-only'); END;
CREATE TRIGGER lines_no_update BEFORE UPDATE ON lines BEGIN SELECT RAISE(ABORT, 'koperasi-store: lines is append-only'); END;
CREATE TRIGGER lines_no_delete BEFORE DELETE ON lines BEGIN SELECT RAISE(ABORT, 'koperasi-store: lines is append-only'); END;
CREATE TRIGGER audit_leaves_no_update BEFORE UPDATE ON audit_leaves BEGIN SELECT RAISE(ABORT, 'koperasi-store: audit_leaves is append-only'); END;
CREATE TRIGGER audit_leaves_no_delete BEFORE DELETE ON audit_leaves BEGIN SELECT RAISE(ABORT, 'koperasi-store: audit_leaves is append-only'); END;
CREATE TRIGGER checkpoints_no_update BEFORE UPDATE ON checkpoints BEGIN SELECT RAISE(ABORT, 'koperasi-store: checkpoints is append-only'); END;
CREATE TRIGGER checkpoints_no_delete BEFORE DELETE ON checkpoints BEGIN SELECT RAISE(ABORT, 'koperasi-store: checkpoints is append-only'); END;
