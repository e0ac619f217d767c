//! The store: open, create, append (idempotent, group commit), load, and the projections.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use koperasi::core::chrono::NaiveDate;
use koperasi::core::{CooperativeId, EntryId, LoanId, MemberId, Rupiah};
use koperasi::ledger::EntryKind;
use koperasi::ledger::audit::{Checkpoint, Hash, TreeHead};
use koperasi::savings_loans::SavingsKind;
use koperasi::{BookConfig, Event, Koperasi, Operation, PostingRole};
use sha2::{Digest, Sha256};

use crate::db::{Conn, Row, Target, Value};
use crate::error::{Backend, Error, Result};
use crate::schema;

/// How a [`Store`] behaves. `Options::default()` is what [`Store::open`] uses.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// How many books the store keeps in memory for writing (least recently used are
    /// dropped; a dropped book is rebuilt from the log on its next write). Default 64.
    pub cache_capacity: usize,
    /// Write a checkpoint (tree head and note) every this many events of a cooperative.
    /// Default 256.
    pub checkpoint_every: u64,
    /// SQLite only: the file's `max_page_count` (4 KiB pages), to bound its size. `None`
    /// (default) for no limit beyond the disk.
    pub sqlite_max_page_count: Option<u64>,
    /// Write a snapshot of the book (its whole state) every this many events of a
    /// cooperative, in the transaction of the event it follows; opening a cooperative then
    /// loads the latest snapshot and replays only the events after it. Default 5,000; 0 =
    /// never (explicit [`Store::snapshot`] calls still write one).
    pub snapshot_every: u64,
    /// How many snapshots of each cooperative are kept: writing a snapshot deletes the ones
    /// older than the newest this many, in the same transaction. Default 2 (the newest, and
    /// one to fall back on should the newest not be usable); 0 = keep every snapshot.
    pub snapshots_kept: u64,
    /// Where the snapshots due every [`snapshot_every`](Self::snapshot_every) events are
    /// written. [`SnapshotTiming::InCommit`] (default): in the transaction of the event they
    /// follow. [`SnapshotTiming::Deferred`]: the commit only marks the cooperative as due and
    /// the caller writes the snapshots later with [`Store::write_due_snapshots`] (a server
    /// does it when its writer is idle, so that encoding and writing a book of several
    /// megabytes never holds up the operations committed with it).
    pub snapshot_timing: SnapshotTiming,
}

/// When the periodic snapshots are written: see [`Options::snapshot_timing`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum SnapshotTiming {
    /// In the group commit that reaches a multiple of [`Options::snapshot_every`].
    #[default]
    InCommit,
    /// Marked due at that commit; written by [`Store::write_due_snapshots`].
    Deferred,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            cache_capacity: 64,
            checkpoint_every: 256,
            sqlite_max_page_count: None,
            snapshot_every: 5_000,
            snapshots_kept: 2,
            snapshot_timing: SnapshotTiming::InCommit,
        }
    }
}

impl Options {
    /// Sets [`snapshot_timing`](Self::snapshot_timing).
    #[must_use]
    pub fn with_snapshot_timing(mut self, timing: SnapshotTiming) -> Options {
        self.snapshot_timing = timing;
        self
    }

    /// Sets [`cache_capacity`](Self::cache_capacity).
    #[must_use]
    pub fn with_cache_capacity(mut self, n: usize) -> Options {
        self.cache_capacity = n;
        self
    }
    /// Sets [`checkpoint_every`](Self::checkpoint_every).
    #[must_use]
    pub fn with_checkpoint_every(mut self, n: u64) -> Options {
        self.checkpoint_every = n;
        self
    }
    /// Sets [`snapshot_every`](Self::snapshot_every) (0 = no periodic snapshots).
    #[must_use]
    pub fn with_snapshot_every(mut self, n: u64) -> Options {
        self.snapshot_every = n;
        self
    }
    /// Sets [`snapshots_kept`](Self::snapshots_kept) (0 = keep every snapshot).
    #[must_use]
    pub fn with_snapshots_kept(mut self, n: u64) -> Options {
        self.snapshots_kept = n;
        self
    }
    /// Sets [`sqlite_max_page_count`](Self::sqlite_max_page_count).
    #[must_use]
    pub fn with_sqlite_max_page_count(mut self, pages: u64) -> Options {
        self.sqlite_max_page_count = Some(pages);
        self
    }
}

/// One operation to append: the cooperative, the event, and an optional client idempotency
/// key (unique per cooperative).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Request {
    /// The cooperative.
    pub koperasi: CooperativeId,
    /// The event (date, actor, operation).
    pub event: Event,
    /// The client's idempotency key: a retry with the same key and the same event returns
    /// the original result; the same key with a different event is refused.
    pub key: Option<String>,
}

impl Request {
    /// A request without an idempotency key.
    pub fn new(koperasi: CooperativeId, event: Event) -> Request {
        Request {
            koperasi,
            event,
            key: None,
        }
    }
    /// Sets the idempotency key.
    #[must_use]
    pub fn with_key(mut self, key: impl Into<String>) -> Request {
        self.key = Some(key.into());
        self
    }
}

/// What an appended (committed) operation produced.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Appended {
    /// The event's sequence number in its cooperative's log (1, 2, …).
    pub seq: u64,
    /// The journal entries it posted, in order.
    pub entries: Vec<EntryId>,
    /// The audit log's tree head after the event.
    pub audit: TreeHead,
    /// `true` when this is the stored result of an earlier call with the same idempotency
    /// key (nothing new was written).
    pub replayed: bool,
}

/// A cooperative in the store.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct KoperasiInfo {
    /// Its id (the book's `CooperativeId`).
    pub id: CooperativeId,
    /// Its name.
    pub name: String,
    /// Its desa/kelurahan code.
    pub village: String,
    /// How many events its log holds.
    pub events: u64,
}

/// Debit and credit totals of an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Totals {
    /// Σ debit.
    pub debit: Rupiah,
    /// Σ credit.
    pub credit: Rupiah,
}

impl Totals {
    /// Σ debit − Σ credit.
    ///
    /// # Errors
    /// [`Error::Overflow`] if the difference does not fit (not expected).
    pub fn net_debit(&self) -> Result<Rupiah> {
        self.debit
            .checked_sub(self.credit)
            .map_err(|_| Error::Overflow {
                koperasi: CooperativeId::default(),
                what: "net debit",
            })
    }
}

/// A stored event.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StoredEvent {
    /// Its sequence number.
    pub seq: u64,
    /// The event.
    pub event: Event,
    /// Its idempotency key, if any.
    pub key: Option<String>,
}

/// A journal line from the projections.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StoredLine {
    /// The account code.
    pub account: String,
    /// `true` for a debit, `false` for a credit.
    pub debit: bool,
    /// The amount.
    pub amount: Rupiah,
    /// The business unit (its serde name), if any.
    pub unit: Option<String>,
    /// The counterparty kind (its serde name), if any.
    pub counterparty: Option<String>,
    /// The member, if any.
    pub member: Option<MemberId>,
    /// The account's running totals after this line.
    pub after: Totals,
}

/// A journal entry from the projections, with its lines.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StoredEntry {
    /// Its position in the cooperative's ledger (0, 1, …): the cursor for pagination.
    pub entry_no: u64,
    /// The entry id.
    pub id: EntryId,
    /// The event that posted it.
    pub event_seq: u64,
    /// The accounting date.
    pub date: NaiveDate,
    /// `normal`, `reversal` or `closing`.
    pub kind: String,
    /// For a reversal: the entry it reverses.
    pub reverses: Option<EntryId>,
    /// The memo.
    pub memo: String,
    /// The source (`kind:reference`).
    pub source: String,
    /// Who posted it.
    pub actor: String,
    /// Its leaf index in the audit log.
    pub leaf: u64,
    /// Its lines.
    pub lines: Vec<StoredLine>,
}

/// Which entries [`Store::entries`] returns: all filters are optional and combine.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct EntryFilter {
    /// Only entries with a line on this account.
    pub account: Option<String>,
    /// Only entries with a line for this member.
    pub member: Option<MemberId>,
    /// Only entries dated on or after.
    pub from: Option<NaiveDate>,
    /// Only entries dated on or before.
    pub to: Option<NaiveDate>,
    /// Only entries after this `entry_no` (the cursor of the previous page).
    pub after: Option<u64>,
    /// At most this many (default 100, at most 10,000).
    pub limit: Option<u32>,
}

impl EntryFilter {
    /// No filter: every entry, first page.
    pub fn new() -> EntryFilter {
        EntryFilter::default()
    }
    /// Only entries with a line on `code`.
    #[must_use]
    pub fn account(mut self, code: impl Into<String>) -> EntryFilter {
        self.account = Some(code.into());
        self
    }
    /// Only entries with a line for `member`.
    #[must_use]
    pub fn member(mut self, member: MemberId) -> EntryFilter {
        self.member = Some(member);
        self
    }
    /// Only entries dated from `from` to `to` (inclusive).
    #[must_use]
    pub fn dates(mut self, from: NaiveDate, to: NaiveDate) -> EntryFilter {
        self.from = Some(from);
        self.to = Some(to);
        self
    }
    /// The page after `entry_no`.
    #[must_use]
    pub fn after(mut self, entry_no: u64) -> EntryFilter {
        self.after = Some(entry_no);
        self
    }
    /// At most `n` entries (1–10,000).
    #[must_use]
    pub fn limit(mut self, n: u32) -> EntryFilter {
        self.limit = Some(n);
        self
    }
}

/// A member as the projections hold it (current state).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct MemberRow {
    /// The member.
    pub id: MemberId,
    /// Name.
    pub name: String,
    /// Status (serde name of `MemberStatus`, e.g. `member`, `candidate`).
    pub status: String,
    /// When simpanan pokok was paid.
    pub pokok_paid_on: Option<NaiveDate>,
    /// Simpanan pokok balance.
    pub pokok: Rupiah,
    /// Simpanan wajib balance.
    pub wajib: Rupiah,
    /// Simpanan sukarela balance.
    pub sukarela: Rupiah,
}

/// A disbursed loan as the projections hold it (current state).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LoanRow {
    /// The loan.
    pub id: LoanId,
    /// The borrower.
    pub member: MemberId,
    /// The principal.
    pub principal: Rupiah,
    /// Outstanding principal.
    pub outstanding: Rupiah,
    /// Status (serde name of `LoanStatus`).
    pub status: String,
    /// Collectibility at the last month-end (serde name).
    pub class: String,
}

/// Monitoring figures of one cooperative as of a date, read from the projections (no book
/// is loaded).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Monitoring {
    /// The cooperative.
    pub koperasi: CooperativeId,
    /// Its name.
    pub name: String,
    /// Total assets (aset), net of contra accounts.
    pub assets: Rupiah,
    /// Total liabilities (kewajiban).
    pub liabilities: Rupiah,
    /// Total equity (ekuitas), before the year's result.
    pub equity: Rupiah,
    /// Revenue since the books opened, net of closing entries (pendapatan).
    pub revenue: Rupiah,
    /// Expenses likewise (beban).
    pub expenses: Rupiah,
    /// Kas + bank.
    pub cash_and_bank: Rupiah,
    /// Simpanan pokok + wajib + sukarela.
    pub member_savings: Rupiah,
    /// Piutang pinjaman anggota.
    pub loans_outstanding: Rupiah,
    /// Members whose simpanan pokok was paid on or before the date and who are members now.
    pub members: u64,
}

/// The cached, writable state of one cooperative.
struct Cached {
    book: Koperasi,
    seq: u64,
    chain: [u8; 32],
    members: BTreeMap<MemberId, MemberRow>,
    loans: BTreeMap<LoanId, LoanRow>,
    /// Debit and credit totals (sen) of each account touched since the book was cached.
    running: HashMap<String, (i128, i128)>,
    used: u64,
}

type Slot = Arc<Mutex<Option<Cached>>>;

struct Inner {
    target: Target,
    options: Options,
    pool: Mutex<Vec<Conn>>,
    slots: Mutex<HashMap<CooperativeId, Slot>>,
    tick: AtomicU64,
    /// Cooperatives whose periodic snapshot is due ([`SnapshotTiming::Deferred`]).
    due: Mutex<BTreeSet<CooperativeId>>,
    /// The current [`SnapshotTiming`] (`true` = deferred): starts as the options say;
    /// [`Store::set_snapshot_timing`] changes it.
    deferred: std::sync::atomic::AtomicBool,
    /// `SQLite`: the `wal_autocheckpoint` of every connection handed out (pages).
    wal_autocheckpoint: std::sync::atomic::AtomicU32,
}

/// A durable store of cooperative books on SQLite or PostgreSQL.
///
/// `Store` is `Send + Sync` and cheap to clone (an `Arc`): share one per process. Every call
/// is synchronous and takes a connection from a small pool for its duration; from an async
/// server call it inside `tokio::task::spawn_blocking`. Calls on different cooperatives run in
/// parallel (PostgreSQL) or are serialised by SQLite's single writer (a group commit —
/// [`Store::commit_group`] — is how SQLite reaches its throughput).
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

impl core::fmt::Debug for Store {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.inner.target.backend())
            .field("options", &self.inner.options)
            .finish_non_exhaustive()
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A pooled connection, returned to the pool when dropped (if still healthy).
struct Pooled<'a> {
    inner: &'a Inner,
    conn: Option<Conn>,
}

impl Pooled<'_> {
    fn conn(&mut self) -> Result<&mut Conn> {
        self.conn
            .as_mut()
            .ok_or_else(|| Error::InvalidArgument("connection already returned".into()))
    }
}

impl Drop for Pooled<'_> {
    fn drop(&mut self) {
        if let Some(mut c) = self.conn.take() {
            c.rollback();
            if c.is_healthy() {
                let mut pool = lock(&self.inner.pool);
                if pool.len() < 32 {
                    pool.push(c);
                }
            }
        }
    }
}

pub(crate) fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

pub(crate) fn chain_next(prev: &[u8; 32], body_sha256: &[u8; 32]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(body_sha256);
    h.finalize().into()
}

/// The advisory-lock key of a cooperative: the first 8 bytes of SHA-256 of a tag and its id.
fn lock_key(id: CooperativeId) -> i64 {
    let h = sha256(format!("koperasi-store/{id}").as_bytes());
    let mut b = [0u8; 8];
    b.copy_from_slice(h.get(..8).unwrap_or(&[0; 8]));
    i64::from_be_bytes(b)
}

/// A serde enum's name (`"member"`), or its JSON for a non-unit variant.
pub(crate) fn tag<T: serde::Serialize>(v: &T) -> Result<String> {
    Ok(match serde_json::to_value(v)? {
        serde_json::Value::String(s) => s,
        serde_json::Value::Object(m) if m.len() == 1 => {
            m.keys().next().cloned().unwrap_or_default()
        }
        other => other.to_string(),
    })
}

pub(crate) fn sen(koperasi: CooperativeId, what: &'static str, r: Rupiah) -> Result<i64> {
    i64::try_from(r.to_sen()).map_err(|_| Error::Overflow { koperasi, what })
}

fn sen128(koperasi: CooperativeId, what: &'static str, r: i128) -> Result<i64> {
    i64::try_from(r).map_err(|_| Error::Overflow { koperasi, what })
}

// ---- reading rows ---------------------------------------------------------------------

pub(crate) struct Cells<'a> {
    pub(crate) koperasi: CooperativeId,
    pub(crate) what: &'static str,
    pub(crate) row: &'a Row,
}

impl Cells<'_> {
    fn bad(&self, message: String) -> Error {
        Error::BadRow {
            koperasi: self.koperasi,
            what: self.what,
            message,
        }
    }
    pub(crate) fn int(&self, i: usize) -> Result<i64> {
        match self.row.get(i) {
            Some(Value::Int(n)) => Ok(*n),
            other => Err(self.bad(format!("column {i}: expected an integer, found {other:?}"))),
        }
    }
    pub(crate) fn uint(&self, i: usize) -> Result<u64> {
        let n = self.int(i)?;
        u64::try_from(n).map_err(|_| self.bad(format!("column {i}: negative {n}")))
    }
    pub(crate) fn text(&self, i: usize) -> Result<&str> {
        match self.row.get(i) {
            Some(Value::Text(s)) => Ok(s),
            other => Err(self.bad(format!("column {i}: expected text, found {other:?}"))),
        }
    }
    pub(crate) fn opt_text(&self, i: usize) -> Result<Option<&str>> {
        match self.row.get(i) {
            Some(Value::Null) => Ok(None),
            _ => self.text(i).map(Some),
        }
    }
    pub(crate) fn bytes(&self, i: usize) -> Result<&[u8]> {
        match self.row.get(i) {
            Some(Value::Bytes(b)) => Ok(b),
            other => Err(self.bad(format!("column {i}: expected bytes, found {other:?}"))),
        }
    }
    pub(crate) fn hash(&self, i: usize) -> Result<[u8; 32]> {
        <[u8; 32]>::try_from(self.bytes(i)?)
            .map_err(|_| self.bad(format!("column {i}: expected 32 bytes")))
    }
    pub(crate) fn rupiah(&self, i: usize) -> Result<Rupiah> {
        Ok(Rupiah::from_sen(self.int(i)?))
    }
    pub(crate) fn date(&self, i: usize) -> Result<NaiveDate> {
        let s = self.text(i)?;
        s.parse()
            .map_err(|e| self.bad(format!("column {i}: date {s:?}: {e}")))
    }
    pub(crate) fn opt_date(&self, i: usize) -> Result<Option<NaiveDate>> {
        match self.opt_text(i)? {
            None => Ok(None),
            Some(_) => self.date(i).map(Some),
        }
    }
    pub(crate) fn id<T: core::str::FromStr>(&self, i: usize) -> Result<T>
    where
        T::Err: core::fmt::Display,
    {
        let s = self.text(i)?;
        s.parse()
            .map_err(|e| self.bad(format!("column {i}: id {s:?}: {e}")))
    }
}

fn cells<'a>(koperasi: CooperativeId, what: &'static str, row: &'a Row) -> Cells<'a> {
    Cells {
        koperasi,
        what,
        row,
    }
}

// ---- projections of a book ------------------------------------------------------------

pub(crate) fn member_row(book: &Koperasi, id: MemberId) -> Result<Option<MemberRow>> {
    let Some(m) = book.registry().get(id) else {
        return Ok(None);
    };
    Ok(Some(MemberRow {
        id,
        name: m.name().to_owned(),
        status: tag(&m.status())?,
        pokok_paid_on: m.pokok_paid_on(),
        pokok: savings(book, id, SavingsKind::Principal, "simpanan pokok")?,
        wajib: savings(book, id, SavingsKind::Mandatory, "simpanan wajib")?,
        sukarela: savings(book, id, SavingsKind::Voluntary, "simpanan sukarela")?,
    }))
}

/// A member's savings balance of one kind; an overflow in the book is an error, never Rp0.
fn savings(book: &Koperasi, id: MemberId, kind: SavingsKind, what: &'static str) -> Result<Rupiah> {
    book.savings_balance(id, kind).map_err(|_| Error::Overflow {
        koperasi: book.config().cooperative,
        what,
    })
}

pub(crate) fn loan_row(book: &Koperasi, id: LoanId) -> Result<Option<LoanRow>> {
    let Some(l) = book.loans().get(&id) else {
        return Ok(None);
    };
    let coop = book.config().cooperative;
    let outstanding = l.loan.outstanding_principal().map_err(|e| Error::BadRow {
        koperasi: coop,
        what: "loan projection",
        message: e.to_string(),
    })?;
    Ok(Some(LoanRow {
        id,
        member: l.member,
        principal: l.loan.terms().principal,
        outstanding,
        status: tag(&l.loan.status())?,
        class: tag(&l.class)?,
    }))
}

pub(crate) fn all_member_rows(book: &Koperasi) -> Result<BTreeMap<MemberId, MemberRow>> {
    let mut out = BTreeMap::new();
    for m in book.registry().members() {
        if let Some(r) = member_row(book, m.id())? {
            out.insert(m.id(), r);
        }
    }
    Ok(out)
}

pub(crate) fn all_loan_rows(book: &Koperasi) -> Result<BTreeMap<LoanId, LoanRow>> {
    let mut out = BTreeMap::new();
    for id in book.loans().keys() {
        if let Some(r) = loan_row(book, *id)? {
            out.insert(*id, r);
        }
    }
    Ok(out)
}

/// Ids named anywhere in an event's JSON under the keys `member` and `loan` (the store never
/// matches on operation variants; see the crate docs).
/// Whether an operation that names no member and no loan may still change a member's or a
/// loan's row (savings balances, status, outstanding, class). Only the operations listed here
/// are known not to: business operations with non-members, the cooperative's own assets,
/// expenses and financing, roles and links. Anything else (month-end, year close, SHU,
/// approvals, reversals, adjustments, and any operation added later) recomputes every row.
fn may_change_unnamed(op: &Operation) -> bool {
    !matches!(
        op,
        Operation::Purchase { .. }
            | Operation::PaySupplier { .. }
            | Operation::Sale { .. }
            | Operation::QrisSale { .. }
            | Operation::SettleQris { .. }
            | Operation::Expense { .. }
            | Operation::Transfer { .. }
            | Operation::AcquireAsset { .. }
            | Operation::Capital { .. }
            | Operation::HimbaraDrawdown { .. }
            | Operation::HimbaraInstallment { .. }
            | Operation::AcquireFixedAsset { .. }
            | Operation::DisposeAsset { .. }
            | Operation::ExpenseOnCredit { .. }
            | Operation::PrepayExpense { .. }
            | Operation::StockCount { .. }
            | Operation::GrantRole { .. }
            | Operation::LinkMember { .. }
    )
}

fn named_ids(
    v: &serde_json::Value,
    members: &mut BTreeSet<MemberId>,
    loans: &mut BTreeSet<LoanId>,
) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                if let serde_json::Value::String(s) = x {
                    if k == "member" {
                        if let Ok(id) = s.parse() {
                            members.insert(id);
                        }
                    } else if k == "loan"
                        && let Ok(id) = s.parse()
                    {
                        loans.insert(id);
                    }
                }
                named_ids(x, members, loans);
            }
        }
        serde_json::Value::Array(a) => {
            for x in a {
                named_ids(x, members, loans);
            }
        }
        _ => {}
    }
}

// ---- SQL ------------------------------------------------------------------------------

const INSERT_EVENT_HEAD: &str = "INSERT INTO events (koperasi_id, seq, date, actor, op, body, body_sha256, chain, idem_key, first_entry, entry_count, audit_size, audit_root) VALUES";
const INSERT_ENTRY_HEAD: &str = "INSERT INTO entries (koperasi_id, entry_no, entry_id, event_seq, date, kind, reverses, memo, source, actor, leaf) VALUES";
const INSERT_LINE_HEAD: &str = "INSERT INTO lines (koperasi_id, entry_no, idx, account, side, amount, unit, counterparty, member, date, debit_after, credit_after) VALUES";
const INSERT_LEAF_HEAD: &str = "INSERT INTO audit_leaves (koperasi_id, idx, hash) VALUES";
const INSERT_CHECKPOINT_HEAD: &str =
    "INSERT INTO checkpoints (koperasi_id, event_seq, size, root, note) VALUES";
const INSERT_SNAPSHOT_HEAD: &str = "INSERT INTO snapshots (koperasi_id, event_seq, audit_size, audit_root, format, state_sha256, state) VALUES";
const UPSERT_MEMBER_HEAD: &str = "INSERT INTO members (koperasi_id, member_id, name, status, pokok_paid_on, pokok, wajib, sukarela, event_seq) VALUES";
const UPSERT_MEMBER_TAIL: &str = " ON CONFLICT (koperasi_id, member_id) DO UPDATE SET name = excluded.name, status = excluded.status, pokok_paid_on = excluded.pokok_paid_on, pokok = excluded.pokok, wajib = excluded.wajib, sukarela = excluded.sukarela, event_seq = excluded.event_seq";
const UPSERT_LOAN_HEAD: &str = "INSERT INTO loans (koperasi_id, loan_id, member_id, principal, outstanding, status, class, event_seq) VALUES";
const UPSERT_LOAN_TAIL: &str = " ON CONFLICT (koperasi_id, loan_id) DO UPDATE SET member_id = excluded.member_id, principal = excluded.principal, outstanding = excluded.outstanding, status = excluded.status, class = excluded.class, event_seq = excluded.event_seq";
const SELECT_EVENTS_FROM: &str = "SELECT seq, body, idem_key, chain FROM events WHERE koperasi_id = $1 AND seq > $2 ORDER BY seq";

/// The rows of one group commit, written with multi-row INSERTs before the commit (one round
/// trip per table and chunk instead of one per row).
#[derive(Default)]
struct Batch {
    events: Vec<Vec<Value>>,
    entries: Vec<Vec<Value>>,
    lines: Vec<Vec<Value>>,
    leaves: Vec<Vec<Value>>,
    checkpoints: Vec<Vec<Value>>,
    snapshots: Vec<Vec<Value>>,
    members: BTreeMap<(String, String), Vec<Value>>,
    loans: BTreeMap<(String, String), Vec<Value>>,
    active: BTreeSet<(String, String)>,
    accounts: BTreeMap<(String, String), Vec<Value>>,
    keys: HashMap<(CooperativeId, String), ([u8; 32], Appended)>,
    /// Cooperatives whose periodic snapshot this group made due (deferred timing).
    due: BTreeSet<CooperativeId>,
}

/// `INSERT INTO … VALUES (…), (…) [tail]` for `rows`: on SQLite one prepared single-row
/// statement executed per row (in-process, so a round trip costs nothing and the statement
/// is parsed once); on PostgreSQL multi-row statements of at most 64 rows (one round trip
/// per chunk).
fn insert_rows(conn: &mut Conn, head: &str, tail: &str, rows: &[Vec<Value>]) -> Result<()> {
    let Some(first) = rows.first() else {
        return Ok(());
    };
    if conn.backend() == Backend::Sqlite {
        let mut sql = String::with_capacity(head.len() + tail.len() + first.len() * 5);
        sql.push_str(head);
        sql.push_str(" (");
        for j in 1..=first.len() {
            if j > 1 {
                sql.push_str(", ");
            }
            let _ = write!(sql, "${j}");
        }
        sql.push(')');
        sql.push_str(tail);
        return conn.execute_each(&sql, rows);
    }
    for chunk in rows.chunks(64) {
        let mut sql = String::with_capacity(head.len() + tail.len() + chunk.len() * 64);
        sql.push_str(head);
        let mut n = 0usize;
        let mut params = Vec::new();
        for (i, row) in chunk.iter().enumerate() {
            sql.push_str(if i == 0 { " (" } else { ", (" });
            for (j, v) in row.iter().enumerate() {
                n = n.saturating_add(1);
                if j > 0 {
                    sql.push_str(", ");
                }
                let _ = write!(sql, "${n}");
                params.push(v.clone());
            }
            sql.push(')');
        }
        sql.push_str(tail);
        conn.execute(&sql, &params)?;
    }
    Ok(())
}

/// Deletes the snapshots of cooperative `kid` older than its newest `kept` (0 = none).
fn prune_snapshots(conn: &mut Conn, kid: &Value, kept: u64) -> Result<()> {
    if kept == 0 {
        return Ok(());
    }
    conn.execute(
        "DELETE FROM snapshots WHERE koperasi_id = $1 AND event_seq < (SELECT MIN(event_seq) FROM (SELECT event_seq FROM snapshots WHERE koperasi_id = $1 ORDER BY event_seq DESC LIMIT $2) AS newest)",
        &[kid.clone(), int_u64(kept)],
    )?;
    Ok(())
}

impl Batch {
    fn flush(self, conn: &mut Conn, snapshots_kept: u64) -> Result<()> {
        insert_rows(conn, INSERT_EVENT_HEAD, "", &self.events)?;
        insert_rows(conn, INSERT_ENTRY_HEAD, "", &self.entries)?;
        insert_rows(conn, INSERT_LINE_HEAD, "", &self.lines)?;
        insert_rows(conn, INSERT_LEAF_HEAD, "", &self.leaves)?;
        insert_rows(conn, INSERT_CHECKPOINT_HEAD, "", &self.checkpoints)?;
        for row in &self.snapshots {
            // One row per statement: a snapshot is megabytes, never batched.
            insert_rows(conn, INSERT_SNAPSHOT_HEAD, "", std::slice::from_ref(row))?;
            if let Some(kid) = row.first() {
                prune_snapshots(conn, kid, snapshots_kept)?;
            }
        }
        let members: Vec<Vec<Value>> = self.members.into_values().collect();
        insert_rows(conn, UPSERT_MEMBER_HEAD, UPSERT_MEMBER_TAIL, &members)?;
        let loans: Vec<Vec<Value>> = self.loans.into_values().collect();
        insert_rows(conn, UPSERT_LOAN_HEAD, UPSERT_LOAN_TAIL, &loans)?;
        let accounts: Vec<Vec<Value>> = self.accounts.into_values().collect();
        insert_rows(
            conn,
            "INSERT INTO accounts (koperasi_id, code, name, class) VALUES",
            " ON CONFLICT (koperasi_id, code) DO NOTHING",
            &accounts,
        )?;
        let active: Vec<Vec<Value>> = self
            .active
            .into_iter()
            .map(|(k, a)| vec![Value::Text(k), Value::Text(a)])
            .collect();
        insert_rows(
            conn,
            "INSERT INTO active_accounts (koperasi_id, account) VALUES",
            " ON CONFLICT (koperasi_id, account) DO NOTHING",
            &active,
        )
    }
}

fn t(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

fn int_u64(n: u64) -> Value {
    Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

fn int_usize(n: usize) -> Value {
    Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

impl Store {
    /// Opens (creating if needed) a store: a SQLite file path, or a `postgres://` /
    /// `postgresql://` URL; brings the schema up to date.
    ///
    /// # Errors
    /// [`Error::SchemaTooNew`] for a database written by a newer version;
    /// [`Error::Corrupt`] for a file that is not a database; [`Error::Database`] /
    /// [`Error::ConnectionLost`] if the database cannot be opened or reached.
    pub fn open(path_or_url: &str) -> Result<Store> {
        Store::open_with(path_or_url, Options::default())
    }

    /// [`open`](Self::open) with [`Options`].
    ///
    /// # Errors
    /// As [`open`](Self::open); [`Error::InvalidArgument`] for an empty path or a zero
    /// cache capacity.
    pub fn open_with(path_or_url: &str, options: Options) -> Result<Store> {
        if path_or_url.trim().is_empty() {
            return Err(Error::InvalidArgument("empty database path or URL".into()));
        }
        if options.cache_capacity == 0 || options.checkpoint_every == 0 {
            return Err(Error::InvalidArgument(
                "cache_capacity and checkpoint_every must be at least 1".into(),
            ));
        }
        let target = if path_or_url.starts_with("postgres://")
            || path_or_url.starts_with("postgresql://")
            || path_or_url.starts_with("host=")
        {
            Target::Postgres {
                url: path_or_url.to_owned(),
            }
        } else {
            Target::Sqlite {
                path: Path::new(path_or_url).to_path_buf(),
                max_page_count: options.sqlite_max_page_count,
            }
        };
        let mut conn = Conn::open(&target)?;
        schema::migrate(&mut conn)?;
        let deferred = options.snapshot_timing == SnapshotTiming::Deferred;
        let inner = Inner {
            target,
            options,
            pool: Mutex::new(vec![conn]),
            slots: Mutex::new(HashMap::new()),
            tick: AtomicU64::new(0),
            due: Mutex::new(BTreeSet::new()),
            deferred: std::sync::atomic::AtomicBool::new(deferred),
            wal_autocheckpoint: std::sync::atomic::AtomicU32::new(crate::db::WAL_AUTOCHECKPOINT),
        };
        Ok(Store {
            inner: Arc::new(inner),
        })
    }

    /// The backend this store talks to.
    pub fn backend(&self) -> Backend {
        self.inner.target.backend()
    }

    /// The store's options.
    pub fn options(&self) -> &Options {
        &self.inner.options
    }

    fn conn(&self) -> Result<Pooled<'_>> {
        let pooled = lock(&self.inner.pool).pop();
        let mut conn = match pooled {
            Some(c) => c,
            None => Conn::open(&self.inner.target)?,
        };
        let pages = self.inner.wal_autocheckpoint.load(Ordering::Relaxed);
        if pages != crate::db::WAL_AUTOCHECKPOINT && matches!(conn, Conn::Sqlite(_)) {
            // set on every checkout (a pragma of a few microseconds) rather than tracked per
            // connection: only a store whose owner changed it pays
            conn.batch(&format!("PRAGMA wal_autocheckpoint={pages}"))?;
        }
        Ok(Pooled {
            inner: &self.inner,
            conn: Some(conn),
        })
    }

    fn slot(&self, id: CooperativeId) -> Slot {
        let mut slots = lock(&self.inner.slots);
        if let Some(s) = slots.get(&id) {
            return Arc::clone(s);
        }
        let s: Slot = Arc::new(Mutex::new(None));
        slots.insert(id, Arc::clone(&s));
        s
    }

    /// Drops the least recently used cached books beyond the capacity (books being written
    /// are skipped).
    fn evict(&self) {
        let cap = self.inner.options.cache_capacity;
        let slots = lock(&self.inner.slots);
        let mut loaded: Vec<(u64, CooperativeId)> = slots
            .iter()
            .filter_map(|(id, s)| {
                s.try_lock()
                    .ok()
                    .and_then(|g| g.as_ref().map(|c| (c.used, *id)))
            })
            .collect();
        if loaded.len() <= cap {
            return;
        }
        loaded.sort_unstable();
        let excess = loaded.len().saturating_sub(cap);
        for (_, id) in loaded.into_iter().take(excess) {
            if let Some(s) = slots.get(&id)
                && let Ok(mut g) = s.try_lock()
            {
                *g = None;
            }
        }
    }

    /// How many books are held in memory now (at most about
    /// [`Options::cache_capacity`]).
    pub fn cached_books(&self) -> usize {
        lock(&self.inner.slots)
            .values()
            .filter(|s| s.try_lock().map_or(true, |g| g.is_some()))
            .count()
    }

    // ---- cooperatives -------------------------------------------------------------------

    /// Adds a cooperative with its configuration (the book's `BookConfig`). Creating the same
    /// cooperative again with the same configuration is a no-op.
    ///
    /// # Errors
    /// [`Error::Rejected`] if the book refuses the configuration; [`Error::KoperasiExists`]
    /// if the id exists with a different configuration; a database error.
    #[doc(alias = "daftar koperasi")]
    pub fn create_koperasi(&self, config: &BookConfig) -> Result<CooperativeId> {
        let id = config.cooperative;
        let book = Koperasi::new(config.clone()).map_err(|source| Error::Rejected {
            koperasi: id,
            source,
        })?;
        let json = serde_json::to_string(config)?;
        let hash = sha256(json.as_bytes());
        let mut pooled = self.conn()?;
        let conn = pooled.conn()?;
        conn.begin_write(&[lock_key(id)])?;
        let r = (|| -> Result<()> {
            let rows = conn.query(
                "SELECT config_sha256 FROM koperasi WHERE koperasi_id = $1",
                &[t(id.to_string())],
            )?;
            if let Some(row) = rows.first() {
                let c = cells(id, "koperasi", row);
                return if c.bytes(0)? == hash.as_slice() {
                    Ok(())
                } else {
                    Err(Error::KoperasiExists(id))
                };
            }
            conn.execute(
                "INSERT INTO koperasi (koperasi_id, name, village, opening, config, config_sha256) VALUES ($1, $2, $3, $4, $5, $6)",
                &[
                    t(id.to_string()),
                    t(config.name.clone()),
                    t(config.village.to_string()),
                    t(config.opening.to_string()),
                    t(json.clone()),
                    Value::Bytes(hash.to_vec()),
                ],
            )?;
            for a in book.ledger().chart() {
                conn.execute(
                    "INSERT INTO accounts (koperasi_id, code, name, class) VALUES ($1, $2, $3, $4)",
                    &[
                        t(id.to_string()),
                        t(a.code.to_string()),
                        t(a.name.clone()),
                        t(tag(&a.class)?),
                    ],
                )?;
            }
            for role in PostingRole::all() {
                conn.execute(
                    "INSERT INTO account_roles (koperasi_id, role, code) VALUES ($1, $2, $3)",
                    &[
                        t(id.to_string()),
                        t(serde_json::to_string(&role)?),
                        t(book.code(role)),
                    ],
                )?;
            }
            Ok(())
        })();
        match r {
            Ok(()) => conn.commit(),
            Err(e) => {
                conn.rollback();
                Err(e)
            }
        }?;
        Ok(id)
    }

    /// Every cooperative in the store, by id.
    ///
    /// # Errors
    /// A database error.
    pub fn list_koperasi(&self) -> Result<Vec<KoperasiInfo>> {
        let mut pooled = self.conn()?;
        let rows = pooled.conn()?.query(
            "SELECT k.koperasi_id, k.name, k.village, CAST(COALESCE((SELECT MAX(e.seq) FROM events e WHERE e.koperasi_id = k.koperasi_id), 0) AS BIGINT) FROM koperasi k ORDER BY k.koperasi_id",
            &[],
        )?;
        rows.iter()
            .map(|row| {
                let c = cells(CooperativeId::default(), "koperasi", row);
                Ok(KoperasiInfo {
                    id: c.id(0)?,
                    name: c.text(1)?.to_owned(),
                    village: c.text(2)?.to_owned(),
                    events: c.uint(3)?,
                })
            })
            .collect()
    }

    /// A cooperative's configuration.
    ///
    /// # Errors
    /// [`Error::UnknownKoperasi`]; a database error; [`Error::BadRow`] for unreadable JSON.
    pub fn config(&self, id: CooperativeId) -> Result<BookConfig> {
        let mut pooled = self.conn()?;
        read_config(pooled.conn()?, id)
    }

    // ---- writing ------------------------------------------------------------------------

    /// Appends one operation to a cooperative's log and projections, in one durable
    /// transaction. With a key, a retry returns the original result
    /// ([`Appended::replayed`]).
    ///
    /// # Errors
    /// [`Error::Rejected`] if the book refuses the operation;
    /// [`Error::IdempotencyConflict`] if the key was used for a different event;
    /// [`Error::UnknownKoperasi`]; a database error (nothing written).
    #[doc(alias = "catat transaksi")]
    pub fn append(&self, id: CooperativeId, event: Event, key: Option<&str>) -> Result<Appended> {
        let mut req = Request::new(id, event);
        req.key = key.map(str::to_owned);
        let mut results = self.commit_group(std::slice::from_ref(&req))?;
        results
            .pop()
            .unwrap_or_else(|| Err(Error::InvalidArgument("empty group".into())))
    }

    /// Group commit: applies several operations (on one or many cooperatives) in one
    /// transaction, in order. Each operation's outcome is returned separately: a refused
    /// operation writes nothing and the others go on. Nothing is acknowledged before the
    /// commit, and if the transaction fails (`Err` outside) nothing at all was written.
    ///
    /// # Errors
    /// Outer: a database error, [`Error::UnknownKoperasi`] (nothing written). Inner, per
    /// operation: [`Error::Rejected`], [`Error::IdempotencyConflict`].
    pub fn commit_group(&self, requests: &[Request]) -> Result<Vec<Result<Appended>>> {
        if requests.is_empty() {
            return Ok(Vec::new());
        }
        let ids: BTreeSet<CooperativeId> = requests.iter().map(|r| r.koperasi).collect();
        let slots: Vec<(CooperativeId, Slot)> =
            ids.iter().map(|id| (*id, self.slot(*id))).collect();
        // Lock the books in id order (no deadlock between groups), then the database.
        let mut guards: Vec<(CooperativeId, MutexGuard<'_, Option<Cached>>)> =
            slots.iter().map(|(id, s)| (*id, lock(s))).collect();
        let mut pooled = self.conn()?;
        let conn = pooled.conn()?;
        let keys: Vec<i64> = ids.iter().map(|id| lock_key(*id)).collect();
        conn.begin_write(&keys)?;
        let tick = self.inner.tick.fetch_add(1, Ordering::Relaxed);
        let options = Options {
            snapshot_timing: self.snapshot_timing(),
            ..self.inner.options.clone()
        };
        #[allow(
            clippy::type_complexity,
            reason = "the group's answers and the snapshots it made due"
        )]
        let outcome = (|| -> Result<(Vec<Result<Appended>>, BTreeSet<CooperativeId>)> {
            for (id, g) in &mut guards {
                sync(conn, *id, g)?;
                if let Some(c) = g.as_mut() {
                    c.used = tick;
                }
            }
            let mut out = Vec::with_capacity(requests.len());
            let mut batch = Batch::default();
            for req in requests {
                let g = guards
                    .iter_mut()
                    .find(|(id, _)| *id == req.koperasi)
                    .map(|(_, g)| g)
                    .ok_or(Error::UnknownKoperasi(req.koperasi))?;
                let cached = g.as_mut().ok_or(Error::UnknownKoperasi(req.koperasi))?;
                out.push(append_one(conn, &options, req, cached, &mut batch)?);
            }
            let due = core::mem::take(&mut batch.due);
            batch.flush(conn, self.inner.options.snapshots_kept)?;
            Ok((out, due))
        })();
        let result = match outcome {
            Ok((out, due)) => conn.commit().map(|()| {
                if !due.is_empty() {
                    lock(&self.inner.due).extend(due);
                }
                out
            }),
            Err(e) => Err(e),
        };
        if result.is_err() {
            conn.rollback();
            // The books may be ahead of the database: drop them, the log is the truth.
            for (_, g) in &mut guards {
                **g = None;
            }
        }
        drop(guards);
        drop(pooled);
        self.evict();
        result
    }

    /// Writes a checkpoint of a cooperative now (tree head and checkpoint note at its latest
    /// event), unless one exists for that event.
    ///
    /// # Errors
    /// [`Error::UnknownKoperasi`]; a database error.
    pub fn checkpoint(&self, id: CooperativeId) -> Result<Checkpoint> {
        let slot = self.slot(id);
        let mut g = lock(&slot);
        let mut pooled = self.conn()?;
        let conn = pooled.conn()?;
        conn.begin_write(&[lock_key(id)])?;
        let r = (|| -> Result<Checkpoint> {
            sync(conn, id, &mut g)?;
            let c = g.as_ref().ok_or(Error::UnknownKoperasi(id))?;
            let head = c.book.audit_head();
            let cp = checkpoint_of(id, head)?;
            let exists = conn.query(
                "SELECT size FROM checkpoints WHERE koperasi_id = $1 AND event_seq = $2",
                &[t(id.to_string()), int_u64(c.seq)],
            )?;
            if exists.is_empty() {
                write_checkpoint(conn, id, c.seq, &cp)?;
            }
            Ok(cp)
        })();
        match r {
            Ok(cp) => {
                conn.commit()?;
                Ok(cp)
            }
            Err(e) => {
                conn.rollback();
                *g = None;
                Err(e)
            }
        }
    }

    /// Writes a snapshot of a cooperative's book now (its whole state after its latest
    /// event), unless one exists for that event; opening the cooperative later loads it and
    /// replays only the events after it.
    ///
    /// # Errors
    /// [`Error::UnknownKoperasi`]; [`Error::Snapshot`] if the state does not serialise (not
    /// expected); a database error (nothing written).
    #[doc(alias = "cuplikan")]
    pub fn snapshot(&self, id: CooperativeId) -> Result<SnapshotInfo> {
        let slot = self.slot(id);
        let mut g = lock(&slot);
        let mut pooled = self.conn()?;
        let conn = pooled.conn()?;
        conn.begin_write(&[lock_key(id)])?;
        let r = (|| -> Result<SnapshotInfo> {
            sync(conn, id, &mut g)?;
            let c = g.as_ref().ok_or(Error::UnknownKoperasi(id))?;
            if c.seq == 0 {
                return Err(Error::InvalidArgument(format!(
                    "koperasi {id} has no events: nothing to snapshot"
                )));
            }
            let existing = read_snapshots(conn, id, Some(c.seq))?;
            if let Some(info) = existing.into_iter().next() {
                return Ok(info);
            }
            let row = snapshot_row(id, c.seq, &c.book)?;
            insert_rows(conn, INSERT_SNAPSHOT_HEAD, "", std::slice::from_ref(&row))?;
            prune_snapshots(conn, &t(id.to_string()), self.inner.options.snapshots_kept)?;
            let info = read_snapshots(conn, id, Some(c.seq))?;
            info.into_iter().next().ok_or(Error::BadRow {
                koperasi: id,
                what: "snapshot",
                message: "the snapshot just written cannot be read back".into(),
            })
        })();
        match r {
            Ok(info) => {
                conn.commit()?;
                Ok(info)
            }
            Err(e) => {
                conn.rollback();
                *g = None;
                Err(e)
            }
        }
    }

    /// The current [`SnapshotTiming`] of the periodic snapshots.
    pub fn snapshot_timing(&self) -> SnapshotTiming {
        if self.inner.deferred.load(Ordering::Relaxed) {
            SnapshotTiming::Deferred
        } else {
            SnapshotTiming::InCommit
        }
    }

    /// Changes [`Options::snapshot_timing`] for the commits that start from now on (a server
    /// that writes the due snapshots itself sets [`SnapshotTiming::Deferred`]). Snapshots
    /// already due stay due until [`Store::write_due_snapshots`].
    pub fn set_snapshot_timing(&self, timing: SnapshotTiming) {
        self.inner
            .deferred
            .store(timing == SnapshotTiming::Deferred, Ordering::Relaxed);
    }

    /// `SQLite` only (nothing on PostgreSQL): sets how many WAL pages a commit may leave
    /// before that commit copies the WAL back into the database itself (SQLite's
    /// `wal_autocheckpoint`; the store's default is 8,192 pages, 32 MiB). A server that
    /// checkpoints the WAL in a background thread while its writer is idle
    /// ([`Store::checkpoint_wal_passive`]) raises it, so that no group commit ever waits behind
    /// a checkpoint; the value stays the bound on the WAL should the background thread fall
    /// behind. Applies to every connection the store hands out from now on.
    ///
    /// # Errors
    /// [`Error::InvalidArgument`] for 0 (which would let the WAL grow without bound).
    pub fn set_wal_autocheckpoint(&self, pages: u32) -> Result<()> {
        if pages == 0 {
            return Err(Error::InvalidArgument(
                "wal_autocheckpoint must be at least 1 page (0 would never checkpoint)".into(),
            ));
        }
        self.inner
            .wal_autocheckpoint
            .store(pages, Ordering::Relaxed);
        Ok(())
    }

    /// The cooperatives whose periodic snapshot is due and not yet written (only with
    /// [`SnapshotTiming::Deferred`]; always empty otherwise).
    pub fn snapshots_due(&self) -> Vec<CooperativeId> {
        lock(&self.inner.due).iter().copied().collect()
    }

    /// Writes the due periodic snapshots ([`SnapshotTiming::Deferred`]), each with
    /// [`Store::snapshot`] in a transaction of its own, at the cooperative's latest event
    /// (which may be past the multiple of [`Options::snapshot_every`] that made it due).
    /// Returns the snapshots written. A cooperative whose snapshot fails stays due, and the
    /// first error is returned after the others were tried.
    ///
    /// # Errors
    /// As [`Store::snapshot`].
    ///
    /// # Example
    /// ```
    /// use koperasi::core::{ActorId, CooperativeId, Rupiah};
    /// use koperasi::core::chrono::NaiveDate;
    /// use koperasi::membership::Role;
    /// use koperasi::{BookConfig, CapitalKind, Event, Operation, Via};
    /// use koperasi_store::{Options, SnapshotTiming, Store};
    /// let dir = std::env::temp_dir().join(format!("koperasi-due-doc-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir)?;
    /// let path = dir.join("koperasi.db");
    /// # let _ = std::fs::remove_file(&path);
    /// let options = Options::default()
    ///     .with_snapshot_every(2)
    ///     .with_snapshot_timing(SnapshotTiming::Deferred);
    /// let store = Store::open_with(path.to_str().unwrap(), options)?;
    /// let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    /// let bendahara = ActorId::from_u128(2);
    /// let config = BookConfig::kkmp(
    ///     CooperativeId::from_u128(1), "KKMP Mangunharjo", "35.74.04.1002".parse()?, d(1, 1),
    ///     vec![(bendahara, Role::Treasurer)],
    /// );
    /// let id = store.create_koperasi(&config)?;
    /// for day in [2, 3] {
    ///     let grant = Event::new(d(1, day), bendahara, Operation::Capital {
    ///         kind: CapitalKind::Grant, amount: Rupiah::from_rupiah(1_000_000), via: Via::Bank,
    ///     });
    ///     store.append(id, grant, None)?;
    /// }
    /// // The second event made a snapshot due; the commit did not write it.
    /// assert_eq!(store.snapshots_due(), vec![id]);
    /// assert!(store.snapshots(id)?.is_empty());
    /// let written = store.write_due_snapshots()?;
    /// assert_eq!((written.len(), written[0].event_seq), (1, 2));
    /// assert!(store.snapshots_due().is_empty());
    /// # drop(store); let _ = std::fs::remove_dir_all(&dir);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_due_snapshots(&self) -> Result<Vec<SnapshotInfo>> {
        let due: Vec<CooperativeId> = core::mem::take(&mut *lock(&self.inner.due))
            .into_iter()
            .collect();
        let mut written = Vec::with_capacity(due.len());
        let mut first_error = None;
        for id in due {
            match self.snapshot(id) {
                Ok(info) => written.push(info),
                Err(e) => {
                    lock(&self.inner.due).insert(id);
                    first_error.get_or_insert(e);
                }
            }
        }
        match first_error {
            Some(e) => Err(e),
            None => Ok(written),
        }
    }

    /// A cooperative's stored snapshots (metadata only), oldest first.
    ///
    /// # Errors
    /// A database error; [`Error::BadRow`].
    pub fn snapshots(&self, id: CooperativeId) -> Result<Vec<SnapshotInfo>> {
        let mut pooled = self.conn()?;
        read_snapshots(pooled.conn()?, id, None)
    }

    // ---- reading books --------------------------------------------------------------------

    /// A cooperative's book as of its latest committed event: the cached book brought up to
    /// date by replaying the log's tail; if it is not cached, the latest usable snapshot
    /// (see [`Store::snapshot`]) plus the tail after it, or a full replay if there is none.
    ///
    /// # Errors
    /// [`Error::UnknownKoperasi`]; [`Error::Replay`] if the log does not replay; a database
    /// error.
    pub fn load(&self, id: CooperativeId) -> Result<Koperasi> {
        self.with_book(id, Koperasi::clone)
    }

    /// Runs `f` on a cooperative's up-to-date book without copying it.
    ///
    /// # Errors
    /// As [`load`](Self::load).
    pub fn with_book<T>(&self, id: CooperativeId, f: impl FnOnce(&Koperasi) -> T) -> Result<T> {
        let slot = self.slot(id);
        let mut g = lock(&slot);
        let mut pooled = self.conn()?;
        let conn = pooled.conn()?;
        conn.begin_read()?;
        let r = sync(conn, id, &mut g);
        conn.rollback();
        if let Err(e) = r {
            *g = None;
            return Err(e);
        }
        let tick = self.inner.tick.fetch_add(1, Ordering::Relaxed);
        let c = g.as_mut().ok_or(Error::UnknownKoperasi(id))?;
        c.used = tick;
        let out = f(&c.book);
        drop(g);
        drop(pooled);
        self.evict();
        Ok(out)
    }

    /// Rebuilds a cooperative's book by a full replay of its stored log (no cache).
    ///
    /// # Errors
    /// As [`load`](Self::load).
    pub fn replay(&self, id: CooperativeId) -> Result<Koperasi> {
        let mut pooled = self.conn()?;
        let conn = pooled.conn()?;
        conn.begin_read()?;
        let r = full_load(conn, id).map(|c| c.book);
        conn.rollback();
        r
    }

    /// A cooperative's stored events after `after_seq` (0 for all), at most `limit`.
    ///
    /// # Errors
    /// [`Error::BadRow`] for an event that does not parse; a database error.
    pub fn events(
        &self,
        id: CooperativeId,
        after_seq: u64,
        limit: u32,
    ) -> Result<Vec<StoredEvent>> {
        let mut pooled = self.conn()?;
        let rows = pooled.conn()?.query(
            "SELECT seq, body, idem_key FROM events WHERE koperasi_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
            &[t(id.to_string()), int_u64(after_seq), Value::Int(i64::from(limit))],
        )?;
        rows.iter()
            .map(|row| {
                let c = cells(id, "event", row);
                Ok(StoredEvent {
                    seq: c.uint(0)?,
                    event: parse_event(id, c.text(1)?)?,
                    key: c.opt_text(2)?.map(str::to_owned),
                })
            })
            .collect()
    }

    // ---- queries on the projections ---------------------------------------------------

    /// An account's totals as of a date (inclusive): one index seek on the running totals.
    ///
    /// # Errors
    /// A database error.
    #[doc(alias = "saldo")]
    pub fn balance(&self, id: CooperativeId, account: &str, as_of: NaiveDate) -> Result<Totals> {
        let mut pooled = self.conn()?;
        let rows = pooled.conn()?.query(
            "SELECT debit_after, credit_after FROM lines WHERE koperasi_id = $1 AND account = $2 AND date <= $3 ORDER BY date DESC, entry_no DESC, idx DESC LIMIT 1",
            &[t(id.to_string()), t(account), t(as_of.to_string())],
        )?;
        match rows.first() {
            None => Ok(Totals::default()),
            Some(row) => {
                let c = cells(id, "line", row);
                Ok(Totals {
                    debit: c.rupiah(0)?,
                    credit: c.rupiah(1)?,
                })
            }
        }
    }

    /// Every account's totals as of a date (accounts without lines by then are left out).
    ///
    /// # Errors
    /// A database error.
    pub fn balances(&self, id: CooperativeId, as_of: NaiveDate) -> Result<Vec<(String, Totals)>> {
        let mut pooled = self.conn()?;
        let rows = pooled
            .conn()?
            .query(BALANCES_OF_ONE, &[t(id.to_string()), t(as_of.to_string())])?;
        let mut out = Vec::new();
        for row in &rows {
            let c = cells(id, "balance", row);
            if matches!(row.get(1), Some(Value::Null)) {
                continue;
            }
            out.push((
                c.text(0)?.to_owned(),
                Totals {
                    debit: c.rupiah(1)?,
                    credit: c.rupiah(2)?,
                },
            ));
        }
        Ok(out)
    }

    /// Journal entries (with lines) matching a filter, in posting order, one page at a
    /// time: pass the last `entry_no` as [`EntryFilter::after`] for the next page.
    ///
    /// # Errors
    /// A database error; [`Error::BadRow`].
    #[doc(alias = "jurnal")]
    pub fn entries(&self, id: CooperativeId, filter: &EntryFilter) -> Result<Vec<StoredEntry>> {
        let limit = filter.limit.unwrap_or(100).clamp(1, 10_000);
        let mut sql = String::from(
            "SELECT e.entry_no, e.entry_id, e.event_seq, e.date, e.kind, e.reverses, e.memo, e.source, e.actor, e.leaf FROM entries e WHERE e.koperasi_id = $1",
        );
        let mut params = vec![t(id.to_string())];
        let next = |params: &mut Vec<Value>, v: Value| {
            params.push(v);
            params.len()
        };
        if let Some(a) = &filter.account {
            let n = next(&mut params, t(a.clone()));
            let _ = write!(
                sql,
                " AND EXISTS (SELECT 1 FROM lines l WHERE l.koperasi_id = e.koperasi_id AND l.entry_no = e.entry_no AND l.account = ${n})"
            );
        }
        if let Some(m) = filter.member {
            let n = next(&mut params, t(m.to_string()));
            let _ = write!(
                sql,
                " AND EXISTS (SELECT 1 FROM lines l WHERE l.koperasi_id = e.koperasi_id AND l.entry_no = e.entry_no AND l.member = ${n})"
            );
        }
        if let Some(d) = filter.from {
            let n = next(&mut params, t(d.to_string()));
            let _ = write!(sql, " AND e.date >= ${n}");
        }
        if let Some(d) = filter.to {
            let n = next(&mut params, t(d.to_string()));
            let _ = write!(sql, " AND e.date <= ${n}");
        }
        if let Some(a) = filter.after {
            let n = next(&mut params, int_u64(a));
            let _ = write!(sql, " AND e.entry_no > ${n}");
        }
        let n = next(&mut params, Value::Int(i64::from(limit)));
        let _ = write!(sql, " ORDER BY e.entry_no LIMIT ${n}");
        let mut pooled = self.conn()?;
        let conn = pooled.conn()?;
        conn.begin_read()?;
        let rows = conn.query(&sql, &params)?;
        let mut out = Vec::with_capacity(rows.len());
        for row in &rows {
            let c = cells(id, "entry", row);
            let entry_no = c.uint(0)?;
            let lines = conn.query(
                "SELECT account, side, amount, unit, counterparty, member, debit_after, credit_after FROM lines WHERE koperasi_id = $1 AND entry_no = $2 ORDER BY idx",
                &[t(id.to_string()), int_u64(entry_no)],
            )?;
            let lines = lines
                .iter()
                .map(|row| {
                    let l = cells(id, "line", row);
                    Ok(StoredLine {
                        account: l.text(0)?.to_owned(),
                        debit: l.text(1)? == "D",
                        amount: l.rupiah(2)?,
                        unit: l.opt_text(3)?.map(str::to_owned),
                        counterparty: l.opt_text(4)?.map(str::to_owned),
                        member: match l.opt_text(5)? {
                            None => None,
                            Some(_) => Some(l.id(5)?),
                        },
                        after: Totals {
                            debit: l.rupiah(6)?,
                            credit: l.rupiah(7)?,
                        },
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            out.push(StoredEntry {
                entry_no,
                id: c.id(1)?,
                event_seq: c.uint(2)?,
                date: c.date(3)?,
                kind: c.text(4)?.to_owned(),
                reverses: match c.opt_text(5)? {
                    None => None,
                    Some(_) => Some(c.id(5)?),
                },
                memo: c.text(6)?.to_owned(),
                source: c.text(7)?.to_owned(),
                actor: c.text(8)?.to_owned(),
                leaf: c.uint(9)?,
                lines,
            });
        }
        conn.rollback();
        Ok(out)
    }

    /// A cooperative's members (current state), by id.
    ///
    /// # Errors
    /// A database error; [`Error::BadRow`].
    #[doc(alias = "anggota")]
    pub fn members(&self, id: CooperativeId) -> Result<Vec<MemberRow>> {
        let mut pooled = self.conn()?;
        read_members(pooled.conn()?, id)
    }

    /// A cooperative's disbursed loans (current state), by id.
    ///
    /// # Errors
    /// A database error; [`Error::BadRow`].
    #[doc(alias = "pinjaman")]
    pub fn loans(&self, id: CooperativeId) -> Result<Vec<LoanRow>> {
        let mut pooled = self.conn()?;
        read_loans(pooled.conn()?, id)
    }

    /// Monitoring figures of every cooperative in the store as of a date, from the
    /// projections only (no book is loaded).
    ///
    /// # Errors
    /// A database error; [`Error::BadRow`]; [`Error::Overflow`].
    #[doc(alias = "pemantauan")]
    pub fn monitoring(&self, as_of: NaiveDate) -> Result<Vec<Monitoring>> {
        let role = |r: PostingRole| serde_json::to_string(&r);
        let cash = role(PostingRole::Cash)?;
        let bank = role(PostingRole::Bank)?;
        let loans = role(PostingRole::LoanReceivable)?;
        let savings = [
            role(PostingRole::MemberSavings(SavingsKind::Principal))?,
            role(PostingRole::MemberSavings(SavingsKind::Mandatory))?,
            role(PostingRole::MemberSavings(SavingsKind::Voluntary))?,
        ];
        let mut pooled = self.conn()?;
        let conn = pooled.conn()?;
        conn.begin_read()?;
        let coops = conn.query(
            "SELECT koperasi_id, name FROM koperasi ORDER BY koperasi_id",
            &[],
        )?;
        let mut out: BTreeMap<String, Monitoring> = BTreeMap::new();
        for row in &coops {
            let c = cells(CooperativeId::default(), "koperasi", row);
            let id: CooperativeId = c.id(0)?;
            out.insert(
                c.text(0)?.to_owned(),
                Monitoring {
                    koperasi: id,
                    name: c.text(1)?.to_owned(),
                    assets: Rupiah::ZERO,
                    liabilities: Rupiah::ZERO,
                    equity: Rupiah::ZERO,
                    revenue: Rupiah::ZERO,
                    expenses: Rupiah::ZERO,
                    cash_and_bank: Rupiah::ZERO,
                    member_savings: Rupiah::ZERO,
                    loans_outstanding: Rupiah::ZERO,
                    members: 0,
                },
            );
        }
        let date = t(as_of.to_string());
        let add = |koperasi: CooperativeId, a: Rupiah, b: Rupiah| {
            a.checked_add(b).map_err(|_| Error::Overflow {
                koperasi,
                what: "monitoring total",
            })
        };
        let net_debit = |koperasi: CooperativeId, debit: i64, credit: i64| {
            Rupiah::try_from_sen_i128(i128::from(debit).saturating_sub(i128::from(credit))).map_err(
                |_| Error::Overflow {
                    koperasi,
                    what: "balance",
                },
            )
        };
        // 1. Per cooperative and account class: the sums of the active accounts' running
        //    totals as of the date (one index seek per account, summed in the database).
        for row in conn.query(CLASS_TOTALS_OF_ALL, std::slice::from_ref(&date))? {
            let c = cells(CooperativeId::default(), "class totals", &row);
            let Some(m) = out.get_mut(c.text(0)?) else {
                continue;
            };
            let net = net_debit(m.koperasi, c.int(2)?, c.int(3)?)?;
            let k = m.koperasi;
            match c.text(1)? {
                "asset" => m.assets = add(k, m.assets, net)?,
                "liability" => m.liabilities = add(k, m.liabilities, net.negated())?,
                "equity" => m.equity = add(k, m.equity, net.negated())?,
                "revenue" => m.revenue = add(k, m.revenue, net.negated())?,
                "expense" => m.expenses = add(k, m.expenses, net)?,
                _ => {}
            }
        }
        // 2. The accounts of the roles monitored (kas, bank, piutang pinjaman, simpanan):
        //    one seek each, only for those roles.
        let mut params = vec![
            date.clone(),
            t(cash.clone()),
            t(bank.clone()),
            t(loans.clone()),
        ];
        params.extend(savings.iter().map(|s| t(s.clone())));
        for row in conn.query(ROLE_BALANCES_OF_ALL, &params)? {
            let c = cells(CooperativeId::default(), "role balance", &row);
            let Some(m) = out.get_mut(c.text(0)?) else {
                continue;
            };
            let k = m.koperasi;
            let net = net_debit(k, c.int(2)?, c.int(3)?)?;
            let r = c.text(1)?;
            if *r == cash || *r == bank {
                m.cash_and_bank = add(k, m.cash_and_bank, net)?;
            } else if *r == loans {
                m.loans_outstanding = add(k, m.loans_outstanding, net)?;
            } else if savings.iter().any(|s| s == r) {
                m.member_savings = add(k, m.member_savings, net.negated())?;
            }
        }
        let member_status = tag(&koperasi::membership::MemberStatus::Member)?;
        for row in conn.query(
            "SELECT koperasi_id, CAST(COUNT(*) AS BIGINT) FROM members WHERE status = $1 AND pokok_paid_on <= $2 GROUP BY koperasi_id",
            &[t(member_status), date],
        )? {
            let c = cells(CooperativeId::default(), "members", &row);
            if let Some(m) = out.get_mut(c.text(0)?) {
                m.members = c.uint(1)?;
            }
        }
        conn.rollback();
        Ok(out.into_values().collect())
    }

    /// Exports a cooperative as the umbrella's portable JSON Lines event log (header with the
    /// configuration, then one event per line), read from the stored log.
    ///
    /// # Errors
    /// As [`replay`](Self::replay).
    pub fn export_json_lines(&self, id: CooperativeId) -> Result<String> {
        let book = self.replay(id)?;
        book.to_json_lines().map_err(|source| Error::Replay {
            koperasi: id,
            seq: 0,
            source,
        })
    }

    /// Imports a JSON Lines event log (as written by `Koperasi::to_json_lines`): checks that
    /// it replays, creates the cooperative if needed, and appends the events the store does
    /// not hold yet (an import is idempotent: the stored events must be a prefix of the
    /// file's). Events are written in groups of 1,000 per transaction.
    ///
    /// # Errors
    /// [`Error::Rejected`] if the log does not replay; [`Error::KoperasiExists`] if the
    /// cooperative exists with a different configuration or its stored log is not a prefix
    /// of the file's; a database error.
    pub fn import_json_lines(&self, text: &str) -> Result<CooperativeId> {
        let book = Koperasi::from_json_lines(text).map_err(|source| Error::Rejected {
            koperasi: CooperativeId::default(),
            source,
        })?;
        let id = self.create_koperasi(book.config())?;
        let stored = self.events(id, 0, u32::MAX)?;
        let events = book.events();
        if stored.len() > events.len() || stored.iter().zip(events).any(|(s, e)| s.event != *e) {
            return Err(Error::KoperasiExists(id));
        }
        for chunk in events.get(stored.len()..).unwrap_or(&[]).chunks(1_000) {
            let reqs: Vec<Request> = chunk.iter().map(|e| Request::new(id, e.clone())).collect();
            for r in self.commit_group(&reqs)? {
                r?;
            }
        }
        Ok(id)
    }
}

/// The last line of every active account of one cooperative dated on or before `$2`: one
/// index seek per account, then its row by primary key (`CROSS JOIN` keeps SQLite's join
/// order: accounts outside, lines by key inside).
const BALANCES_OF_ONE: &str = "SELECT x.account, l.debit_after, l.credit_after FROM (SELECT a.account, (SELECT l.entry_no * 1048576 + l.idx FROM lines l WHERE l.koperasi_id = a.koperasi_id AND l.account = a.account AND l.date <= $2 ORDER BY l.date DESC, l.entry_no DESC, l.idx DESC LIMIT 1) AS k FROM active_accounts a WHERE a.koperasi_id = $1) x CROSS JOIN lines l WHERE l.koperasi_id = $1 AND l.entry_no = x.k / 1048576 AND l.idx = x.k % 1048576 ORDER BY x.account";

/// Per cooperative and account class, the sums of every active account's running totals as
/// of `$1` (the last line of each account dated on or before it: one index seek per
/// account). Accounts without a line by then drop out of the join.
const CLASS_TOTALS_OF_ALL: &str = "SELECT x.koperasi_id, c.class, CAST(SUM(l.debit_after) AS BIGINT), CAST(SUM(l.credit_after) AS BIGINT) FROM (SELECT a.koperasi_id, a.account, (SELECT l.entry_no * 1048576 + l.idx FROM lines l WHERE l.koperasi_id = a.koperasi_id AND l.account = a.account AND l.date <= $1 ORDER BY l.date DESC, l.entry_no DESC, l.idx DESC LIMIT 1) AS k FROM active_accounts a) x CROSS JOIN lines l CROSS JOIN accounts c WHERE l.koperasi_id = x.koperasi_id AND l.entry_no = x.k / 1048576 AND l.idx = x.k % 1048576 AND c.koperasi_id = x.koperasi_id AND c.code = x.account GROUP BY x.koperasi_id, c.class";

/// For the posting roles `$2…$7` of every cooperative, the running totals of the role's
/// account as of `$1`.
const ROLE_BALANCES_OF_ALL: &str = "SELECT x.koperasi_id, x.role, l.debit_after, l.credit_after FROM (SELECT r.koperasi_id, r.role, (SELECT l.entry_no * 1048576 + l.idx FROM lines l WHERE l.koperasi_id = r.koperasi_id AND l.account = r.code AND l.date <= $1 ORDER BY l.date DESC, l.entry_no DESC, l.idx DESC LIMIT 1) AS k FROM account_roles r WHERE r.role IN ($2, $3, $4, $5, $6, $7)) x CROSS JOIN lines l WHERE l.koperasi_id = x.koperasi_id AND l.entry_no = x.k / 1048576 AND l.idx = x.k % 1048576";

pub(crate) fn parse_event(id: CooperativeId, body: &str) -> Result<Event> {
    serde_json::from_str(body).map_err(|e| Error::BadRow {
        koperasi: id,
        what: "event",
        message: e.to_string(),
    })
}

pub(crate) fn read_config(conn: &mut Conn, id: CooperativeId) -> Result<BookConfig> {
    let rows = conn.query(
        "SELECT config, config_sha256 FROM koperasi WHERE koperasi_id = $1",
        &[t(id.to_string())],
    )?;
    let row = rows.first().ok_or(Error::UnknownKoperasi(id))?;
    let c = cells(id, "koperasi configuration", row);
    let json = c.text(0)?;
    if sha256(json.as_bytes()).as_slice() != c.bytes(1)? {
        return Err(Error::BadRow {
            koperasi: id,
            what: "koperasi configuration",
            message: "its SHA-256 does not match the stored hash".into(),
        });
    }
    serde_json::from_str(json).map_err(|e| Error::BadRow {
        koperasi: id,
        what: "koperasi configuration",
        message: e.to_string(),
    })
}

pub(crate) fn read_members(conn: &mut Conn, id: CooperativeId) -> Result<Vec<MemberRow>> {
    let rows = conn.query(
        "SELECT member_id, name, status, pokok_paid_on, pokok, wajib, sukarela FROM members WHERE koperasi_id = $1 ORDER BY member_id",
        &[t(id.to_string())],
    )?;
    rows.iter()
        .map(|row| {
            let c = cells(id, "member", row);
            Ok(MemberRow {
                id: c.id(0)?,
                name: c.text(1)?.to_owned(),
                status: c.text(2)?.to_owned(),
                pokok_paid_on: c.opt_date(3)?,
                pokok: c.rupiah(4)?,
                wajib: c.rupiah(5)?,
                sukarela: c.rupiah(6)?,
            })
        })
        .collect()
}

pub(crate) fn read_loans(conn: &mut Conn, id: CooperativeId) -> Result<Vec<LoanRow>> {
    let rows = conn.query(
        "SELECT loan_id, member_id, principal, outstanding, status, class FROM loans WHERE koperasi_id = $1 ORDER BY loan_id",
        &[t(id.to_string())],
    )?;
    rows.iter()
        .map(|row| {
            let c = cells(id, "loan", row);
            Ok(LoanRow {
                id: c.id(0)?,
                member: c.id(1)?,
                principal: c.rupiah(2)?,
                outstanding: c.rupiah(3)?,
                status: c.text(4)?.to_owned(),
                class: c.text(5)?.to_owned(),
            })
        })
        .collect()
}

/// The snapshots' metadata of a cooperative (of one event if `seq` is given), oldest first.
pub(crate) fn read_snapshots(
    conn: &mut Conn,
    id: CooperativeId,
    seq: Option<u64>,
) -> Result<Vec<SnapshotInfo>> {
    let mut params = vec![t(id.to_string())];
    let mut sql = String::from(
        "SELECT event_seq, audit_size, audit_root, format, CAST(LENGTH(state) AS BIGINT), state_sha256 FROM snapshots WHERE koperasi_id = $1",
    );
    if let Some(s) = seq {
        sql.push_str(" AND event_seq = $2");
        params.push(int_u64(s));
    }
    sql.push_str(" ORDER BY event_seq");
    conn.query(&sql, &params)?
        .iter()
        .map(|row| {
            let c = cells(id, "snapshot", row);
            Ok(SnapshotInfo {
                event_seq: c.uint(0)?,
                audit: TreeHead {
                    size: c.uint(1)?,
                    root: Hash(c.hash(2)?),
                },
                format: u32::try_from(c.int(3)?).unwrap_or(u32::MAX),
                bytes: c.uint(4)?,
                sha256: c.hash(5)?,
            })
        })
        .collect()
}

fn checkpoint_of(id: CooperativeId, head: TreeHead) -> Result<Checkpoint> {
    Checkpoint::new(format!("koperasi/{id}"), head).map_err(|e| Error::BadRow {
        koperasi: id,
        what: "checkpoint",
        message: e.to_string(),
    })
}

fn write_checkpoint(conn: &mut Conn, id: CooperativeId, seq: u64, cp: &Checkpoint) -> Result<()> {
    conn.execute(
        "INSERT INTO checkpoints (koperasi_id, event_seq, size, root, note) VALUES ($1, $2, $3, $4, $5)",
        &[
            t(id.to_string()),
            int_u64(seq),
            int_u64(cp.size()),
            Value::Bytes(cp.root().0.to_vec()),
            t(cp.to_text()),
        ],
    )?;
    Ok(())
}

/// A stored snapshot (its metadata; the state itself stays in the database).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SnapshotInfo {
    /// The event it follows (the book after applying events `1..=event_seq`).
    pub event_seq: u64,
    /// The book's audit tree head at that event.
    pub audit: TreeHead,
    /// The book snapshot layout version (`koperasi::BOOK_SNAPSHOT_VERSION` when written).
    pub format: u32,
    /// The state's size in bytes.
    pub bytes: u64,
    /// The SHA-256 of the state's payload.
    pub sha256: [u8; 32],
}

/// The `snapshots` row of a book after event `seq`.
fn snapshot_row(id: CooperativeId, seq: u64, book: &Koperasi) -> Result<Vec<Value>> {
    let state = book.to_snapshot().map_err(|e| Error::Snapshot {
        koperasi: id,
        seq,
        message: e.to_string(),
    })?;
    let sha = Koperasi::snapshot_sha256(&state).map_err(|e| Error::Snapshot {
        koperasi: id,
        seq,
        message: e.to_string(),
    })?;
    let head = book.audit_head();
    Ok(vec![
        t(id.to_string()),
        int_u64(seq),
        int_u64(head.size),
        Value::Bytes(head.root.0.to_vec()),
        Value::Int(i64::from(koperasi::BOOK_SNAPSHOT_VERSION)),
        Value::Bytes(sha.to_vec()),
        Value::Bytes(state),
    ])
}

/// Why a stored snapshot cannot be used, or `None` if it can: its tree head must equal the
/// event row's at its seq, its state must carry the recorded SHA-256 (and match it: checked
/// when decoding), decode, and give a book at that seq with that head and configuration.
pub(crate) fn usable_snapshot(
    seq: u64,
    head: TreeHead,
    event_head: Option<TreeHead>,
    sha: &[u8],
    state: &[u8],
    config: &BookConfig,
) -> core::result::Result<Koperasi, String> {
    match event_head {
        None => return Err(format!("no event {seq} in the log")),
        Some(e) if e != head => {
            return Err(format!(
                "its tree head (size {}, root {}) is not the log's at event {seq} (size {}, root {})",
                head.size, head.root, e.size, e.root
            ));
        }
        Some(_) => {}
    }
    match Koperasi::snapshot_sha256(state) {
        Ok(h) if h.as_slice() == sha => {}
        Ok(_) => return Err("its state does not carry the recorded SHA-256".into()),
        Err(e) => return Err(e.to_string()),
    }
    let book = Koperasi::from_snapshot(state).map_err(|e| e.to_string())?;
    if book.audit_head() != head
        || u64::try_from(book.events().len()).ok() != Some(seq)
        || book.config() != config
    {
        return Err(
            "its state decodes to a book of another tree head, length or configuration".into(),
        );
    }
    Ok(book)
}

/// Loads a cooperative's book from its latest usable snapshot and replays the log's tail;
/// a snapshot that cannot be used is skipped (the next older one, else a full replay).
fn snapshot_load(conn: &mut Conn, id: CooperativeId) -> Result<Cached> {
    let kid = t(id.to_string());
    let rows = conn.query(
        "SELECT s.event_seq, s.audit_size, s.audit_root, s.state_sha256, e.audit_size, e.audit_root, e.chain FROM snapshots s LEFT JOIN events e ON e.koperasi_id = s.koperasi_id AND e.seq = s.event_seq WHERE s.koperasi_id = $1 ORDER BY s.event_seq DESC",
        std::slice::from_ref(&kid),
    )?;
    if rows.is_empty() {
        return full_load(conn, id);
    }
    let config = read_config(conn, id)?;
    for row in &rows {
        let c = cells(id, "snapshot", row);
        let seq = c.uint(0)?;
        let head = TreeHead {
            size: c.uint(1)?,
            root: Hash(c.hash(2)?),
        };
        let event_head = match row.get(4) {
            Some(Value::Null) | None => None,
            Some(_) => Some(TreeHead {
                size: c.uint(4)?,
                root: Hash(c.hash(5)?),
            }),
        };
        if event_head != Some(head) {
            continue;
        }
        let chain = c.hash(6)?;
        let sha = c.bytes(3)?.to_vec();
        let state = conn.query(
            "SELECT state FROM snapshots WHERE koperasi_id = $1 AND event_seq = $2",
            &[kid.clone(), int_u64(seq)],
        )?;
        let Some(state_row) = state.first() else {
            continue;
        };
        let state = cells(id, "snapshot", state_row);
        let Ok(mut book) = usable_snapshot(seq, head, event_head, &sha, state.bytes(0)?, &config)
        else {
            continue;
        };
        let (seq, chain) = replay_tail(conn, id, &mut book, seq, chain)?;
        return Ok(Cached {
            members: all_member_rows(&book)?,
            loans: all_loan_rows(&book)?,
            running: HashMap::new(),
            book,
            seq,
            chain,
            used: 0,
        });
    }
    full_load(conn, id)
}

/// Loads a cooperative's book by a full replay of its log.
fn full_load(conn: &mut Conn, id: CooperativeId) -> Result<Cached> {
    let config = read_config(conn, id)?;
    let mut book = Koperasi::new(config).map_err(|source| Error::Replay {
        koperasi: id,
        seq: 0,
        source,
    })?;
    let (seq, chain) = replay_tail(conn, id, &mut book, 0, [0; 32])?;
    Ok(Cached {
        members: all_member_rows(&book)?,
        loans: all_loan_rows(&book)?,
        running: HashMap::new(),
        book,
        seq,
        chain,
        used: 0,
    })
}

/// Applies the stored events after `from` to `book`; the new head (seq, chain).
fn replay_tail(
    conn: &mut Conn,
    id: CooperativeId,
    book: &mut Koperasi,
    from: u64,
    chain: [u8; 32],
) -> Result<(u64, [u8; 32])> {
    let rows = conn.query(SELECT_EVENTS_FROM, &[t(id.to_string()), int_u64(from)])?;
    let (mut seq, mut chain) = (from, chain);
    for row in &rows {
        let c = cells(id, "event", row);
        seq = c.uint(0)?;
        let event = parse_event(id, c.text(1)?)?;
        book.apply(event).map_err(|source| Error::Replay {
            koperasi: id,
            seq,
            source,
        })?;
        chain = c.hash(3)?;
    }
    Ok((seq, chain))
}

/// Brings a cached book to the database's head for this cooperative (loads it if absent).
fn sync(conn: &mut Conn, id: CooperativeId, slot: &mut Option<Cached>) -> Result<()> {
    let rows = conn.query(
        "SELECT seq, chain FROM events WHERE koperasi_id = $1 ORDER BY seq DESC LIMIT 1",
        &[t(id.to_string())],
    )?;
    let head = match rows.first() {
        Some(row) => cells(id, "event", row).uint(0)?,
        None => 0,
    };
    match slot {
        Some(c) if c.seq == head => return Ok(()),
        Some(c) if c.seq < head => {
            let (seq, chain) = replay_tail(conn, id, &mut c.book, c.seq, c.chain)?;
            c.seq = seq;
            c.chain = chain;
            c.members = all_member_rows(&c.book)?;
            c.loans = all_loan_rows(&c.book)?;
            c.running.clear();
            return Ok(());
        }
        _ => {}
    }
    *slot = None;
    *slot = Some(snapshot_load(conn, id)?);
    Ok(())
}

/// Applies one request to its cached book and writes the event and projections.
fn append_one(
    conn: &mut Conn,
    options: &Options,
    req: &Request,
    c: &mut Cached,
    batch: &mut Batch,
) -> Result<Result<Appended>> {
    let id = req.koperasi;
    let kid = id.to_string();
    let body = serde_json::to_string(&req.event)?;
    let body_sha = sha256(body.as_bytes());
    if let Some(key) = &req.key {
        // A key used earlier in this group (not yet written).
        if let Some((sha, appended)) = batch.keys.get(&(id, key.clone())) {
            return Ok(if *sha == body_sha {
                let mut a = appended.clone();
                a.replayed = true;
                Ok(a)
            } else {
                Err(Error::IdempotencyConflict {
                    koperasi: id,
                    key: key.clone(),
                    seq: appended.seq,
                })
            });
        }
        let rows = conn.query(
            "SELECT seq, body_sha256, first_entry, entry_count, audit_size, audit_root FROM events WHERE koperasi_id = $1 AND idem_key = $2",
            &[t(kid.clone()), t(key.clone())],
        )?;
        if let Some(row) = rows.first() {
            let r = cells(id, "event", row);
            let seq = r.uint(0)?;
            if r.bytes(1)? != body_sha.as_slice() {
                return Ok(Err(Error::IdempotencyConflict {
                    koperasi: id,
                    key: key.clone(),
                    seq,
                }));
            }
            let ids = conn.query(
                "SELECT entry_id FROM entries WHERE koperasi_id = $1 AND entry_no >= $2 AND entry_no < $3 ORDER BY entry_no",
                &[
                    t(kid.clone()),
                    Value::Int(r.int(2)?),
                    Value::Int(r.int(2)?.saturating_add(r.int(3)?)),
                ],
            )?;
            let entries = ids
                .iter()
                .map(|row| cells(id, "entry", row).id(0))
                .collect::<Result<Vec<EntryId>>>()?;
            return Ok(Ok(Appended {
                seq,
                entries,
                audit: TreeHead {
                    size: r.uint(4)?,
                    root: Hash(r.hash(5)?),
                },
                replayed: true,
            }));
        }
    }
    let entries_before = c.book.ledger().len();
    let leaves_before = c.book.ledger().audit().len();
    let applied = match c.book.apply(req.event.clone()) {
        Ok(a) => a,
        Err(source) => {
            return Ok(Err(Error::Rejected {
                koperasi: id,
                source,
            }));
        }
    };
    let seq = c.seq.saturating_add(1);
    let book = &c.book;
    let ledger = book.ledger();
    let entries_after = ledger.len();
    let new_count = entries_after.saturating_sub(entries_before);
    let new_entries: Vec<_> = if applied.entries.len() == new_count {
        applied
            .entries
            .iter()
            .map(|e| {
                ledger.entry(*e).ok_or_else(|| Error::BadRow {
                    koperasi: id,
                    what: "posted entry",
                    message: format!("entry {e} is not in the ledger"),
                })
            })
            .collect::<Result<_>>()?
    } else {
        ledger.entries().skip(entries_before).collect()
    };
    let head = book.audit_head();
    let chain = chain_next(&c.chain, &body_sha);
    batch.events.push(vec![
        t(kid.clone()),
        int_u64(seq),
        t(req.event.date.to_string()),
        t(req.event.actor.to_string()),
        t(req.event.op.name()),
        t(body.clone()),
        Value::Bytes(body_sha.to_vec()),
        Value::Bytes(chain.to_vec()),
        Value::opt_text(req.key.clone()),
        int_usize(entries_before),
        int_usize(new_count),
        int_u64(head.size),
        Value::Bytes(head.root.0.to_vec()),
    ]);
    // Running totals after each new line: back from the account's final totals.
    let mut last_date = req.event.date;
    let mut lines = Vec::new();
    for (i, e) in new_entries.iter().enumerate() {
        last_date = last_date.max(e.date());
        for (j, l) in e.lines().enumerate() {
            lines.push((entries_before.saturating_add(i), j, e.date(), l));
        }
    }
    // Accounts first touched since caching: their totals after this event, from the ledger,
    // less this event's lines (added back below).
    let mut fresh: HashMap<String, (i128, i128)> = HashMap::new();
    for (_, _, _, l) in &lines {
        let code = l.account.as_str();
        if !c.running.contains_key(code) && !fresh.contains_key(code) {
            let b = ledger.totals(code, last_date).map_err(|e| Error::BadRow {
                koperasi: id,
                what: "account totals",
                message: e.to_string(),
            })?;
            fresh.insert(code.to_owned(), (b.debit.to_sen(), b.credit.to_sen()));
        }
    }
    for (_, _, _, l) in &lines {
        if let Some(r) = fresh.get_mut(l.account.as_str()) {
            let amount = l.amount.to_sen();
            if l.side == koperasi::ledger::Side::Debit {
                r.0 = r.0.saturating_sub(amount);
            } else {
                r.1 = r.1.saturating_sub(amount);
            }
        }
    }
    for code in fresh.keys() {
        batch.active.insert((kid.clone(), code.clone()));
        if let Some(a) = ledger.chart().get(code) {
            batch.accounts.insert(
                (kid.clone(), code.clone()),
                vec![
                    t(kid.clone()),
                    t(code.clone()),
                    t(a.name.clone()),
                    t(tag(&a.class)?),
                ],
            );
        }
    }
    c.running.extend(fresh);
    let mut afters = Vec::with_capacity(lines.len());
    for (_, _, _, l) in &lines {
        let r = c
            .running
            .get_mut(l.account.as_str())
            .ok_or(Error::Overflow {
                koperasi: id,
                what: "running totals",
            })?;
        let amount = l.amount.to_sen();
        if l.side == koperasi::ledger::Side::Debit {
            r.0 = r.0.saturating_add(amount);
        } else {
            r.1 = r.1.saturating_add(amount);
        }
        afters.push(*r);
    }
    for (i, e) in new_entries.iter().enumerate() {
        let (kind, reverses) = match e.kind() {
            EntryKind::Reversal { of } => (tag(&e.kind())?, Some(of.to_string())),
            k => (tag(&k)?, None),
        };
        batch.entries.push(vec![
            t(kid.clone()),
            int_usize(entries_before.saturating_add(i)),
            t(e.id().to_string()),
            int_u64(seq),
            t(e.date().to_string()),
            t(kind),
            Value::opt_text(reverses),
            t(e.memo()),
            t(e.source()),
            t(e.actor().to_string()),
            int_u64(e.leaf()),
        ]);
    }
    for ((entry_no, idx, date, l), (debit_after, credit_after)) in lines.iter().zip(&afters) {
        batch.lines.push(vec![
            t(kid.clone()),
            int_usize(*entry_no),
            int_usize(*idx),
            t(l.account.to_string()),
            t(if l.side == koperasi::ledger::Side::Debit {
                "D"
            } else {
                "C"
            }),
            Value::Int(sen(id, "line amount", l.amount)?),
            Value::opt_text(l.dims.unit.map(|u| tag(&u)).transpose()?),
            Value::opt_text(l.dims.counterparty.map(|u| tag(&u)).transpose()?),
            Value::opt_text(l.dims.member.map(|m| m.to_string())),
            t(date.to_string()),
            Value::Int(sen128(id, "running debit", *debit_after)?),
            Value::Int(sen128(id, "running credit", *credit_after)?),
        ]);
    }
    let audit = ledger.audit();
    for i in leaves_before..audit.len() {
        let h = audit.leaf_hash(i).ok_or(Error::BadRow {
            koperasi: id,
            what: "audit leaf",
            message: format!("leaf {i} missing"),
        })?;
        batch
            .leaves
            .push(vec![t(kid.clone()), int_u64(i), Value::Bytes(h.0.to_vec())]);
    }
    // Members and loans: those the event names or whose lines it posted; all of them when
    // it names none and is of a kind that can change rows it does not name (month-end, year
    // close, SHU, approvals, reversals…). Only changed rows are written.
    let mut members = BTreeSet::new();
    let mut loans = BTreeSet::new();
    named_ids(&serde_json::to_value(&req.event)?, &mut members, &mut loans);
    let full = members.is_empty() && loans.is_empty() && may_change_unnamed(&req.event.op);
    for (_, _, _, l) in &lines {
        if let Some(m) = l.dims.member {
            members.insert(m);
        }
    }
    let (member_rows, loan_rows) = if full {
        (all_member_rows(book)?, all_loan_rows(book)?)
    } else {
        // The loans of the members named: from the cached rows (which hold every loan of
        // the book unless this event disbursed one), else from the book.
        if book.loans().len() == c.loans.len() {
            loans.extend(
                c.loans
                    .iter()
                    .filter(|(_, r)| members.contains(&r.member))
                    .map(|(lid, _)| *lid),
            );
        } else {
            for (lid, l) in book.loans() {
                if members.contains(&l.member) {
                    loans.insert(*lid);
                }
            }
        }
        let mut mr = BTreeMap::new();
        for m in &members {
            if let Some(r) = member_row(book, *m)? {
                mr.insert(*m, r);
            }
        }
        let mut lr = BTreeMap::new();
        for l in &loans {
            if let Some(r) = loan_row(book, *l)? {
                lr.insert(*l, r);
            }
        }
        (mr, lr)
    };
    for (mid, r) in member_rows {
        if c.members.get(&mid) != Some(&r) {
            batch.members.insert(
                (kid.clone(), mid.to_string()),
                vec![
                    t(kid.clone()),
                    t(mid.to_string()),
                    t(r.name.clone()),
                    t(r.status.clone()),
                    Value::opt_text(r.pokok_paid_on.map(|d| d.to_string())),
                    Value::Int(sen(id, "simpanan pokok", r.pokok)?),
                    Value::Int(sen(id, "simpanan wajib", r.wajib)?),
                    Value::Int(sen(id, "simpanan sukarela", r.sukarela)?),
                    int_u64(seq),
                ],
            );
            c.members.insert(mid, r);
        }
    }
    for (lid, r) in loan_rows {
        if c.loans.get(&lid) != Some(&r) {
            batch.loans.insert(
                (kid.clone(), lid.to_string()),
                vec![
                    t(kid.clone()),
                    t(lid.to_string()),
                    t(r.member.to_string()),
                    Value::Int(sen(id, "loan principal", r.principal)?),
                    Value::Int(sen(id, "loan outstanding", r.outstanding)?),
                    t(r.status.clone()),
                    t(r.class.clone()),
                    int_u64(seq),
                ],
            );
            c.loans.insert(lid, r);
        }
    }
    if seq.is_multiple_of(options.checkpoint_every) {
        let cp = checkpoint_of(id, head)?;
        batch.checkpoints.push(vec![
            t(kid.clone()),
            int_u64(seq),
            int_u64(cp.size()),
            Value::Bytes(cp.root().0.to_vec()),
            t(cp.to_text()),
        ]);
    }
    if options.snapshot_every > 0 && seq.is_multiple_of(options.snapshot_every) {
        match options.snapshot_timing {
            SnapshotTiming::InCommit => batch.snapshots.push(snapshot_row(id, seq, book)?),
            SnapshotTiming::Deferred => {
                batch.due.insert(id);
            }
        }
    }
    let entries = new_entries
        .iter()
        .map(koperasi::ledger::EntryRef::id)
        .collect();
    c.seq = seq;
    c.chain = chain;
    let appended = Appended {
        seq,
        entries,
        audit: head,
        replayed: false,
    };
    if let Some(key) = &req.key {
        // Later requests of this group see the key before the rows are written.
        batch
            .keys
            .insert((id, key.clone()), (body_sha, appended.clone()));
    }
    Ok(Ok(appended))
}

impl Store {
    /// Runs `f` in a read transaction on a pooled connection.
    pub(crate) fn read_tx<T>(&self, f: impl FnOnce(&mut Conn) -> Result<T>) -> Result<T> {
        let mut pooled = self.conn()?;
        let conn = pooled.conn()?;
        conn.begin_read()?;
        let r = f(conn);
        conn.rollback();
        r
    }
}
