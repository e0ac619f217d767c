-- Append-only, enforced by SQLite: the server's records (findings, follow-ups, users) refuse
-- UPDATE and DELETE, like the log (a user's change is a new record; the latest is in force).
CREATE TRIGGER server_records_no_update BEFORE UPDATE ON server_records BEGIN SELECT RAISE(ABORT, 'koperasi-store: server_records is append-only'); END;
CREATE TRIGGER server_records_no_delete BEFORE DELETE ON server_records BEGIN SELECT RAISE(ABORT, 'koperasi-store: server_records is append-only'); END;
