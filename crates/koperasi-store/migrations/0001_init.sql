-- koperasi-store schema version 1: the event log (the truth) and its projections.
-- One template for both dialects: {{int}} is a 64-bit integer, {{bytes}} a byte string,
-- {{strict}} makes SQLite tables STRICT. Every table carries koperasi_id as the leading part
-- of its primary key and there is no foreign key across cooperatives, so one SQLite file per
-- cooperative, one PostgreSQL database per city, and Citus sharding by koperasi_id are
-- deployment choices, not schema changes. Money is integer sen.

-- A cooperative: its configuration (canonical JSON of koperasi::BookConfig). Immutable.
CREATE TABLE koperasi (
    koperasi_id   TEXT NOT NULL,
    name          TEXT NOT NULL,
    village       TEXT NOT NULL,
    opening       TEXT NOT NULL,
    config        TEXT NOT NULL,
    config_sha256 {{bytes}} NOT NULL,
    PRIMARY KEY (koperasi_id)
){{strict}};

-- The log: one row per applied event, its canonical JSON, in order. Append-only.
-- chain = SHA-256(previous chain || body): a row edited behind the triggers' back breaks it.
CREATE TABLE events (
    koperasi_id  TEXT NOT NULL,
    seq          {{int}} NOT NULL,
    date         TEXT NOT NULL,
    actor        TEXT NOT NULL,
    op           TEXT NOT NULL,
    body         TEXT NOT NULL,
    body_sha256  {{bytes}} NOT NULL,
    chain        {{bytes}} NOT NULL,
    idem_key     TEXT,
    first_entry  {{int}} NOT NULL,
    entry_count  {{int}} NOT NULL,
    audit_size   {{int}} NOT NULL,
    audit_root   {{bytes}} NOT NULL,
    PRIMARY KEY (koperasi_id, seq)
){{strict}};
CREATE UNIQUE INDEX events_idem ON events (koperasi_id, idem_key);

-- Projection: journal entries (jurnal) with source and actor. reverses = the entry a
-- reversal reverses (reversed_by is derived from it, so rows never change).
CREATE TABLE entries (
    koperasi_id  TEXT NOT NULL,
    entry_no     {{int}} NOT NULL,
    entry_id     TEXT NOT NULL,
    event_seq    {{int}} NOT NULL,
    date         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    reverses     TEXT,
    memo         TEXT NOT NULL,
    source       TEXT NOT NULL,
    actor        TEXT NOT NULL,
    leaf         {{int}} NOT NULL,
    PRIMARY KEY (koperasi_id, entry_no)
){{strict}};
CREATE UNIQUE INDEX entries_id ON entries (koperasi_id, entry_id);
CREATE INDEX entries_date ON entries (koperasi_id, date, entry_no);
CREATE INDEX entries_event ON entries (koperasi_id, event_seq);

-- Projection: journal lines with dimensions and the account's running totals after the line,
-- so a balance as of any date is one index seek on lines_account.
CREATE TABLE lines (
    koperasi_id  TEXT NOT NULL,
    entry_no     {{int}} NOT NULL,
    idx          {{int}} NOT NULL,
    account      TEXT NOT NULL,
    side         TEXT NOT NULL,
    amount       {{int}} NOT NULL,
    unit         TEXT,
    counterparty TEXT,
    member       TEXT,
    date         TEXT NOT NULL,
    debit_after  {{int}} NOT NULL,
    credit_after {{int}} NOT NULL,
    PRIMARY KEY (koperasi_id, entry_no, idx)
){{strict}};
CREATE INDEX lines_account ON lines (koperasi_id, account, date, entry_no, idx);
CREATE INDEX lines_member ON lines (koperasi_id, member, date, entry_no);

-- Projection: the chart of accounts and which posting role maps to which account.
CREATE TABLE accounts (
    koperasi_id  TEXT NOT NULL,
    code         TEXT NOT NULL,
    name         TEXT NOT NULL,
    class        TEXT NOT NULL,
    PRIMARY KEY (koperasi_id, code)
){{strict}};
CREATE TABLE account_roles (
    koperasi_id  TEXT NOT NULL,
    role         TEXT NOT NULL,
    code         TEXT NOT NULL,
    PRIMARY KEY (koperasi_id, role)
){{strict}};

-- Projection (current state, rewritten as it changes): members and their savings.
CREATE TABLE members (
    koperasi_id   TEXT NOT NULL,
    member_id     TEXT NOT NULL,
    name          TEXT NOT NULL,
    status        TEXT NOT NULL,
    pokok_paid_on TEXT,
    pokok         {{int}} NOT NULL,
    wajib         {{int}} NOT NULL,
    sukarela      {{int}} NOT NULL,
    event_seq     {{int}} NOT NULL,
    PRIMARY KEY (koperasi_id, member_id)
){{strict}};

-- Projection (current state): loans (pinjaman) with outstanding principal and collectibility.
CREATE TABLE loans (
    koperasi_id  TEXT NOT NULL,
    loan_id      TEXT NOT NULL,
    member_id    TEXT NOT NULL,
    principal    {{int}} NOT NULL,
    outstanding  {{int}} NOT NULL,
    status       TEXT NOT NULL,
    class        TEXT NOT NULL,
    event_seq    {{int}} NOT NULL,
    PRIMARY KEY (koperasi_id, loan_id)
){{strict}};

-- The audit log's leaf hashes (RFC 6962 Merkle log of the ledger). Append-only.
CREATE TABLE audit_leaves (
    koperasi_id  TEXT NOT NULL,
    idx          {{int}} NOT NULL,
    hash         {{bytes}} NOT NULL,
    PRIMARY KEY (koperasi_id, idx)
){{strict}};

-- Checkpoints: tree heads (size, root) at an event, with the checkpoint note text and an
-- optional signature. Append-only.
CREATE TABLE checkpoints (
    koperasi_id  TEXT NOT NULL,
    event_seq    {{int}} NOT NULL,
    size         {{int}} NOT NULL,
    root         {{bytes}} NOT NULL,
    note         TEXT NOT NULL,
    PRIMARY KEY (koperasi_id, event_seq)
){{strict}};
