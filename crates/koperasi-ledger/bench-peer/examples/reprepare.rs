//! Which of koperasi-store's SQLite queries are re-prepared on every execution, and what that
//! costs: its migration files are applied to an in-memory database (empty tables), each query
//! is run 20,000 times through rusqlite's statement cache, once as the store's connections
//! are set up today and once with `SQLITE_DBCONFIG_ENABLE_QPSG` (the query planner stability
//! guarantee: no plan depends on a bound value). `sqlite3_stmt_status(REPREPARE)` counts the
//! re-prepares.
//!
//! `cargo run --release --example reprepare` (from `crates/koperasi-ledger/bench-peer`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Instant;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, StatementStatus};

const MIGRATIONS: [&str; 6] = [
    include_str!("../../../koperasi-store/migrations/0001_init.sql"),
    include_str!("../../../koperasi-store/migrations/0001_triggers.sqlite.sql"),
    include_str!("../../../koperasi-store/migrations/0002_active_accounts.sql"),
    include_str!("../../../koperasi-store/migrations/0003_lean_indexes.sql"),
    include_str!("../../../koperasi-store/migrations/0004_server_records.sql"),
    include_str!("../../../koperasi-store/migrations/0004_server_records.sqlite.sql"),
];

/// The queries, as koperasi-store runs them (`$n` written `?n`).
const QUERIES: [(&str, &str, &[&str]); 4] = [
    (
        "sync() head, once per cooperative per commit",
        "SELECT seq, chain FROM events WHERE koperasi_id = ?1 ORDER BY seq DESC LIMIT 1",
        &["k"],
    ),
    (
        "Store::balance",
        "SELECT debit_after, credit_after FROM lines WHERE koperasi_id = ?1 AND account = ?2 AND date <= ?3 ORDER BY date DESC, entry_no DESC, idx DESC LIMIT 1",
        &["k", "1-1-01", "2026-12-31"],
    ),
    (
        "Store::balances (trial balance)",
        "SELECT x.account, l.debit_after, l.credit_after FROM (SELECT a.account, (SELECT l.entry_no * 1048576 + l.idx FROM lines l WHERE l.koperasi_id = a.koperasi_id AND l.account = a.account AND l.date <= ?2 ORDER BY l.date DESC, l.entry_no DESC, l.idx DESC LIMIT 1) AS k FROM active_accounts a WHERE a.koperasi_id = ?1) x CROSS JOIN lines l WHERE l.koperasi_id = ?1 AND l.entry_no = x.k / 1048576 AND l.idx = x.k % 1048576 ORDER BY x.account",
        &["k", "2026-12-31"],
    ),
    (
        "idempotency lookup, once per keyed operation",
        "SELECT seq, body_sha256, first_entry, entry_count, audit_size, audit_root FROM events WHERE koperasi_id = ?1 AND idem_key = ?2",
        &["k", "x"],
    ),
];

const RUNS: u32 = 20_000;

fn main() {
    println!("SQLite {}", rusqlite::version());
    for qpsg in [false, true] {
        let c = Connection::open_in_memory().unwrap();
        c.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, qpsg)
            .unwrap();
        for sql in MIGRATIONS {
            let sql = sql
                .replace("{{int}}", "INTEGER")
                .replace("{{bytes}}", "BLOB")
                .replace("{{strict}}", " STRICT");
            c.execute_batch(&sql).unwrap();
        }
        println!("QPSG {}:", if qpsg { "on" } else { "off (as today)" });
        for (name, sql, params) in QUERIES {
            let start = Instant::now();
            for _ in 0..RUNS {
                let mut st = c.prepare_cached(sql).unwrap();
                let mut rows = st.query(rusqlite::params_from_iter(params)).unwrap();
                while rows.next().unwrap().is_some() {}
            }
            let per_run = start.elapsed().as_secs_f64() * 1e6 / f64::from(RUNS);
            let st = c.prepare_cached(sql).unwrap();
            println!(
                "  {name}: re-prepared {} of {RUNS} runs, {per_run:.1} µs per run",
                st.get_status(StatementStatus::RePrepare)
            );
        }
    }
}
