-- koperasi-store schema version 2: the accounts of each cooperative that have lines, so
-- balance queries over many cooperatives seek only accounts with activity.
CREATE TABLE active_accounts (
    koperasi_id  TEXT NOT NULL,
    account      TEXT NOT NULL,
    PRIMARY KEY (koperasi_id, account)
){{strict}};
INSERT INTO active_accounts (koperasi_id, account)
    SELECT DISTINCT koperasi_id, account FROM lines;
