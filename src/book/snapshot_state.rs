//! Book snapshots (feature `serde`): a book's whole state as bytes, and back, so that a store
//! can open a cooperative from its latest snapshot and replay only the events after it.
//!
//! Layout:
//!
//! ```text
//! "KOPSNAP\0"  u32 version (2)  SHA-256 of the payload (32 bytes)
//! payload: u64 n, the ledger's own snapshot (n bytes, `Ledger::to_snapshot`),
//!          u64 m, the event log as MessagePack (m bytes; tuples format, date, actor, op),
//!          the rest of the state as MessagePack (serde, fields by name)
//! ```
//!
//! The ledger is the bulk of a book (entries, lines, audit leaves) and has its own compact
//! layout that rebuilds its indexes, running totals and audit tree on load. The rest —
//! configuration, registry, access control, savings and loan accounts, stock, QRIS, month-end
//! registers, patronage, closed years, two-person requests, the undo log and the event log —
//! goes through the types' serde derives. `MessagePack` is self-describing, so the tagged,
//! flattened and untagged forms those derives use (the same as the JSON Lines event log) read
//! back exactly. The event log is the largest part to decode, so `from_snapshot` decodes it
//! on a second thread while the ledger and the rest are decoded on the caller's.

use std::collections::{BTreeMap, BTreeSet};

use koperasi_core::chrono::NaiveDate;
use koperasi_core::{ActorId, LoanId, MemberId, SavingsAccountId};
use koperasi_ledger::{BusinessUnit, Ledger};
use koperasi_membership::{AccessControl, Registry};
use koperasi_savings_loans::{Loan, SavingsAccount};
use koperasi_shu::Transactions;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::event::{Event, Operation, RequestId};

use super::{
    BookConfig, ClosedYear, Koperasi, LoanAccount, LoanApplication, MemberAccounts, PendingQris,
    Request, Stock, corrections, month_end,
};

/// The first bytes of a book snapshot.
const MAGIC: &[u8; 8] = b"KOPSNAP\0";

/// The version of the book snapshot layout this build writes and reads. A snapshot of
/// another version is refused ([`Error::Snapshot`]); a store then falls back to replaying
/// the log. Version 2: the standard chart gained the account of the Himbara interest accrued
/// (`2-1-15`) and the month-end registers its amount, so a version-1 snapshot (whose ledger
/// carries the older chart) would not give the book a replay gives.
pub const BOOK_SNAPSHOT_VERSION: u32 = 2;

/// Header: magic, version, SHA-256.
const HEADER: usize = 8 + 4 + 32;

/// Everything but the ledger, borrowed for writing.
#[derive(Serialize)]
struct StateRef<'a> {
    config: &'a BookConfig,
    registry: &'a Registry,
    access: &'a AccessControl,
    accounts: &'a BTreeMap<MemberId, MemberAccounts>,
    deposits: &'a BTreeMap<SavingsAccountId, (MemberId, SavingsAccount)>,
    applications: &'a BTreeMap<LoanId, LoanApplication>,
    loans: &'a BTreeMap<LoanId, LoanAccount>,
    stock: &'a BTreeMap<(BusinessUnit, String), Stock>,
    qris_pending: &'a BTreeMap<String, PendingQris>,
    qris_seen: &'a BTreeSet<String>,
    himbara: &'a Option<Loan>,
    registers: &'a month_end::Registers,
    last_month_end: Option<NaiveDate>,
    patronage: &'a BTreeMap<(i32, MemberId), Transactions>,
    departed: &'a BTreeMap<i32, BTreeSet<MemberId>>,
    closed: &'a BTreeMap<i32, ClosedYear>,
    last_date: NaiveDate,
    entry_seq: u64,
    id_base: u128,
    requests: &'a BTreeMap<RequestId, Request>,
    undo: &'a corrections::UndoLog,
    reopenings: &'a BTreeMap<i32, Vec<(NaiveDate, String)>>,
}

/// Everything but the ledger, owned for reading (the same fields as [`StateRef`]).
#[derive(Deserialize)]
struct State {
    config: BookConfig,
    registry: Registry,
    access: AccessControl,
    accounts: BTreeMap<MemberId, MemberAccounts>,
    deposits: BTreeMap<SavingsAccountId, (MemberId, SavingsAccount)>,
    applications: BTreeMap<LoanId, LoanApplication>,
    loans: BTreeMap<LoanId, LoanAccount>,
    stock: BTreeMap<(BusinessUnit, String), Stock>,
    qris_pending: BTreeMap<String, PendingQris>,
    qris_seen: BTreeSet<String>,
    himbara: Option<Loan>,
    registers: month_end::Registers,
    last_month_end: Option<NaiveDate>,
    patronage: BTreeMap<(i32, MemberId), Transactions>,
    departed: BTreeMap<i32, BTreeSet<MemberId>>,
    closed: BTreeMap<i32, ClosedYear>,
    last_date: NaiveDate,
    entry_seq: u64,
    id_base: u128,
    requests: BTreeMap<RequestId, Request>,
    undo: corrections::UndoLog,
    reopenings: BTreeMap<i32, Vec<(NaiveDate, String)>>,
}

/// The event log as tuples `(format, date, actor, operation)`: the operation keeps its serde
/// form, but the event around it is not the JSON Lines map with the operation flattened into
/// it, which serde can only read by buffering every event whole first.
struct EventsRef<'a>(&'a [Event]);

impl Serialize for EventsRef<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> core::result::Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|e| (e.format, e.date, e.actor, &e.op)))
    }
}

/// One event of [`EventsRef`], read back.
#[derive(Deserialize)]
struct EventTuple(u32, NaiveDate, ActorId, Operation);

fn bad(what: impl Into<String>) -> Error {
    Error::Snapshot { what: what.into() }
}

impl Koperasi {
    /// The book's whole state as bytes: a versioned header, the SHA-256 of the payload, the
    /// ledger's compact snapshot and the rest of the state. [`Koperasi::from_snapshot`] gives
    /// back a book that behaves exactly like this one (same observables, and the same
    /// results for any further operation). Deterministic: the same book gives the same bytes.
    ///
    /// ```
    /// use koperasi::core::{ActorId, CooperativeId, Rupiah};
    /// use koperasi::core::chrono::NaiveDate;
    /// use koperasi::membership::Role;
    /// use koperasi::{BookConfig, CapitalKind, Koperasi, Operation, Via};
    ///
    /// let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    /// let bendahara = ActorId::from_u128(2);
    /// let config = BookConfig::kkmp(
    ///     CooperativeId::from_u128(1), "KKMP Mangunharjo", "35.74.04.1002".parse()?, d(1, 1),
    ///     vec![(bendahara, Role::Treasurer)],
    /// );
    /// let mut book = Koperasi::new(config)?;
    /// book.run(d(1, 2), bendahara, Operation::Capital {
    ///     kind: CapitalKind::Grant, amount: Rupiah::from_rupiah(50_000_000), via: Via::Bank,
    /// })?;
    /// let bytes = book.to_snapshot()?;
    /// let back = Koperasi::from_snapshot(&bytes)?;
    /// assert_eq!(back.audit_head(), book.audit_head());
    /// assert_eq!(back.events(), book.events());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Snapshot`] if a part of the state cannot be serialized (not expected).
    #[doc(alias = "cuplikan buku")]
    pub fn to_snapshot(&self) -> Result<Vec<u8>> {
        let ledger = self
            .ledger
            .to_snapshot()
            .map_err(|e| bad(format!("ledger: {e}")))?;
        let state = StateRef {
            config: &self.config,
            registry: &self.registry,
            access: &self.access,
            accounts: &self.accounts,
            deposits: &self.deposits,
            applications: &self.applications,
            loans: &self.loans,
            stock: &self.stock,
            qris_pending: &self.qris_pending,
            qris_seen: &self.qris_seen,
            himbara: &self.himbara,
            registers: &self.registers,
            last_month_end: self.last_month_end,
            patronage: &self.patronage,
            departed: &self.departed,
            closed: &self.closed,
            last_date: self.last_date,
            entry_seq: self.entry_seq,
            id_base: self.id_base,
            requests: &self.requests,
            undo: &self.undo,
            reopenings: &self.reopenings,
        };
        let mut out = Vec::with_capacity(
            HEADER
                .saturating_add(8)
                .saturating_add(ledger.len())
                .saturating_add(self.events.len().saturating_mul(200)),
        );
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&BOOK_SNAPSHOT_VERSION.to_le_bytes());
        out.extend_from_slice(&[0u8; 32]);
        out.extend_from_slice(
            &u64::try_from(ledger.len())
                .unwrap_or(u64::MAX)
                .to_le_bytes(),
        );
        out.extend_from_slice(&ledger);
        drop(ledger);
        let events = rmp_serde::to_vec_named(&EventsRef(&self.events))
            .map_err(|e| bad(format!("events: {e}")))?;
        out.extend_from_slice(
            &u64::try_from(events.len())
                .unwrap_or(u64::MAX)
                .to_le_bytes(),
        );
        out.extend_from_slice(&events);
        drop(events);
        rmp_serde::encode::write_named(&mut out, &state).map_err(|e| bad(format!("state: {e}")))?;
        let digest: [u8; 32] = Sha256::digest(out.get(HEADER..).unwrap_or(&[])).into();
        if let Some(slot) = out.get_mut(12..HEADER) {
            slot.copy_from_slice(&digest);
        }
        Ok(out)
    }

    /// The SHA-256 of a snapshot's payload, as recorded in its header (what a store keeps
    /// beside it), without decoding it.
    ///
    /// # Errors
    /// [`Error::Snapshot`] if the bytes are shorter than the header or not a book snapshot.
    pub fn snapshot_sha256(bytes: &[u8]) -> Result<[u8; 32]> {
        if bytes.get(..8) != Some(MAGIC.as_slice()) {
            return Err(bad("not a book snapshot (wrong header)"));
        }
        bytes
            .get(12..HEADER)
            .and_then(|s| <[u8; 32]>::try_from(s).ok())
            .ok_or_else(|| bad("truncated header"))
    }

    /// Checks a snapshot's header (magic, version) and that its payload matches the SHA-256
    /// recorded in it, without decoding it; the SHA-256.
    ///
    /// # Errors
    /// [`Error::Snapshot`] for a wrong header, another version, or a payload that does not
    /// match its SHA-256 (a corrupt snapshot).
    pub fn check_snapshot_digest(bytes: &[u8]) -> Result<[u8; 32]> {
        let recorded = Koperasi::snapshot_sha256(bytes)?;
        let version = bytes
            .get(8..12)
            .and_then(|s| <[u8; 4]>::try_from(s).ok())
            .map(u32::from_le_bytes)
            .ok_or_else(|| bad("truncated header"))?;
        if version != BOOK_SNAPSHOT_VERSION {
            return Err(bad(format!(
                "version {version}, this build reads version {BOOK_SNAPSHOT_VERSION}"
            )));
        }
        let payload = bytes.get(HEADER..).ok_or_else(|| bad("truncated header"))?;
        let digest: [u8; 32] = Sha256::digest(payload).into();
        if digest != recorded {
            return Err(bad(
                "the payload does not match its SHA-256 (corrupt snapshot)",
            ));
        }
        Ok(digest)
    }

    /// Rebuilds a book from [`Koperasi::to_snapshot`]'s bytes, after checking the header,
    /// the version and the payload's SHA-256 ([`Koperasi::check_snapshot_digest`]); the
    /// ledger rebuilds its indexes and audit tree and checks the tree's root (see
    /// `koperasi_ledger::snapshot`).
    ///
    /// # Errors
    /// [`Error::Snapshot`] for a wrong header, another version, a payload that does not
    /// match its SHA-256 (a corrupt snapshot), or a state that does not decode. Never
    /// panics, whatever the bytes.
    pub fn from_snapshot(bytes: &[u8]) -> Result<Koperasi> {
        Koperasi::check_snapshot_digest(bytes)?;
        let payload = bytes.get(HEADER..).ok_or_else(|| bad("truncated header"))?;
        let (ledger_bytes, rest) = section(payload, "ledger")?;
        let (event_bytes, rest) = section(rest, "events")?;
        let decode_events = || -> Result<Vec<Event>> {
            let tuples: Vec<EventTuple> =
                rmp_serde::from_slice(event_bytes).map_err(|e| bad(format!("events: {e}")))?;
            Ok(tuples
                .into_iter()
                .map(|EventTuple(format, date, actor, op)| Event {
                    format,
                    date,
                    actor,
                    op,
                })
                .collect())
        };
        let decode_rest = || -> Result<(Ledger, State)> {
            let ledger = Ledger::from_snapshot(ledger_bytes).map_err(|e| bad(e.to_string()))?;
            let state: State =
                rmp_serde::from_slice(rest).map_err(|e| bad(format!("state: {e}")))?;
            Ok((ledger, state))
        };
        // The event log on a second thread, the rest here; inline if no thread can start.
        let (events, decoded) = std::thread::scope(|scope| {
            match std::thread::Builder::new().spawn_scoped(scope, decode_events) {
                Ok(handle) => {
                    let decoded = decode_rest();
                    let events = handle
                        .join()
                        .unwrap_or_else(|_| Err(bad("the event decoder stopped")));
                    (events, decoded)
                }
                Err(_) => (decode_events(), decode_rest()),
            }
        });
        let (ledger, s) = decoded?;
        let events = events?;
        if s.config.cooperative.as_uuid().as_u128() & !u128::from(u64::MAX) != s.id_base {
            return Err(bad("the id base does not belong to the cooperative"));
        }
        if ledger.opening_date() != s.config.opening {
            return Err(bad(format!(
                "the ledger opens on {}, the configuration on {}",
                ledger.opening_date(),
                s.config.opening
            )));
        }
        Ok(Koperasi {
            config: s.config,
            ledger,
            registry: s.registry,
            access: s.access,
            accounts: s.accounts,
            deposits: s.deposits,
            applications: s.applications,
            loans: s.loans,
            stock: s.stock,
            qris_pending: s.qris_pending,
            qris_seen: s.qris_seen,
            himbara: s.himbara,
            registers: s.registers,
            last_month_end: s.last_month_end,
            patronage: s.patronage,
            departed: s.departed,
            closed: s.closed,
            events,
            last_date: s.last_date,
            entry_seq: s.entry_seq,
            id_base: s.id_base,
            requests: s.requests,
            undo: s.undo,
            reopenings: s.reopenings,
        })
    }
}

/// A section `u64 n ‖ n bytes` at the start of `bytes`; the section and what follows.
fn section<'a>(bytes: &'a [u8], what: &str) -> Result<(&'a [u8], &'a [u8])> {
    let n = bytes
        .get(..8)
        .and_then(|s| <[u8; 8]>::try_from(s).ok())
        .map(u64::from_le_bytes)
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| bad(format!("truncated {what} length")))?;
    let end = n
        .checked_add(8)
        .ok_or_else(|| bad(format!("{what} length overflows")))?;
    let body = bytes
        .get(8..end)
        .ok_or_else(|| bad(format!("{what} of {n} bytes is truncated")))?;
    Ok((body, bytes.get(end..).unwrap_or(&[])))
}
