//! # koperasi-store — durable books on SQLite (embedded default) and PostgreSQL
//!
//! A cooperative's book ([`koperasi::Koperasi`]) lives in memory; this crate makes it
//! durable. **The log is the truth**: every applied [`Event`](koperasi::Event) is stored as
//! its canonical JSON in an append-only `events` table, in the same transaction as the
//! *projections* derived from the book after applying it — journal entries and lines with
//! source, actor, dimensions and per-account running totals (a balance as of any date is one
//! index seek), members and their savings, loans, the audit log's leaves, and tree heads
//! (checkpoints). Projections can always be rebuilt from the log, and `verify` compares them.
//!
//! * [`Store::open`] takes a SQLite path or a `postgres://` URL and applies the versioned
//!   migrations (a database of a newer schema version is refused).
//! * [`Store::create_koperasi`], [`Store::list_koperasi`], [`Store::config`].
//! * [`Store::append`] (one operation, idempotent with a client key) and
//!   [`Store::commit_group`] (group commit: many operations, one transaction, each
//!   acknowledged only after the commit); [`Store::group_committer`] batches operations
//!   submitted from many threads into such groups.
//! * [`Store::load`] / [`Store::with_book`] (cached book + tail replay; not cached: the
//!   latest usable snapshot + tail replay), [`Store::replay`] (full replay);
//!   [`Store::snapshot`] / [`Store::snapshots`] and [`Options::snapshot_every`] (a snapshot of
//!   the book every 5,000 events by default, in the transaction of the event it follows;
//!   the newest [`Options::snapshots_kept`] of each cooperative are kept, 2 by default;
//!   with [`SnapshotTiming::Deferred`] the commit only marks them due and
//!   [`Store::write_due_snapshots`] writes them when the caller chooses).
//! * Queries that load no book: [`Store::balance`], [`Store::balances`],
//!   [`Store::entries`] (paginated, by account/member/date), [`Store::members`],
//!   [`Store::loans`], [`Store::monitoring`] (figures of every cooperative as of a date).
//! * [`Store::verify`]: replays every log and compares every projection, checkpoint and
//!   snapshot
//!   (cooperatives in parallel, one thread per core).
//! * [`Store::export_json_lines`] / [`Store::import_json_lines`]: the umbrella's portable
//!   JSON Lines format.
//!
//! ```
//! use koperasi::core::{ActorId, CooperativeId, Rupiah};
//! use koperasi::core::chrono::NaiveDate;
//! use koperasi::membership::Role;
//! use koperasi::{BookConfig, CapitalKind, Event, Operation, Via};
//! use koperasi_store::Store;
//!
//! let dir = std::env::temp_dir().join(format!("koperasi-store-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//! let path = dir.join("koperasi.db");
//! # let _ = std::fs::remove_file(&path);
//! let store = Store::open(path.to_str().unwrap())?;
//!
//! let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
//! let bendahara = ActorId::from_u128(2);
//! let config = BookConfig::kkmp(
//!     CooperativeId::from_u128(1), "KKMP Mangunharjo", "35.74.04.1002".parse()?, d(1, 1),
//!     vec![(bendahara, Role::Treasurer)],
//! );
//! let id = store.create_koperasi(&config)?;
//! let grant = Event::new(d(1, 2), bendahara, Operation::Capital {
//!     kind: CapitalKind::Grant, amount: Rupiah::from_rupiah(50_000_000), via: Via::Bank,
//! });
//! let first = store.append(id, grant.clone(), Some("hibah-2026-01"))?;
//! // A retry with the same key returns the original result and writes nothing.
//! let again = store.append(id, grant, Some("hibah-2026-01"))?;
//! assert!(again.replayed && again.seq == first.seq);
//!
//! // The bank balance as of a date, from the projections (one index seek).
//! let bank = store.load(id)?.code(koperasi::PostingRole::Bank);
//! assert_eq!(store.balance(id, &bank, d(1, 31))?.debit, Rupiah::from_rupiah(50_000_000));
//! // A full replay of the stored log gives the same book.
//! assert_eq!(store.replay(id)?.audit_head(), store.load(id)?.audit_head());
//! # drop(store); let _ = std::fs::remove_dir_all(&dir);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Sync API, async servers
//!
//! The API is synchronous (`rusqlite` and the `postgres` client), chosen so the crate keeps
//! the workspace's MSRV 1.89 (`sqlx` 0.9 needs 1.94); see `docs/decisions.md`. [`Store`] is
//! `Send + Sync + Clone`: an axum/tokio server shares one and calls it inside
//! `tokio::task::spawn_blocking`. Each call takes a connection from a small pool; writers on
//! different cooperatives run in parallel on PostgreSQL (a transaction-scoped advisory lock
//! per cooperative) and are serialised by SQLite's single writer (`BEGIN IMMEDIATE`), which
//! is why [`Store::commit_group`] exists.
//!
//! ## Durability
//!
//! SQLite: WAL, `synchronous=FULL`, `BEGIN IMMEDIATE`. PostgreSQL: the server's defaults
//! (`fsync=on`, `synchronous_commit=on`), `READ COMMITTED` writes under
//! `pg_advisory_xact_lock`. The database refuses UPDATE and DELETE (and TRUNCATE on
//! PostgreSQL) of the log, the configuration, the journal projections and the audit tables.
//! An operation is acknowledged only after its commit returned. See `docs/storage.md`.
//!
//! ## Projections never match on operations
//!
//! The store treats [`Event`](koperasi::Event) through serde and derives every projection
//! from the book after applying. Members and loans are refreshed when the event names them
//! (a `member` or `loan` key anywhere in its JSON, or a line's member dimension) and all of
//! them when it names none; only changed rows are written.
#![deny(missing_docs)]
// Product names (SQLite, PostgreSQL) read better without backticks in prose.
#![allow(clippy::doc_markdown)]
#![warn(unreachable_pub)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

mod db;
mod error;
mod group;
mod schema;
mod server_tables;
mod store;
mod verify;

pub use error::{Backend, Error, Result};
pub use group::{GroupCommitter, Pending};
pub use schema::SCHEMA_VERSION;
pub use server_tables::ServerRecord;
pub use store::{
    Appended, EntryFilter, KoperasiInfo, LoanRow, MemberRow, Monitoring, Options, Request,
    SnapshotInfo, SnapshotTiming, Store, StoredEntry, StoredEvent, StoredLine, Totals,
};
