//! `verify`: replay every cooperative's log and compare every projection and checkpoint.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use koperasi::Koperasi;
use koperasi::core::CooperativeId;
use koperasi::ledger::audit::Checkpoint;
use koperasi::ledger::{EntryKind, Side};

use crate::db::{Conn, Value};
use crate::error::{Error, Result};
use crate::store::{
    Cells, SnapshotInfo, Store, all_loan_rows, all_member_rows, chain_next, parse_event,
    read_config, read_loans, read_members, read_snapshots, sha256, tag,
};

/// The outcome of verifying one cooperative.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct VerifyReport {
    /// The cooperative.
    pub id: CooperativeId,
    /// Its name.
    pub name: String,
    /// Events in its log.
    pub events: u64,
    /// Journal entries after replaying the log.
    pub entries: u64,
    /// The audit root after replaying the log (hex), empty if the replay failed.
    pub audit_root: String,
    /// `true` when the log replays and every projection and checkpoint agrees.
    pub ok: bool,
    /// What differs, one line each.
    pub problems: Vec<String>,
}

fn c<'a>(id: CooperativeId, what: &'static str, row: &'a Vec<Value>) -> Cells<'a> {
    Cells {
        koperasi: id,
        what,
        row,
    }
}

impl Store {
    /// Verifies every cooperative: replays each log from the start (checking each event's
    /// hash chain and the tree head stored with it), then compares every projection table
    /// (entries, lines and their running totals, members, loans, audit leaves), every
    /// checkpoint and every snapshot (tree head, format, integrity of the stored state, and
    /// the state itself against the replayed book at its event) with the replayed book.
    ///
    /// # Errors
    /// A database error. Differences are not errors: they are the reports' `problems`.
    #[doc(alias = "periksa")]
    pub fn verify(&self) -> Result<Vec<VerifyReport>> {
        let ids: Vec<(CooperativeId, String)> = self
            .list_koperasi()?
            .into_iter()
            .map(|k| (k.id, k.name))
            .collect();
        // Cooperatives are independent: verify them on as many threads as there are cores,
        // each with its own connection and read transaction; reports stay in id order.
        let workers = std::thread::available_parallelism()
            .map_or(1, std::num::NonZeroUsize::get)
            .clamp(1, ids.len().max(1));
        let next = AtomicUsize::new(0);
        let results: Mutex<Vec<Option<Result<VerifyReport>>>> =
            Mutex::new(ids.iter().map(|_| None).collect());
        std::thread::scope(|s| {
            for _ in 0..workers {
                s.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some((id, name)) = ids.get(i) else { break };
                        let r = self.verify_koperasi_named(*id, name.clone());
                        if let Some(slot) = results
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .get_mut(i)
                        {
                            *slot = Some(r);
                        }
                    }
                });
            }
        });
        results
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
            .into_iter()
            .map(|r| {
                r.unwrap_or_else(|| Err(Error::InvalidArgument("verification did not run".into())))
            })
            .collect()
    }

    /// Verifies one cooperative (see [`verify`](Self::verify)).
    ///
    /// # Errors
    /// [`Error::UnknownKoperasi`]; a database error.
    pub fn verify_koperasi(&self, id: CooperativeId) -> Result<VerifyReport> {
        let name = self
            .list_koperasi()?
            .into_iter()
            .find(|k| k.id == id)
            .ok_or(Error::UnknownKoperasi(id))?
            .name;
        self.verify_koperasi_named(id, name)
    }

    fn verify_koperasi_named(&self, id: CooperativeId, name: String) -> Result<VerifyReport> {
        self.read_tx(|conn| {
            let mut report = VerifyReport {
                id,
                name,
                events: 0,
                entries: 0,
                audit_root: String::new(),
                ok: false,
                problems: Vec::new(),
            };
            match verify_in(conn, id, &mut report) {
                Ok(()) => {}
                Err(e @ (Error::Database { .. } | Error::ConnectionLost { .. })) => {
                    return Err(e);
                }
                Err(e) => report.problems.push(e.to_string()),
            }
            report.ok = report.problems.is_empty();
            Ok(report)
        })
    }
}

fn verify_in(conn: &mut Conn, id: CooperativeId, report: &mut VerifyReport) -> Result<()> {
    let kid = Value::Text(id.to_string());
    let config = read_config(conn, id)?;
    let mut book = Koperasi::new(config).map_err(|source| Error::Replay {
        koperasi: id,
        seq: 0,
        source,
    })?;
    let problems = &mut report.problems;
    // 1. The log: contiguous, hash-chained, replays, tree heads agree.
    let rows = conn.query(
        "SELECT seq, body, body_sha256, chain, first_entry, entry_count, audit_size, audit_root FROM events WHERE koperasi_id = $1 ORDER BY seq",
        std::slice::from_ref(&kid),
    )?;
    let snapshots = read_snapshots(conn, id, None)?;
    let mut pending_snapshots = snapshots.iter().peekable();
    let mut chain = [0u8; 32];
    let mut event_of_entry: Vec<u64> = Vec::new();
    for (n, row) in rows.iter().enumerate() {
        let r = c(id, "event", row);
        let seq = r.uint(0)?;
        report.events = seq;
        if u64::try_from(n).ok().map(|n| n.saturating_add(1)) != Some(seq) {
            problems.push(format!(
                "event {seq}: the log is not contiguous (expected {})",
                n.saturating_add(1)
            ));
        }
        let body = r.text(1)?;
        let body_sha = sha256(body.as_bytes());
        if r.bytes(2)? != body_sha.as_slice() {
            problems.push(format!(
                "event {seq}: body does not match its SHA-256 (edited)"
            ));
        }
        chain = chain_next(&chain, &body_sha);
        if r.bytes(3)? != chain.as_slice() {
            problems.push(format!("event {seq}: hash chain broken"));
            chain = r.hash(3)?;
        }
        let event = parse_event(id, body)?;
        let before = book.ledger().len();
        book.apply(event).map_err(|source| Error::Replay {
            koperasi: id,
            seq,
            source,
        })?;
        let after = book.ledger().len();
        let head = book.audit_head();
        if (r.uint(4)?, r.uint(5)?)
            != (
                u64::try_from(before).unwrap_or(u64::MAX),
                u64::try_from(after.saturating_sub(before)).unwrap_or(u64::MAX),
            )
        {
            problems.push(format!(
                "event {seq}: stored entry range differs from the replay"
            ));
        }
        if r.uint(6)? != head.size || r.hash(7)? != head.root.0 {
            problems.push(format!(
                "event {seq}: stored tree head differs from the replay"
            ));
        }
        event_of_entry.resize(after, seq);
        while let Some(s) = pending_snapshots.next_if(|s| s.event_seq <= seq) {
            if s.event_seq == seq {
                check_snapshot(conn, id, s, &book, problems)?;
            } else {
                problems.push(format!(
                    "snapshot at event {}: no such event in the log",
                    s.event_seq
                ));
            }
        }
    }
    for s in pending_snapshots {
        problems.push(format!(
            "snapshot at event {}: no such event in the log",
            s.event_seq
        ));
    }
    let ledger = book.ledger();
    report.entries = u64::try_from(ledger.len()).unwrap_or(u64::MAX);
    report.audit_root = book.audit_head().root.to_string();

    // 2. Entries.
    let stored = conn.query(
        "SELECT entry_no, entry_id, event_seq, date, kind, reverses, memo, source, actor, leaf FROM entries WHERE koperasi_id = $1 ORDER BY entry_no",
        std::slice::from_ref(&kid),
    )?;
    if stored.len() != ledger.len() {
        problems.push(format!(
            "entries: {} stored, {} after replay",
            stored.len(),
            ledger.len()
        ));
    }
    for (i, (row, e)) in stored.iter().zip(ledger.entries()).enumerate() {
        let r = c(id, "entry", row);
        let reverses = match e.kind() {
            EntryKind::Reversal { of } => Some(of.to_string()),
            _ => None,
        };
        let same = r.uint(0)? == u64::try_from(i).unwrap_or(u64::MAX)
            && r.text(1)? == e.id().to_string()
            && Some(&r.uint(2)?) == event_of_entry.get(i)
            && r.text(3)? == e.date().to_string()
            && r.text(4)? == tag(&e.kind())?
            && r.opt_text(5)?.map(str::to_owned) == reverses
            && r.text(6)? == e.memo()
            && r.text(7)? == e.source()
            && r.text(8)? == e.actor().to_string()
            && r.uint(9)? == e.leaf();
        if !same {
            problems.push(format!(
                "entry {i} ({}): projection differs from the replay",
                e.id()
            ));
        }
    }

    // 3. Lines and running totals.
    let stored = conn.query(
        "SELECT entry_no, idx, account, side, amount, unit, counterparty, member, date, debit_after, credit_after FROM lines WHERE koperasi_id = $1 ORDER BY entry_no, idx",
        std::slice::from_ref(&kid),
    )?;
    let mut running: BTreeMap<String, (i128, i128)> = BTreeMap::new();
    let mut stored_iter = stored.iter();
    let mut line_problems = 0usize;
    let mut total_lines = 0usize;
    for (i, e) in ledger.entries().enumerate() {
        for (j, l) in e.lines().enumerate() {
            total_lines = total_lines.saturating_add(1);
            let totals = running.entry(l.account.to_string()).or_default();
            let amount = l.amount.to_sen();
            if l.side == Side::Debit {
                totals.0 = totals.0.saturating_add(amount);
            } else {
                totals.1 = totals.1.saturating_add(amount);
            }
            let Some(row) = stored_iter.next() else {
                line_problems = line_problems.saturating_add(1);
                continue;
            };
            let r = c(id, "line", row);
            let same = r.uint(0)? == u64::try_from(i).unwrap_or(u64::MAX)
                && r.uint(1)? == u64::try_from(j).unwrap_or(u64::MAX)
                && r.text(2)? == l.account.as_str()
                && r.text(3)? == if l.side == Side::Debit { "D" } else { "C" }
                && i128::from(r.int(4)?) == amount
                && r.opt_text(5)?.map(str::to_owned) == l.dims.unit.map(|u| tag(&u)).transpose()?
                && r.opt_text(6)?.map(str::to_owned)
                    == l.dims.counterparty.map(|u| tag(&u)).transpose()?
                && r.opt_text(7)?.map(str::to_owned) == l.dims.member.map(|m| m.to_string())
                && r.text(8)? == e.date().to_string()
                && i128::from(r.int(9)?) == totals.0
                && i128::from(r.int(10)?) == totals.1;
            if !same {
                line_problems = line_problems.saturating_add(1);
                if line_problems <= 5 {
                    problems.push(format!("line {i}/{j}: projection differs from the replay"));
                }
            }
        }
    }
    let extra = stored_iter.count();
    if extra > 0 || line_problems > 5 {
        problems.push(format!(
            "lines: {line_problems} of {total_lines} differ, {extra} extra rows"
        ));
    }

    // 4. Audit leaves.
    let stored = conn.query(
        "SELECT idx, hash FROM audit_leaves WHERE koperasi_id = $1 ORDER BY idx",
        std::slice::from_ref(&kid),
    )?;
    let leaves = ledger.audit().leaf_hashes();
    if stored.len() != leaves.len() {
        problems.push(format!(
            "audit leaves: {} stored, {} after replay",
            stored.len(),
            leaves.len()
        ));
    }
    for (i, (row, h)) in stored.iter().zip(leaves).enumerate() {
        let r = c(id, "audit leaf", row);
        if r.uint(0)? != u64::try_from(i).unwrap_or(u64::MAX) || r.bytes(1)? != h.0.as_slice() {
            problems.push(format!("audit leaf {i}: differs from the replay"));
        }
    }

    // 5. Checkpoints against the replayed log.
    let stored = conn.query(
        "SELECT event_seq, size, root, note FROM checkpoints WHERE koperasi_id = $1 ORDER BY event_seq",
        std::slice::from_ref(&kid),
    )?;
    for row in &stored {
        let r = c(id, "checkpoint", row);
        let seq = r.uint(0)?;
        let size = r.uint(1)?;
        let root = r.hash(2)?;
        let expected = ledger.audit().root_at(size).map(|h| h.0);
        let note_ok =
            Checkpoint::parse(r.text(3)?).is_ok_and(|cp| cp.size() == size && cp.root().0 == root);
        if expected.as_ref().ok() != Some(&root) || !note_ok {
            problems.push(format!(
                "checkpoint at event {seq} (size {size}): does not match the replayed audit log"
            ));
        }
    }

    // 6. Members and loans.
    let members: BTreeMap<_, _> = read_members(conn, id)?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    let expected = all_member_rows(&book)?;
    if members != expected {
        let differing = expected
            .iter()
            .filter(|(k, v)| members.get(k) != Some(v))
            .count()
            .saturating_add(members.keys().filter(|k| !expected.contains_key(k)).count());
        problems.push(format!("members: {differing} rows differ from the replay"));
    }
    let loans: BTreeMap<_, _> = read_loans(conn, id)?
        .into_iter()
        .map(|l| (l.id, l))
        .collect();
    if loans != all_loan_rows(&book)? {
        problems.push("loans: projection differs from the replay".into());
    }
    Ok(())
}

/// Compares a stored snapshot with the replayed book at its event: the tree head, the
/// format, the state's integrity (its payload matches its SHA-256), and the state itself —
/// the replayed book serialised again must give the same SHA-256 (a book's snapshot is
/// deterministic, and `from_snapshot ∘ to_snapshot` is the identity:
/// `prop_book_snapshot_roundtrip`). A snapshot that fails any of these is skipped on open.
fn check_snapshot(
    conn: &mut Conn,
    id: CooperativeId,
    s: &SnapshotInfo,
    book: &Koperasi,
    problems: &mut Vec<String>,
) -> Result<()> {
    let at = format!("snapshot at event {}", s.event_seq);
    let head = book.audit_head();
    if s.audit != head {
        problems.push(format!(
            "{at}: stored tree head (size {}) differs from the replay (size {}); it is skipped on open",
            s.audit.size, head.size
        ));
    }
    if s.format != koperasi::BOOK_SNAPSHOT_VERSION {
        problems.push(format!(
            "{at}: format {} is not this build's ({}); it is skipped on open",
            s.format,
            koperasi::BOOK_SNAPSHOT_VERSION
        ));
        return Ok(());
    }
    let rows = conn.query(
        "SELECT state FROM snapshots WHERE koperasi_id = $1 AND event_seq = $2",
        &[
            Value::Text(id.to_string()),
            Value::Int(i64::try_from(s.event_seq).unwrap_or(i64::MAX)),
        ],
    )?;
    let Some(row) = rows.first() else {
        problems.push(format!("{at}: its state cannot be read"));
        return Ok(());
    };
    match Koperasi::check_snapshot_digest(c(id, "snapshot", row).bytes(0)?) {
        Ok(digest) if digest == s.sha256 => {}
        Ok(_) => problems.push(format!(
            "{at}: its state does not carry the recorded SHA-256; it is skipped on open"
        )),
        Err(e) => problems.push(format!("{at}: {e}; it is skipped on open")),
    }
    let replayed = book
        .to_snapshot()
        .and_then(|b| Koperasi::snapshot_sha256(&b))
        .map_err(|e| Error::Snapshot {
            koperasi: id,
            seq: s.event_seq,
            message: e.to_string(),
        })?;
    if replayed != s.sha256 {
        problems.push(format!(
            "{at}: its state differs from the replayed book at that event"
        ));
    }
    Ok(())
}
