//! The ledger: validated posting, balances, queries.

use chrono::NaiveDate;
use koperasi_core::{ActorId, EntryId, FiscalYear, MemberId, Rupiah};

use crate::chart::{Account, AccountCode, BalanceLimit, ChartOfAccounts, Side};
use crate::entry::{BusinessUnit, Counterparty, Dimensions, EntryKind, JournalEntry, Line};
use crate::error::{EntryField, Error, Result};
use crate::fx::FxMap;

pub(crate) const NONE: u32 = u32::MAX;

/// One stored line: 24 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StoredLine {
    /// Signed amount in sen: positive = debit, negative = credit.
    pub(crate) amount: i64,
    pub(crate) account: u32,
    /// Index into the member table, or [`NONE`].
    pub(crate) member: u32,
    /// Days from the common era (chrono's `num_days_from_ce`).
    pub(crate) date: i32,
    /// [`BusinessUnit::number`], 0 = none.
    pub(crate) unit: u16,
    /// [`Counterparty::number`], 0 = none.
    pub(crate) cp: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StoredKind {
    Normal,
    /// Index of the reversed entry.
    Reversal(u32),
    Closing(FiscalYear),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredEntry {
    pub(crate) id: EntryId,
    pub(crate) actor: ActorId,
    pub(crate) leaf: u64,
    pub(crate) first_line: u32,
    pub(crate) n_lines: u32,
    pub(crate) memo: (u32, u32),
    pub(crate) source: (u32, u32),
    pub(crate) date: i32,
    pub(crate) kind: StoredKind,
    /// Index of the reversing entry, or [`NONE`].
    pub(crate) reversed_by: u32,
}

/// A recorded period operation (closing or reopening a fiscal year).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(tag = "op", rename_all = "snake_case"))]
#[non_exhaustive]
pub enum PeriodEvent {
    /// A fiscal year was closed.
    Close {
        /// The year.
        year: FiscalYear,
        /// Who closed it.
        actor: ActorId,
        /// The account that received the result (SHU tahun berjalan).
        shu_account: AccountCode,
        /// The closing entry, if there was anything to close.
        closing_entry: Option<EntryId>,
        /// Its leaf index in the audit log.
        leaf: u64,
    },
    /// A closed fiscal year was reopened (its closing entry reversed).
    Reopen {
        /// The year.
        year: FiscalYear,
        /// Who reopened it.
        actor: ActorId,
        /// Why.
        reason: String,
        /// The reversal of the closing entry, if there was one.
        reversal: Option<EntryId>,
        /// Its leaf index in the audit log.
        leaf: u64,
    },
}

impl PeriodEvent {
    /// Leaf index in the audit log.
    pub fn leaf(&self) -> u64 {
        match self {
            PeriodEvent::Close { leaf, .. } | PeriodEvent::Reopen { leaf, .. } => *leaf,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ClosedYear {
    pub(crate) year: FiscalYear,
    /// Index of the closing entry, or [`NONE`].
    pub(crate) closing: u32,
}

/// Options of a ledger beyond its chart and opening date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct LedgerOptions {
    /// First month of the fiscal year (1 = January, the default).
    pub fiscal_start_month: u32,
    /// The smallest amount a line may carry a multiple of (default Rp0,01; Rp1 for books
    /// kept in whole rupiah).
    pub unit: Rupiah,
}

impl Default for LedgerOptions {
    fn default() -> Self {
        LedgerOptions {
            fiscal_start_month: 1,
            unit: Rupiah::SEN,
        }
    }
}

impl LedgerOptions {
    /// Sets the fiscal year's first month.
    #[must_use]
    pub fn with_fiscal_start_month(mut self, month: u32) -> Self {
        self.fiscal_start_month = month;
        self
    }

    /// Sets the smallest unit.
    #[must_use]
    pub fn with_unit(mut self, unit: Rupiah) -> Self {
        self.unit = unit;
        self
    }
}

/// Debit and credit totals of an account (or a group of lines), and their difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Balance {
    /// Σ debit.
    pub debit: Rupiah,
    /// Σ credit.
    pub credit: Rupiah,
    /// Σ debit − Σ credit.
    pub net_debit: Rupiah,
}

impl Balance {
    /// The balance as carried on `side`: `net_debit` for debit, its negation for credit.
    pub fn on_side(&self, side: Side) -> Rupiah {
        match side {
            Side::Debit => self.net_debit,
            Side::Credit => self.net_debit.negated(),
        }
    }
}

/// One row of a trial balance (neraca saldo).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct TrialBalanceRow {
    /// The account.
    pub account: AccountCode,
    /// Its name.
    pub name: String,
    /// Debit balance (zero if the balance is on the credit side).
    pub debit: Rupiah,
    /// Credit balance (zero if the balance is on the debit side).
    pub credit: Rupiah,
}

/// A trial balance (neraca saldo): every postable account with a non-zero balance, in code
/// order, and the totals (always equal).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
#[doc(alias = "neraca saldo")]
pub struct TrialBalance {
    /// The date (inclusive).
    pub as_of: NaiveDate,
    /// Rows.
    pub rows: Vec<TrialBalanceRow>,
    /// Σ debit column.
    pub total_debit: Rupiah,
    /// Σ credit column.
    pub total_credit: Rupiah,
}

/// One row of a general ledger (buku besar).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct GeneralLedgerRow {
    /// Date of the entry.
    pub date: NaiveDate,
    /// The entry.
    pub entry: EntryId,
    /// The account of the line (a leaf under the requested account).
    pub account: AccountCode,
    /// Memo of the entry.
    pub memo: String,
    /// Source of the entry.
    pub source: String,
    /// Side of the line.
    pub side: Side,
    /// Amount of the line.
    pub amount: Rupiah,
    /// Dimensions of the line.
    pub dims: Dimensions,
    /// Running balance after this line, on the account's normal side.
    pub balance: Rupiah,
}

/// The general ledger (buku besar) of an account over a date range, with running balance
/// on the account's normal side.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
#[doc(alias = "buku besar")]
pub struct GeneralLedger {
    /// The account (a leaf, or a header whose leaves are included).
    pub account: AccountCode,
    /// Its normal side.
    pub normal_side: Side,
    /// First date (inclusive).
    pub from: NaiveDate,
    /// Last date (inclusive).
    pub to: NaiveDate,
    /// Balance before `from`.
    pub opening: Rupiah,
    /// Lines in date order, then posting order.
    pub rows: Vec<GeneralLedgerRow>,
    /// Balance at the end of `to`.
    pub closing: Rupiah,
}

/// A request to reverse an entry: the reversal's own id (idempotency key), date, actor and
/// reason (which becomes its memo).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Reversal {
    /// Id of the reversing entry.
    pub id: EntryId,
    /// Its date.
    pub date: NaiveDate,
    /// Who reverses.
    pub actor: ActorId,
    /// Why (becomes the memo).
    pub reason: String,
}

impl Reversal {
    /// A reversal request.
    pub fn new(id: EntryId, date: NaiveDate, actor: ActorId, reason: impl Into<String>) -> Self {
        Reversal {
            id,
            date,
            actor,
            reason: reason.into(),
        }
    }
}

/// A request to close a fiscal year.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct YearClose {
    /// The year.
    pub year: FiscalYear,
    /// Id of the closing entry.
    pub entry_id: EntryId,
    /// The equity account receiving the result (standard chart: `3-2-02` SHU tahun berjalan).
    pub shu_account: AccountCode,
    /// Who closes.
    pub actor: ActorId,
}

impl YearClose {
    /// A close request.
    pub fn new(
        year: FiscalYear,
        entry_id: EntryId,
        shu_account: AccountCode,
        actor: ActorId,
    ) -> Self {
        YearClose {
            year,
            entry_id,
            shu_account,
            actor,
        }
    }
}

/// A request to reopen a closed fiscal year.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct YearReopen {
    /// The year.
    pub year: FiscalYear,
    /// Id of the entry reversing the closing entry.
    pub reversal_id: EntryId,
    /// Who reopens.
    pub actor: ActorId,
    /// Why (recorded).
    pub reason: String,
}

impl YearReopen {
    /// A reopen request.
    pub fn new(
        year: FiscalYear,
        reversal_id: EntryId,
        actor: ActorId,
        reason: impl Into<String>,
    ) -> Self {
        YearReopen {
            year,
            reversal_id,
            actor,
            reason: reason.into(),
        }
    }
}

/// The double-entry books of one cooperative: chart, journal (in posting order), running
/// totals, closed years and the audit log.
///
/// See the [crate documentation](crate) for a guide.
#[derive(Debug, Clone, PartialEq, Eq)]
#[doc(alias = "buku besar")]
#[doc(alias = "pembukuan")]
pub struct Ledger {
    pub(crate) chart: ChartOfAccounts,
    pub(crate) opening: NaiveDate,
    pub(crate) options: LedgerOptions,
    pub(crate) entries: Vec<StoredEntry>,
    pub(crate) lines: Vec<StoredLine>,
    pub(crate) text: String,
    pub(crate) by_id: crate::fx::IdIndex,
    pub(crate) members: Vec<MemberId>,
    pub(crate) member_ix: FxMap<MemberId, u32>,
    /// Per account: (Σ debit, Σ credit) in sen.
    pub(crate) totals: Vec<(i128, i128)>,
    pub(crate) max_date: i32,
    pub(crate) closed: Vec<ClosedYear>,
    pub(crate) events: Vec<PeriodEvent>,
    pub(crate) audit: crate::audit::AuditLog,
    /// Per-account totals after every [`SNAPSHOT_EVERY`] entries (for balances at a past
    /// tree size).
    pub(crate) snapshots: Vec<Vec<(i128, i128)>>,
    /// Buffers reused from one posting to the next (no state: see [`Scratch`]).
    scratch: Scratch,
}

/// Working buffers of [`Ledger::post`], kept between calls so that posting allocates nothing
/// per entry. They carry no state of the books: every use clears them first, so a clone starts
/// with empty ones and two ledgers compare equal whatever their buffers hold.
#[derive(Default)]
struct Scratch {
    /// Per line: (account index, signed amount).
    resolved: Vec<(u32, i64)>,
    /// Per distinct account of an entry: (account index, Σ debit, Σ credit) after it.
    deltas: Vec<(u32, i128, i128)>,
    /// `0x00 ‖ canonical encoding` of the entry being committed.
    leaf: Vec<u8>,
}

impl Clone for Scratch {
    fn clone(&self) -> Self {
        Scratch::default()
    }
}

impl PartialEq for Scratch {
    fn eq(&self, _: &Scratch) -> bool {
        true
    }
}

impl Eq for Scratch {}

impl core::fmt::Debug for Scratch {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Scratch")
    }
}

/// Entries between two snapshots of the account totals.
pub(crate) const SNAPSHOT_EVERY: usize = 4096;

/// Changes of a batch not yet committed, seen by its later entries.
#[derive(Default)]
struct Overlay<'a> {
    totals: FxMap<u32, (i128, i128)>,
    ids: FxMap<EntryId, &'a JournalEntry>,
}

/// Outcome of [`Ledger::check`]; for `New` the resolved lines are in its `resolved` buffer.
enum Checked {
    New,
    Exists,
}

pub(crate) fn days(date: NaiveDate) -> i32 {
    chrono::Datelike::num_days_from_ce(&date)
}

pub(crate) fn from_days(d: i32) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(d).unwrap_or(NaiveDate::MIN)
}

fn rupiah(sen: i128) -> Result<Rupiah> {
    Ok(Rupiah::try_from_sen_i128(sen)?)
}

impl Ledger {
    /// Empty books on `chart`, opened on `opening` (no entry may be dated earlier), with the
    /// default options (calendar fiscal year, amounts in sen).
    pub fn new(chart: ChartOfAccounts, opening: NaiveDate) -> Ledger {
        let n = chart.len();
        Ledger {
            chart,
            opening,
            options: LedgerOptions::default(),
            entries: Vec::new(),
            lines: Vec::new(),
            text: String::new(),
            by_id: crate::fx::IdIndex::default(),
            members: Vec::new(),
            member_ix: FxMap::default(),
            totals: vec![(0, 0); n],
            max_date: i32::MIN,
            closed: Vec::new(),
            events: Vec::new(),
            audit: crate::audit::AuditLog::new(),
            snapshots: Vec::new(),
            scratch: Scratch::default(),
        }
    }

    /// Empty books with explicit options.
    ///
    /// # Errors
    /// [`Error::InvalidUnit`] if `options.unit` is not positive; `Error::Core`
    /// ([`koperasi_core::Error::InvalidMonth`]) for a start month outside 1..=12.
    pub fn with_options(
        chart: ChartOfAccounts,
        opening: NaiveDate,
        options: LedgerOptions,
    ) -> Result<Ledger> {
        if !options.unit.is_positive() {
            return Err(Error::InvalidUnit { unit: options.unit });
        }
        FiscalYear::new(2000, options.fiscal_start_month)?;
        let mut l = Ledger::new(chart, opening);
        l.options = options;
        Ok(l)
    }

    /// Reserves room for `entries` more entries of about `lines_per_entry` lines (avoids
    /// reallocation while loading or benchmarking): the entry and line tables, the id index
    /// and the audit log. Memo and source text grows as needed.
    pub fn reserve(&mut self, entries: usize, lines_per_entry: usize) {
        self.entries.reserve(entries);
        self.lines.reserve(entries.saturating_mul(lines_per_entry));
        self.by_id.reserve(entries);
        self.audit.reserve(entries);
    }

    /// The chart of accounts.
    pub fn chart(&self) -> &ChartOfAccounts {
        &self.chart
    }

    /// The opening date of the books.
    pub fn opening_date(&self) -> NaiveDate {
        self.opening
    }

    /// The options.
    pub fn options(&self) -> LedgerOptions {
        self.options
    }

    /// The smallest unit of a line amount.
    pub fn unit(&self) -> Rupiah {
        self.options.unit
    }

    /// Number of posted entries (including reversals and closing entries).
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// `true` if nothing was posted.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The latest date of any posted entry, if any.
    pub fn last_date(&self) -> Option<NaiveDate> {
        (!self.entries.is_empty()).then(|| from_days(self.max_date))
    }

    /// Number of posted lines.
    pub fn line_count(&self) -> usize {
        self.lines.len()
    }

    /// The audit log (tree heads, inclusion and consistency proofs).
    pub fn audit(&self) -> &crate::audit::AuditLog {
        &self.audit
    }

    /// Recorded period operations (closes and reopens), in order.
    pub fn period_events(&self) -> &[PeriodEvent] {
        &self.events
    }

    /// The fiscal years that are closed now.
    pub fn closed_years(&self) -> Vec<FiscalYear> {
        self.closed.iter().map(|c| c.year).collect()
    }

    /// `true` if the fiscal year is closed.
    pub fn is_closed(&self, year: FiscalYear) -> bool {
        self.closed.iter().any(|c| c.year == year)
    }

    /// Approximate heap bytes held by the ledger's storage (entries, lines, text, indexes,
    /// totals, audit log), from capacities.
    pub fn heap_bytes(&self) -> usize {
        use core::mem::size_of;
        let map = |cap: usize, entry: usize| cap.saturating_mul(entry.saturating_add(1));
        self.entries
            .capacity()
            .saturating_mul(size_of::<StoredEntry>())
            .saturating_add(
                self.lines
                    .capacity()
                    .saturating_mul(size_of::<StoredLine>()),
            )
            .saturating_add(self.text.capacity())
            .saturating_add(self.by_id.heap_bytes())
            .saturating_add(
                self.members
                    .capacity()
                    .saturating_mul(size_of::<MemberId>()),
            )
            .saturating_add(map(self.member_ix.capacity(), size_of::<(MemberId, u32)>()))
            .saturating_add(
                self.totals
                    .capacity()
                    .saturating_mul(size_of::<(i128, i128)>()),
            )
            .saturating_add(self.audit.heap_bytes())
    }

    // ----- accounts -----

    /// Adds an account to the chart.
    ///
    /// # Errors
    /// As [`ChartOfAccounts::new`]; nothing changes on error.
    pub fn add_account(&mut self, account: Account) -> Result<()> {
        self.chart.add(account)?;
        self.totals.resize(self.chart.len(), (0, 0));
        Ok(())
    }

    /// Closes an account: it takes no new postings ([`Error::ClosedAccount`]).
    ///
    /// # Errors
    /// [`Error::NoSuchAccount`].
    pub fn close_account(&mut self, code: &str) -> Result<()> {
        self.chart.set_open(code, false)
    }

    /// Reopens a closed account.
    ///
    /// # Errors
    /// [`Error::NoSuchAccount`].
    pub fn reopen_account(&mut self, code: &str) -> Result<()> {
        self.chart.set_open(code, true)
    }

    // ----- posting -----

    /// Posts one entry after validating it completely; on any error nothing changes.
    ///
    /// Validation order (the first failing check is reported):
    /// 1. at least two lines — [`Error::TooFewLines`];
    /// 2. every amount positive — [`Error::NonPositiveAmount`];
    /// 3. Σ debit = Σ credit — [`Error::Unbalanced`];
    /// 4. every account in the chart — [`Error::UnknownAccount`];
    /// 5. every account postable — [`Error::HeaderAccount`];
    /// 6. every account open — [`Error::ClosedAccount`];
    /// 7. the date not in a closed fiscal year — [`Error::ClosedPeriod`];
    /// 8. the date not before the opening date — [`Error::BeforeOpening`];
    /// 9. every amount a multiple of [`unit`](Self::unit) — [`Error::Precision`];
    /// 10. amounts and account totals within range — [`Error::Overflow`];
    /// 11. a reused id: [`Error::Exists`] when the content is identical (idempotent success:
    ///     nothing is posted twice), else [`Error::ExistsWithDifferent`];
    /// 12. balance limits — [`Error::BalanceLimit`].
    ///
    /// Checks 4–6 and 9–10 go line by line within each step. The id check comes before the
    /// balance limits so that a retried withdrawal that emptied an account still reports
    /// `Exists` rather than a limit error.
    ///
    /// On success the entry's canonical encoding is appended to the audit log.
    ///
    /// # Errors
    /// The variants above.
    pub fn post(&mut self, entry: &JournalEntry) -> Result<EntryId> {
        let ov = Overlay::default();
        let mut resolved = core::mem::take(&mut self.scratch.resolved);
        let mut deltas = core::mem::take(&mut self.scratch.deltas);
        let outcome = self.check(entry, EntryKind::Normal, &ov, &mut resolved, &mut deltas);
        let result = match outcome {
            Err(e) => Err(e),
            Ok(Checked::Exists) => Err(Error::Exists { id: entry.id }),
            Ok(Checked::New) => {
                self.commit(entry, StoredKind::Normal, &resolved);
                Ok(entry.id)
            }
        };
        self.scratch.resolved = resolved;
        self.scratch.deltas = deltas;
        result
    }

    /// Posts several entries, all or nothing. Later entries see the earlier ones (balances,
    /// ids). An entry already posted with identical content (before or earlier in the batch)
    /// is skipped, so a retried batch succeeds without posting twice. Returns every id, in
    /// order.
    ///
    /// # Errors
    /// [`Error::Batch`] with the index of the first rejected entry and the reason (as for
    /// [`post`](Self::post), except `Exists`, which is skipped).
    pub fn post_batch(&mut self, entries: &[JournalEntry]) -> Result<Vec<EntryId>> {
        let mut ov = Overlay::default();
        let mut plan: Vec<Option<Vec<(u32, i64)>>> = Vec::with_capacity(entries.len());
        let mut deltas = Vec::new();
        for (index, e) in entries.iter().enumerate() {
            let mut resolved = Vec::new();
            match self.check(e, EntryKind::Normal, &ov, &mut resolved, &mut deltas) {
                Ok(Checked::Exists) => plan.push(None),
                Ok(Checked::New) => {
                    for &(acc, amount) in &resolved {
                        let t = ov.totals.entry(acc).or_insert_with(|| {
                            self.totals.get(acc as usize).copied().unwrap_or((0, 0))
                        });
                        if amount >= 0 {
                            t.0 = t.0.saturating_add(i128::from(amount));
                        } else {
                            t.1 = t.1.saturating_add(i128::from(amount).saturating_neg());
                        }
                    }
                    ov.ids.insert(e.id, e);
                    plan.push(Some(resolved));
                }
                Err(err) => {
                    return Err(Error::Batch {
                        index,
                        source: Box::new(err),
                    });
                }
            }
        }
        for (e, p) in entries.iter().zip(plan) {
            if let Some(resolved) = p {
                self.commit(e, StoredKind::Normal, &resolved);
            }
        }
        Ok(entries.iter().map(|e| e.id).collect())
    }

    /// Reverses a posted entry: posts a new entry with the same lines on opposite sides,
    /// linked to the original (kind [`EntryKind::Reversal`]), with the original's source and
    /// `reversal.reason` as memo. Corrections are always made this way: posted entries are
    /// immutable.
    ///
    /// Checks first whether `reversal.id` was already used ([`Error::Exists`] for an identical
    /// retry, else [`Error::ExistsWithDifferent`]); then [`Error::EntryNotFound`],
    /// [`Error::NotReversible`] (a reversal or a closing entry), [`Error::AlreadyReversed`];
    /// then the checks of [`post`](Self::post) (e.g. the reversal's date must be in an open
    /// year).
    ///
    /// # Errors
    /// The variants above.
    pub fn reverse(&mut self, original: EntryId, reversal: &Reversal) -> Result<EntryId> {
        let (entry, idx) = self.reversal_entry(original, reversal)?;
        if let Some(&existing) = self.by_id.get(&entry.id) {
            let kind = EntryKind::Reversal { of: original };
            return Err(self.compare(existing, &entry, kind));
        }
        let stored = self
            .entries
            .get(idx as usize)
            .ok_or(Error::EntryNotFound { id: original })?;
        if stored.kind != StoredKind::Normal {
            return Err(Error::NotReversible { id: original });
        }
        if let Some(by) = self.entries.get(stored.reversed_by as usize) {
            return Err(Error::AlreadyReversed {
                id: original,
                by: by.id,
            });
        }
        let ov = Overlay::default();
        let (mut resolved, mut deltas) = (Vec::new(), Vec::new());
        let kind = EntryKind::Reversal { of: original };
        match self.check(&entry, kind, &ov, &mut resolved, &mut deltas)? {
            Checked::Exists => Err(Error::Exists { id: entry.id }),
            Checked::New => {
                self.commit(&entry, StoredKind::Reversal(idx), &resolved);
                Ok(entry.id)
            }
        }
    }

    /// Builds the reversing entry of `original` (not posted).
    pub(crate) fn reversal_entry(
        &self,
        original: EntryId,
        r: &Reversal,
    ) -> Result<(JournalEntry, u32)> {
        let &idx = self
            .by_id
            .get(&original)
            .ok_or(Error::EntryNotFound { id: original })?;
        let view = self
            .entry_ref(idx)
            .ok_or(Error::EntryNotFound { id: original })?;
        let mut e = JournalEntry::new(r.id, r.date, r.actor)
            .with_memo(r.reason.clone())
            .with_source(view.source().to_owned());
        for l in view.lines() {
            e.lines
                .push(Line::new(l.account.clone(), l.side.opposite(), l.amount).with_dims(l.dims));
        }
        Ok((e, idx))
    }

    /// Full validation of a new entry of `kind`; `Exists` is an error here.
    pub(crate) fn check_new(&self, e: &JournalEntry, kind: EntryKind) -> Result<Vec<(u32, i64)>> {
        let (mut resolved, mut deltas) = (Vec::new(), Vec::new());
        match self.check(e, kind, &Overlay::default(), &mut resolved, &mut deltas)? {
            Checked::Exists => Err(Error::Exists { id: e.id }),
            Checked::New => Ok(resolved),
        }
    }

    /// Compares `e` with the stored entry `idx`: `Exists` or `ExistsWithDifferent`.
    fn compare(&self, idx: u32, e: &JournalEntry, kind: EntryKind) -> Error {
        let Some(view) = self.entry_ref(idx) else {
            return Error::EntryNotFound { id: e.id };
        };
        let field = if view.date() != e.date {
            Some(EntryField::Date)
        } else if view.memo() != e.memo {
            Some(EntryField::Memo)
        } else if view.line_count() != e.lines.len()
            || view.lines().zip(&e.lines).any(|(a, b)| {
                a.account != &b.account
                    || a.side != b.side
                    || a.amount != b.amount
                    || a.dims != b.dims
            })
        {
            Some(EntryField::Lines)
        } else if view.source() != e.source {
            Some(EntryField::Source)
        } else if view.actor() != e.actor {
            Some(EntryField::Actor)
        } else if view.kind() != kind {
            Some(EntryField::Kind)
        } else {
            None
        };
        match field {
            None => Error::Exists { id: e.id },
            Some(field) => Error::ExistsWithDifferent { id: e.id, field },
        }
    }

    fn compare_pending(e: &JournalEntry, p: &JournalEntry) -> Error {
        let field = if p.date != e.date {
            Some(EntryField::Date)
        } else if p.memo != e.memo {
            Some(EntryField::Memo)
        } else if p.lines != e.lines {
            Some(EntryField::Lines)
        } else if p.source != e.source {
            Some(EntryField::Source)
        } else if p.actor != e.actor {
            Some(EntryField::Actor)
        } else {
            None
        };
        match field {
            None => Error::Exists { id: e.id },
            Some(field) => Error::ExistsWithDifferent { id: e.id, field },
        }
    }

    /// Full validation, no mutation of the books. On `New`, `resolved` holds (account index,
    /// signed amount) per line; `deltas` is a working buffer. Both are cleared first.
    fn check(
        &self,
        e: &JournalEntry,
        kind: EntryKind,
        ov: &Overlay<'_>,
        resolved: &mut Vec<(u32, i64)>,
        deltas: &mut Vec<(u32, i128, i128)>,
    ) -> Result<Checked> {
        resolved.clear();
        deltas.clear();
        // 1
        if e.lines.len() < 2 {
            return Err(Error::TooFewLines {
                lines: e.lines.len(),
            });
        }
        // 2
        for (line, l) in e.lines.iter().enumerate() {
            if !l.amount.is_positive() {
                return Err(Error::NonPositiveAmount {
                    line,
                    amount: l.amount,
                });
            }
        }
        // 3
        let (mut debit, mut credit) = (0i128, 0i128);
        for (line, l) in e.lines.iter().enumerate() {
            let slot = match l.side {
                Side::Debit => &mut debit,
                Side::Credit => &mut credit,
            };
            *slot = slot
                .checked_add(l.amount.to_sen())
                .ok_or_else(|| Error::Overflow {
                    line,
                    account: l.account.clone(),
                })?;
        }
        if debit != credit {
            return Err(Error::Unbalanced {
                debit: rupiah(debit)?,
                credit: rupiah(credit)?,
            });
        }
        // 4
        // (account index, signed amount); the amount is filled in at step 10.
        for (line, l) in e.lines.iter().enumerate() {
            match self.chart.index_of(l.account.as_str()) {
                Some(i) => resolved.push((u32::try_from(i).unwrap_or(NONE), 0)),
                None => {
                    return Err(Error::UnknownAccount {
                        line,
                        account: l.account.clone(),
                    });
                }
            }
        }
        let accounts = self.chart.accounts();
        // 5
        for (line, (&(i, _), l)) in resolved.iter().zip(&e.lines).enumerate() {
            if !accounts.get(i as usize).is_some_and(|a| a.postable) {
                return Err(Error::HeaderAccount {
                    line,
                    account: l.account.clone(),
                });
            }
        }
        // 6
        for (line, (&(i, _), l)) in resolved.iter().zip(&e.lines).enumerate() {
            if !accounts.get(i as usize).is_some_and(|a| a.open) {
                return Err(Error::ClosedAccount {
                    line,
                    account: l.account.clone(),
                });
            }
        }
        // 7
        if let Some(c) = self.closed.iter().find(|c| c.year.contains(e.date)) {
            return Err(Error::ClosedPeriod {
                date: e.date,
                year: c.year,
            });
        }
        // 8
        if e.date < self.opening {
            return Err(Error::BeforeOpening {
                date: e.date,
                opening: self.opening,
            });
        }
        // 9
        let unit = self.options.unit.to_sen();
        if unit != 1 {
            for (line, l) in e.lines.iter().enumerate() {
                if l.amount.to_sen().checked_rem(unit).unwrap_or(1) != 0 {
                    return Err(Error::Precision {
                        line,
                        amount: l.amount,
                        unit: self.options.unit,
                    });
                }
            }
        }
        // 10
        for (line, (slot, l)) in resolved.iter_mut().zip(&e.lines).enumerate() {
            let overflow = || Error::Overflow {
                line,
                account: l.account.clone(),
            };
            let sen = i64::try_from(l.amount.to_sen()).map_err(|_| overflow())?;
            let acc = slot.0;
            if acc == NONE {
                return Err(overflow());
            }
            let signed = match l.side {
                Side::Debit => sen,
                Side::Credit => sen.checked_neg().ok_or_else(overflow)?,
            };
            slot.1 = signed;
            let pos = if let Some(p) = deltas.iter().position(|d| d.0 == acc) {
                p
            } else {
                let pending = if ov.totals.is_empty() {
                    None
                } else {
                    ov.totals.get(&acc).copied()
                };
                let base = pending
                    .or_else(|| self.totals.get(acc as usize).copied())
                    .unwrap_or((0, 0));
                deltas.push((acc, base.0, base.1));
                deltas.len().saturating_sub(1)
            };
            if let Some(d) = deltas.get_mut(pos) {
                match l.side {
                    Side::Debit => d.1 = d.1.checked_add(i128::from(sen)).ok_or_else(overflow)?,
                    Side::Credit => d.2 = d.2.checked_add(i128::from(sen)).ok_or_else(overflow)?,
                }
            }
        }
        if u32::try_from(self.lines.len().saturating_add(e.lines.len())).is_err()
            || u32::try_from(self.entries.len().saturating_add(1)).is_err()
            || u32::try_from(
                self.text
                    .len()
                    .saturating_add(e.memo.len())
                    .saturating_add(e.source.len()),
            )
            .is_err()
        {
            return Err(Error::CapacityExceeded);
        }
        // 11
        if let Some(&existing) = self.by_id.get(&e.id) {
            return match self.compare(existing, e, kind) {
                Error::Exists { .. } => Ok(Checked::Exists),
                other => Err(other),
            };
        }
        if let Some(p) = (!ov.ids.is_empty()).then(|| ov.ids.get(&e.id)).flatten() {
            return match Self::compare_pending(e, p) {
                Error::Exists { .. } => Ok(Checked::Exists),
                other => Err(other),
            };
        }
        // 12
        for &(acc, d, c) in deltas.iter() {
            let Some(a) = accounts.get(acc as usize) else {
                continue;
            };
            let bad = match a.limit {
                Some(BalanceLimit::DebitsMustNotExceedCredits) => d > c,
                Some(BalanceLimit::CreditsMustNotExceedDebits) => c > d,
                None => false,
            };
            if bad {
                let net = d.saturating_sub(c);
                let normal = match a.normal_side() {
                    Side::Debit => net,
                    Side::Credit => net.saturating_neg(),
                };
                return Err(Error::BalanceLimit {
                    account: a.code.clone(),
                    balance: rupiah(normal)?,
                });
            }
        }
        Ok(Checked::New)
    }

    fn intern_member(&mut self, m: Option<MemberId>) -> u32 {
        let Some(m) = m else { return NONE };
        if let Some(&i) = self.member_ix.get(&m) {
            return i;
        }
        let i = u32::try_from(self.members.len()).unwrap_or(NONE);
        if i != NONE {
            self.members.push(m);
            self.member_ix.insert(m, i);
        }
        i
    }

    fn push_text(&mut self, s: &str) -> (u32, u32) {
        let start = u32::try_from(self.text.len()).unwrap_or(u32::MAX);
        self.text.push_str(s);
        (start, u32::try_from(s.len()).unwrap_or(0))
    }

    /// Appends a fully validated entry. Cannot fail (capacity was checked).
    pub(crate) fn commit(&mut self, e: &JournalEntry, kind: StoredKind, resolved: &[(u32, i64)]) {
        let date = days(e.date);
        let first_line = u32::try_from(self.lines.len()).unwrap_or(NONE);
        for (l, &(account, amount)) in e.lines.iter().zip(resolved) {
            let member = self.intern_member(l.dims.member);
            self.lines.push(StoredLine {
                amount,
                account,
                member,
                date,
                unit: l.dims.unit.map_or(0, BusinessUnit::number),
                cp: l.dims.counterparty.map_or(0, Counterparty::number),
            });
            if let Some(t) = self.totals.get_mut(account as usize) {
                if amount >= 0 {
                    t.0 = t.0.saturating_add(i128::from(amount));
                } else {
                    t.1 = t.1.saturating_add(i128::from(amount).saturating_neg());
                }
            }
        }
        let memo = self.push_text(&e.memo);
        let source = self.push_text(&e.source);
        let idx = u32::try_from(self.entries.len()).unwrap_or(NONE);
        let encoded_kind = match kind {
            StoredKind::Normal => EntryKind::Normal,
            StoredKind::Reversal(of) => EntryKind::Reversal {
                of: self
                    .entries
                    .get(of as usize)
                    .map_or(EntryId::from_u128(0), |o| o.id),
            },
            StoredKind::Closing(year) => EntryKind::Closing { year },
        };
        if let StoredKind::Reversal(of) = kind
            && let Some(orig) = self.entries.get_mut(of as usize)
        {
            orig.reversed_by = idx;
        }
        self.entries.push(StoredEntry {
            id: e.id,
            actor: e.actor,
            leaf: self.audit.len(),
            first_line,
            n_lines: u32::try_from(e.lines.len()).unwrap_or(0),
            memo,
            source,
            date,
            kind,
            reversed_by: NONE,
        });
        self.by_id.insert(e.id, idx);
        self.max_date = self.max_date.max(date);
        let mut leaf = core::mem::take(&mut self.scratch.leaf);
        leaf.clear();
        leaf.push(0x00);
        crate::encoding::encode_new_entry(e, encoded_kind, &mut leaf);
        self.audit
            .append_hash(crate::audit::Hash::of_prefixed_leaf(&leaf));
        self.scratch.leaf = leaf;
        if self.entries.len().is_multiple_of(SNAPSHOT_EVERY) {
            self.snapshots.push(self.totals.clone());
        }
    }
}
