//! `koperasi store import|export|verify|snapshot`: the durable store (`koperasi-store`) on SQLite
//! (a file path, default `koperasi.db`) or PostgreSQL (`postgres://…`).

// Help text shows doc comments verbatim: product names stay without backticks.
#![allow(clippy::doc_markdown)]

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use koperasi::Koperasi;
use koperasi::core::CooperativeId;
use koperasi_store::{Request, Store};

use crate::output::{CliError, Output};

/// The default SQLite file of `--db`.
pub(crate) const DEFAULT_DB: &str = "koperasi.db";

#[derive(Debug, Subcommand)]
pub(crate) enum StoreCommand {
    /// Import JSON Lines event logs (as saved by a book) into the store; re-importing the
    /// same file appends nothing.
    Import {
        /// The store: a SQLite file path or a postgres:// URL.
        #[arg(long, default_value = DEFAULT_DB)]
        db: String,
        /// The JSON Lines files, one cooperative each.
        #[arg(required = true, num_args = 1..)]
        files: Vec<PathBuf>,
    },
    /// Export one cooperative's event log as JSON Lines (to stdout, or to --out).
    Export {
        /// The store: a SQLite file path or a postgres:// URL.
        #[arg(long, default_value = DEFAULT_DB)]
        db: String,
        /// The cooperative's id (a UUID, as `store verify` lists them).
        #[arg(long)]
        koperasi: String,
        /// Write to this file instead of stdout.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Replay every cooperative and check every projection and checkpoint against its log;
    /// exit 1 if anything differs.
    Verify {
        /// The store: a SQLite file path or a postgres:// URL.
        #[arg(long, default_value = DEFAULT_DB)]
        db: String,
    },
    /// Write a snapshot of a cooperative's book (of every cooperative without --koperasi) at
    /// its latest event, so that opening it replays only later events. The store also writes
    /// one every 5,000 events by itself.
    Snapshot {
        /// The store: a SQLite file path or a postgres:// URL.
        #[arg(long, default_value = DEFAULT_DB)]
        db: String,
        /// The cooperative's id (a UUID, as `store verify` lists them); all when absent.
        #[arg(long)]
        koperasi: Option<String>,
    },
}

fn open(db: &str) -> Result<Store, CliError> {
    Store::open(db).map_err(|e| CliError::new("store_open", format!("{db}: {e}")))
}

fn store_error(e: koperasi_store::Error) -> CliError {
    CliError::input(e)
}

pub(crate) fn run(cmd: &StoreCommand, out: &Output) -> Result<ExitCode, CliError> {
    match cmd {
        StoreCommand::Import { db, files } => {
            let store = open(db)?;
            let mut imported = Vec::new();
            for f in files {
                let text = std::fs::read_to_string(f).map_err(|e| CliError::io(f, &e))?;
                let id = store.import_json_lines(&text).map_err(|e| {
                    CliError::new(crate::output::kind_of(&e), format!("{}: {e}", f.display()))
                })?;
                let events = store
                    .list_koperasi()
                    .map_err(store_error)?
                    .into_iter()
                    .find(|k| k.id == id)
                    .map_or(0, |k| k.events);
                imported.push((f.display().to_string(), id, events));
            }
            out.emit(
                &serde_json::json!({
                    "imported": imported.iter().map(|(f, id, n)| serde_json::json!({
                        "file": f, "id": id.to_string(), "events": n,
                    })).collect::<Vec<_>>(),
                }),
                || {
                    imported
                        .iter()
                        .map(|(f, id, n)| format!("{f}: koperasi {id}, {n} kejadian tersimpan"))
                        .collect::<Vec<_>>()
                        .join("\n")
                },
            );
            Ok(ExitCode::SUCCESS)
        }
        StoreCommand::Export {
            db,
            koperasi,
            out: path,
        } => {
            let id: CooperativeId = koperasi.parse().map_err(|e| {
                CliError::usage(
                    "invalid_koperasi_id",
                    format!("--koperasi {koperasi:?}: {e}"),
                )
            })?;
            let store = open(db)?;
            let text = store.export_json_lines(id).map_err(store_error)?;
            match path {
                Some(p) => {
                    std::fs::write(p, &text).map_err(|e| CliError::io(p, &e))?;
                    out.note(&format!("{} ditulis", p.display()));
                }
                None => out.line(text.trim_end()),
            }
            Ok(ExitCode::SUCCESS)
        }
        StoreCommand::Verify { db } => {
            let store = open(db)?;
            let reports = store.verify().map_err(store_error)?;
            let ok = reports.iter().all(|r| r.ok);
            out.emit(
                &serde_json::json!({ "ok": ok, "cooperatives": reports }),
                || {
                    let mut lines: Vec<String> = reports
                        .iter()
                        .map(|r| {
                            let mut s = format!(
                                "{} {} ({}): {} kejadian, {} jurnal, akar audit {}",
                                if r.ok { "OK   " } else { "GAGAL" },
                                r.id,
                                r.name,
                                r.events,
                                r.entries,
                                r.audit_root
                            );
                            for p in &r.problems {
                                s.push_str("\n      ");
                                s.push_str(p);
                            }
                            s
                        })
                        .collect();
                    lines.push(format!(
                        "{} koperasi diperiksa: {}",
                        reports.len(),
                        if ok {
                            "semua cocok"
                        } else {
                            "ADA YANG BERBEDA"
                        }
                    ));
                    lines.join("\n")
                },
            );
            Ok(if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(crate::output::EXIT_FAILURE)
            })
        }
        StoreCommand::Snapshot { db, koperasi } => snapshot(db, koperasi.as_deref(), out),
    }
}

/// `store snapshot`: one snapshot per cooperative (those without events are left out).
fn snapshot(db: &str, koperasi: Option<&str>, out: &Output) -> Result<ExitCode, CliError> {
    let store = open(db)?;
    let ids: Vec<(CooperativeId, u64)> = match koperasi {
        Some(k) => {
            let id: CooperativeId = k.parse().map_err(|e| {
                CliError::usage("invalid_koperasi_id", format!("--koperasi {k:?}: {e}"))
            })?;
            let events = store
                .list_koperasi()
                .map_err(store_error)?
                .into_iter()
                .find(|x| x.id == id)
                .map(|x| x.events)
                .ok_or_else(|| store_error(koperasi_store::Error::UnknownKoperasi(id)))?;
            vec![(id, events)]
        }
        None => store
            .list_koperasi()
            .map_err(store_error)?
            .into_iter()
            .map(|x| (x.id, x.events))
            .collect(),
    };
    let mut written = Vec::new();
    for (id, events) in ids {
        if events == 0 {
            continue;
        }
        written.push((id, store.snapshot(id).map_err(store_error)?));
    }
    out.emit(
        &serde_json::json!({
            "snapshots": written.iter().map(|(id, s)| serde_json::json!({
                "id": id.to_string(),
                "event_seq": s.event_seq,
                "audit_size": s.audit.size,
                "audit_root": s.audit.root.to_string(),
                "bytes": s.bytes,
            })).collect::<Vec<_>>(),
        }),
        || {
            written
                .iter()
                .map(|(id, s)| {
                    format!(
                        "koperasi {id}: cuplikan pada kejadian {}, {} bait, akar audit {}",
                        s.event_seq, s.bytes, s.audit.root
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        },
    );
    Ok(ExitCode::SUCCESS)
}

/// Writes simulated books into the store at `db` (for `koperasi demo --db`): each book's
/// configuration and events, 1,000 events per transaction. Returns how many events were
/// stored.
pub(crate) fn write_books<'a>(
    db: &str,
    books: impl IntoIterator<Item = &'a Koperasi>,
) -> Result<u64, CliError> {
    let store = open(db)?;
    let mut total = 0u64;
    for book in books {
        let id = store.create_koperasi(book.config()).map_err(store_error)?;
        let stored = store
            .list_koperasi()
            .map_err(store_error)?
            .into_iter()
            .find(|k| k.id == id)
            .map_or(0, |k| k.events);
        let skip = usize::try_from(stored).unwrap_or(usize::MAX);
        for chunk in book.events().get(skip..).unwrap_or(&[]).chunks(1_000) {
            let reqs: Vec<Request> = chunk.iter().map(|e| Request::new(id, e.clone())).collect();
            for r in store.commit_group(&reqs).map_err(store_error)? {
                r.map_err(store_error)?;
                total = total.saturating_add(1);
            }
        }
    }
    Ok(total)
}
