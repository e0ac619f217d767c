//! Corrections: reversing an entry or an operation with its subledgers following, the
//! general adjusting entry (jurnal penyesuaian), reopening a closed year, and the refusal of
//! postings in a closed year.
//!
//! # What can be reversed as an operation, and why not the rest
//! An operation is reversed by the ledger's reversing entry of the one entry it posted and by
//! restoring the subledger objects it changed (a loan, a savings account, a time deposit, a
//! stock item, a member's transactions of the year) to their state before it. That is only
//! correct while no later operation changed the same object, so the book keeps the earlier
//! state only for the *last* operation on each object; reverse the later operations first
//! (newest first). Operations that change a register follow it too: a prepaid expense's
//! schedule is removed, a disposed asset
//! is back in the register as it was (both of the disposal's entries are reversed, all or
//! nothing), a pledge of collateral is released, a loan assessment or a write-off override
//! is withdrawn (an override a write-off relied on stays on file, even once the write-off
//! is reversed);
//! the loan's class and the PPAP follow at the next month-end, which recomputes both from
//! the registers.
//!
//! # After a month-end
//! A month-end posts for objects: it amortises prepaid expenses, depreciates assets, charges
//! penalties on and reclassifies loans, accrues interest on loans and time deposits. While an
//! operation is the last one on its object, each month-end keeps its lines for that object
//! with the operation's record (`MonthEndShare`). A plain reversal leaves a month-end's
//! postings in the books, which is right only for an interest accrual on a loan or time
//! deposit that stays (the next month-end trues it up); otherwise it is refused, naming
//! [`Operation::CorrectAfterMonthEnd`] — the correction after a month-end (module
//! `after_month_end`), which reverses those month-end lines too, all or nothing, as a
//! two-person request.
//!
//! Refused with [`Error::NotReversible`]:
//! * registration, simpanan pokok (admission), exit — the registry's history is a record of
//!   fact; dismiss or correct the member instead;
//! * QRIS sales and settlements — the payment provider holds the other side; refund through it;
//! * the Himbara loan — the bank's schedule is the other side (so no month-end share is kept
//!   for it: each month-end trues its interest accrual up from the loan as it stands);
//! * month-end, year close, SHU distribution — recomputed from the book; a closed year is
//!   reopened ([`Operation::ReopenYear`]) and closed again, month-end postings are corrected by
//!   an adjusting entry;
//! * requests, approvals of registry-only operations, reversals and corrections themselves (a
//!   reversal is not reversed: post the operation again).
//!
//! A single entry ([`ReversalTarget::Entry`]) is reversed only if it touches no control
//! account with a subledger and carries no member (whose savings, loans or jasa usaha basis
//! would no longer agree).

use std::collections::BTreeMap;

use koperasi_core::chrono::NaiveDate;
use koperasi_core::{ActorId, EntryId, LoanId, MemberId, Rupiah, SavingsAccountId};
use koperasi_ledger::{BusinessUnit, Counterparty, Dimensions, Line, Reversal, YearReopen};
use koperasi_membership::{Permission, Subject};
use koperasi_savings_loans::{Collectibility, Loan, SavingsAccount, SavingsKind};
use koperasi_shu::Transactions;

use crate::error::{Error, Result, ledger};
use crate::event::{AdjustLine, Operation, ReversalTarget};
use crate::posting::{PostingRole as R, SAVINGS_KINDS};

use super::{Applied, Koperasi, LoanApplication, Stock, code_line, pos};

/// A subledger object an operation changes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub(super) enum Key {
    Loan(LoanId),
    Application(LoanId),
    Savings(MemberId, u8),
    Deposit(SavingsAccountId),
    Stock(BusinessUnit, String),
    Patronage(i32, MemberId),
    /// A fixed asset of the register, by tag.
    Asset(String),
    /// A loan's collateral.
    Collateral(LoanId),
    /// A loan's assessment by the pengurus.
    Assessment(LoanId),
    /// A loan's documented write-off override.
    Override(LoanId),
    /// A prepaid expense, by the entry that paid it.
    Prepaid(EntryId),
}

/// The state of one subledger object before an operation changed it.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub(super) enum Restore {
    /// A loan's state and class (`None`: it did not exist).
    Loan(LoanId, Option<(Loan, Collectibility)>),
    /// A loan application (`None`: it did not exist).
    Application(LoanId, Option<LoanApplication>),
    /// One of a member's pokok, wajib, sukarela accounts.
    Savings(MemberId, SavingsKind, SavingsAccount),
    /// A time deposit (`None`: it did not exist).
    Deposit(SavingsAccountId, Option<(MemberId, SavingsAccount)>),
    /// A stock item (`None`: none).
    Stock((BusinessUnit, String), Option<Stock>),
    /// A member's transactions of a year (`None`: none).
    Patronage((i32, MemberId), Option<Transactions>),
    /// A fixed asset of the register (`None`: it did not exist).
    Asset(String, Option<super::FixedAsset>),
    /// A loan's collateral items (`None`: none).
    Collateral(LoanId, Option<Vec<super::Collateral>>),
    /// A loan's assessment (`None`: none).
    Assessment(LoanId, Option<super::collateral::Assessment>),
    /// A loan's write-off override (`None`: none).
    Override(LoanId, Option<String>),
    /// A prepaid expense that did not exist: remove the one paid by this entry.
    Prepaid(EntryId),
}

fn kind_key(kind: SavingsKind) -> u8 {
    match kind {
        SavingsKind::Principal => 0,
        SavingsKind::Mandatory => 1,
        _ => 2,
    }
}

impl Restore {
    pub(super) fn key(&self) -> Key {
        match self {
            Restore::Loan(id, _) => Key::Loan(*id),
            Restore::Application(id, _) => Key::Application(*id),
            Restore::Savings(m, k, _) => Key::Savings(*m, kind_key(*k)),
            Restore::Deposit(id, _) => Key::Deposit(*id),
            Restore::Stock((u, s), _) => Key::Stock(*u, s.clone()),
            Restore::Patronage((y, m), _) => Key::Patronage(*y, *m),
            Restore::Asset(tag, _) => Key::Asset(tag.clone()),
            Restore::Collateral(id, _) => Key::Collateral(*id),
            Restore::Assessment(id, _) => Key::Assessment(*id),
            Restore::Override(id, _) => Key::Override(*id),
            Restore::Prepaid(e) => Key::Prepaid(*e),
        }
    }
}

/// What reversing one event needs: its entries (none for a register-only operation) and the
/// objects' earlier states.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub(super) struct Undo {
    pub(super) date: NaiveDate,
    pub(super) entries: Vec<EntryId>,
    pub(super) restores: Vec<Restore>,
    /// What the month-ends since have posted for (or changed in) its objects, oldest first.
    pub(super) month_ends: Vec<MonthEndShare>,
    /// A month-end after its year was closed posted for it: the shares are no longer kept
    /// (memory stays bounded by the open years), so it is not corrected after a month-end.
    pub(super) month_ends_dropped: bool,
}

/// What one month-end posted for one object whose last operation is still reversible: the
/// object's own lines of the month-end's entries (its share of an entry that mixes several
/// objects), so that [`Operation::CorrectAfterMonthEnd`] can reverse exactly those.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub(super) struct MonthEndShare {
    /// The month-end's date.
    pub(super) date: NaiveDate,
    /// The object's lines as the month-end posted them.
    pub(super) lines: Vec<Line>,
    /// The month-end changed the object itself (a loan's penalties, its Diragukan clock or
    /// its class), which the next month-end does not true up.
    pub(super) changed: bool,
    /// An accrual register as it stood before this month-end.
    pub(super) accrual: Option<AccrualBefore>,
    /// The month-end closed this member's sukarela interest period (its lines are the
    /// member's interest): a correction recomputes the interest from the corrected account.
    pub(super) savings_member: Option<MemberId>,
}

/// An accrual register's value before a month-end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub(super) enum AccrualBefore {
    /// A loan's interest accrued (piutang jasa) at the month-end before.
    Loan(LoanId, Rupiah),
    /// A time deposit's interest accrued at the month-end before.
    Deposit(SavingsAccountId, Rupiah),
}

/// The book's memory for reversals: for each reversible event, its entry and the earlier
/// state of what it changed — kept only while it is the last event to change each object.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub(super) struct UndoLog {
    // the operation being applied
    reversible: bool,
    shape: Shape,
    restores: Vec<Restore>,
    touched: Vec<Key>,
    reversing: Option<usize>,
    // the book's
    records: BTreeMap<usize, Undo>,
    last: BTreeMap<Key, usize>,
    reversed: BTreeMap<usize, usize>,
    // the operation being applied: the format of the event applying it
    format: u32,
}

/// Operations whose single entry and subledger changes can be undone.
fn reversible(op: &Operation) -> bool {
    matches!(
        op,
        Operation::Deposit { .. }
            | Operation::Withdraw { .. }
            | Operation::OpenTimeDeposit { .. }
            | Operation::WithdrawTimeDeposit { .. }
            | Operation::DisburseLoan { .. }
            | Operation::RepayLoan { .. }
            | Operation::ChargePenalties { .. }
            | Operation::WriteOffLoan { .. }
            | Operation::RecoverLoan { .. }
            | Operation::Purchase { .. }
            | Operation::PaySupplier { .. }
            | Operation::Sale { .. }
            | Operation::Expense { .. }
            | Operation::Transfer { .. }
            | Operation::AcquireAsset { .. }
            | Operation::AcquireFixedAsset { .. }
            | Operation::ExpenseOnCredit { .. }
            | Operation::StockCount { .. }
            | Operation::PayPayable { .. }
            | Operation::Capital { .. }
            | Operation::Adjust { .. }
            | Operation::PrepayExpense { .. }
            | Operation::DisposeAsset { .. }
            | Operation::PledgeCollateral { .. }
            | Operation::AssessLoan { .. }
            | Operation::WriteOffOverride { .. }
    )
}

/// The entries a reversible operation posts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
enum Shape {
    /// Exactly one entry.
    #[default]
    One,
    /// None: it changes a register only (collateral, assessment, override).
    RegisterOnly,
    /// One or more (a disposal: the depreciation catch-up, then the disposal).
    Several,
}

fn shape(op: &Operation) -> Shape {
    match op {
        Operation::PledgeCollateral { .. }
        | Operation::AssessLoan { .. }
        | Operation::WriteOffOverride { .. } => Shape::RegisterOnly,
        Operation::DisposeAsset { .. } => Shape::Several,
        _ => Shape::One,
    }
}

impl UndoLog {
    /// Starts (or abandons) the operation being applied.
    pub(super) fn begin(&mut self) {
        self.reversible = false;
        self.shape = Shape::One;
        self.restores.clear();
        self.touched.clear();
        self.reversing = None;
        self.format = 0;
    }

    /// The operation being applied (for a completed request: the requested one).
    pub(super) fn operation(&mut self, op: &Operation) {
        self.reversible = reversible(op);
        self.shape = shape(op);
    }

    /// The operation changed an object; `r` is its earlier state.
    pub(super) fn changed(&mut self, r: Restore) {
        self.restores.push(r);
    }

    /// The operation changed an object without keeping its earlier state (the object's
    /// earlier operations can no longer be reversed).
    pub(super) fn touch(&mut self, k: Key) {
        self.touched.push(k);
    }

    /// The operation applied as event `index` on `date`, posting `entries`.
    pub(super) fn commit(&mut self, index: usize, date: NaiveDate, entries: &[EntryId]) {
        let restores = core::mem::take(&mut self.restores);
        let keys = restores
            .iter()
            .map(Restore::key)
            .chain(self.touched.drain(..));
        for k in keys {
            if let Some(prev) = self.last.insert(k, index)
                && prev != index
            {
                self.records.remove(&prev);
            }
        }
        if let Some(orig) = self.reversing.take() {
            self.reversed.insert(orig, index);
        }
        let recorded = match self.shape {
            Shape::One => entries.len() == 1,
            Shape::RegisterOnly => entries.is_empty(),
            Shape::Several => !entries.is_empty(),
        };
        if self.reversible && recorded {
            self.records.insert(
                index,
                Undo {
                    date,
                    entries: entries.to_vec(),
                    restores,
                    month_ends: Vec::new(),
                    month_ends_dropped: false,
                },
            );
        }
        self.reversible = false;
        self.shape = Shape::One;
        self.format = 0;
    }
}

impl UndoLog {
    /// The format of the event being applied (a reversal keeps the behaviour of the format
    /// its event was written in).
    pub(super) fn set_format(&mut self, format: u32) {
        self.format = format;
    }

    /// The last operation on `k` is still reversible and restores `k`: a month-end's postings
    /// for `k` are kept with it (see [`UndoLog::share`]).
    pub(super) fn live(&self, k: &Key) -> bool {
        self.last
            .get(k)
            .and_then(|i| self.records.get(i))
            .is_some_and(|u| u.restores.iter().any(|r| r.key() == *k))
    }

    /// Keeps what a month-end posted for (or changed in) `k` with the still-reversible last
    /// operation on it, so a correction after the month-end can reverse it; `false` (nothing
    /// kept) if there is none, or if that operation is dated on or before `closed_through`
    /// (the end of the last closed year: its shares are dropped) — then a change of `k` is a
    /// [`UndoLog::touch`].
    pub(super) fn share(
        &mut self,
        k: &Key,
        share: MonthEndShare,
        closed_through: Option<NaiveDate>,
    ) -> bool {
        if !self.live(k) {
            return false;
        }
        match self.last.get(k).and_then(|i| self.records.get_mut(i)) {
            Some(u) if closed_through.is_some_and(|c| u.date <= c) => {
                u.month_ends = Vec::new();
                u.month_ends_dropped = true;
                false
            }
            Some(u) => {
                u.month_ends.push(share);
                true
            }
            None => false,
        }
    }

    /// The format of the event being applied.
    pub(super) fn format(&self) -> u32 {
        self.format
    }

    /// Event `i` has just been reversed by the operation being applied: its record goes.
    pub(super) fn reversed_now(&mut self, i: usize) {
        self.records.remove(&i);
        self.reversing = Some(i);
    }

    /// The undo record of event `i` (for the modules' tests).
    #[cfg(test)]
    pub(super) fn record(&self, i: usize) -> Option<&Undo> {
        self.records.get(&i)
    }

    /// The event that last changed `k` (for the modules' tests).
    #[cfg(test)]
    pub(super) fn last_change(&self, k: &Key) -> Option<usize> {
        self.last.get(k).copied()
    }
}

/// Puts an object back in its map as it was before: removed if it did not exist, the earlier
/// value otherwise.
pub(super) fn put_back<K: Ord, V>(map: &mut BTreeMap<K, V>, key: K, before: Option<V>) {
    match before {
        Some(v) => {
            map.insert(key, v);
        }
        None => {
            map.remove(&key);
        }
    }
}

/// Savings kinds by account.
pub(super) fn savings_key(member: MemberId, kind: SavingsKind) -> Key {
    Key::Savings(member, kind_key(kind))
}

impl Koperasi {
    /// The event that reversed event `index`, if any.
    pub fn reversed_by(&self, index: usize) -> Option<usize> {
        self.undo.reversed.get(&index).copied()
    }

    /// Refuses an operation that would post in a closed fiscal year.
    pub(super) fn refuse_closed_period(&self, e: &crate::event::Event) -> Result<()> {
        let date = match &e.op {
            Operation::Adjust { entry_date, .. } => *entry_date,
            Operation::CloseYear { .. }
            | Operation::ReopenYear { .. }
            | Operation::GrantRole { .. }
            | Operation::LinkMember { .. }
            | Operation::RegisterMember { .. }
            | Operation::ApplyLoan { .. }
            | Operation::ApproveLoan { .. }
            | Operation::Approve { .. }
            | Operation::Reject { .. }
            | Operation::WithdrawRequest { .. } => return Ok(()),
            _ => e.date,
        };
        if date < self.config.opening {
            return Ok(());
        }
        let year = self.year_of(date)?;
        if self.closed.contains_key(&year) {
            return Err(Error::ClosedPeriod {
                op: e.op.name(),
                date,
                year,
            });
        }
        Ok(())
    }

    /// The account codes kept with a subledger or register: savings, loans, QRIS, inventory,
    /// Himbara, fixed assets and their accumulated depreciation, prepaid expenses, accrued
    /// time-deposit and Himbara interest and the loan interest receivable (the accounts
    /// [`Koperasi::reconcile`] checks). An adjusting entry may touch none of them: it would
    /// move the general ledger away from its subledger.
    fn control_codes(&self) -> Vec<String> {
        let mut v: Vec<String> = SAVINGS_KINDS
            .iter()
            .map(|k| self.code(R::MemberSavings(*k)))
            .collect();
        for r in [
            R::LoanReceivable,
            R::QrisReceivable,
            R::Inventory,
            R::HimbaraLoan,
            R::AccumulatedDepreciation,
            R::PrepaidExpense,
            R::AccruedSavingsInterest,
            R::AccruedHimbaraInterest,
            R::InterestReceivable,
        ] {
            v.push(self.code(r));
        }
        for x in self.ledger.chart().accounts() {
            if self.is_fixed_asset_account(x.code.as_str()) {
                v.push(x.code.as_str().to_owned());
            }
        }
        v
    }

    pub(super) fn reverse(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        target: ReversalTarget,
        reason: &str,
    ) -> Result<Applied> {
        let op = "reverse";
        self.permit(a, op, Permission::ReverseEntry, Subject::Cooperative)?;
        if reason.trim().is_empty() {
            return Err(Error::EmptyReason { op });
        }
        let (entries, restores, index) = match target {
            ReversalTarget::Entry(id) => {
                let what = || format!("entry {id}");
                let view = self.ledger.entry(id).ok_or_else(|| Error::NotReversible {
                    op,
                    what: what(),
                    reason: "no such entry",
                })?;
                let codes = self.control_codes();
                if view.lines().any(|l| {
                    l.dims.member.is_some() || codes.iter().any(|c| c == l.account.as_str())
                }) {
                    return Err(Error::NotReversible {
                        op,
                        what: what(),
                        reason: "it touches a subledger (a member's savings, a loan, QRIS, stock, \
                                 Himbara or a member's transactions): reverse its operation",
                    });
                }
                self.refuse_closed_original(op, view.date())?;
                (vec![id], Vec::new(), None)
            }
            ReversalTarget::Event(i) => {
                let rec = self.reversible_record(op, i)?;
                self.refuse_used_by_month_end(op, i, rec)?;
                (rec.entries.clone(), rec.restores.clone(), Some(i))
            }
        };
        for entry in &entries {
            self.refuse_negative_payable(op, *entry)?;
        }
        let memo = format!("Pembalikan: {reason}");
        // Newest first. Several entries are reversed all or nothing: on a refusal the ledger
        // is put back as it was (a disposal's reversal is rare; the copy is its price).
        let saved = (entries.len() > 1).then(|| self.ledger.clone());
        let mut ids = Vec::with_capacity(entries.len());
        for (k, entry) in entries.iter().rev().enumerate() {
            let reversal = Reversal::new(self.next_id(k), d, a, memo.clone());
            match self.ledger.reverse(*entry, &reversal) {
                Ok(id) => ids.push(id),
                Err(e) => {
                    if let Some(l) = saved {
                        self.ledger = l;
                    }
                    return Err(ledger(op)(e));
                }
            }
        }
        self.entry_seq = self
            .entry_seq
            .saturating_add(u64::try_from(ids.len()).unwrap_or(u64::MAX));
        for r in restores {
            self.restore(r);
        }
        if let Some(i) = index {
            self.undo.records.remove(&i);
            self.undo.reversing = Some(i);
        }
        Ok(Applied {
            entries: ids,
            ..Applied::default()
        })
    }

    /// The undo record of event `i` if the event can be reversed now: it exists, is not
    /// already reversed, is of a reversible kind, was the last operation on each object it
    /// changed (month-ends aside), and its year is open.
    pub(super) fn reversible_record(&self, op: &'static str, i: usize) -> Result<&Undo> {
        let what = || format!("event {i}");
        let ev = self.events.get(i).ok_or_else(|| Error::NotReversible {
            op,
            what: what(),
            reason: "no such event",
        })?;
        if self.undo.reversed.contains_key(&i) {
            return Err(Error::NotReversible {
                op,
                what: what(),
                reason: "already reversed",
            });
        }
        let inner = match &ev.op {
            Operation::Approve { request } => self.requests.get(request).map_or(&ev.op, |r| &r.op),
            o => o,
        };
        let rec = self
            .undo
            .records
            .get(&i)
            .ok_or_else(|| Error::NotReversible {
                op,
                what: what(),
                reason: if reversible(inner) {
                    "a later operation changed the same loan, account or stock (reverse it \
                     first), or it posted nothing"
                } else {
                    "this kind of operation is corrected otherwise (see the documentation of \
                     Operation::Reverse)"
                },
            })?;
        if rec
            .restores
            .iter()
            .any(|r| self.undo.last.get(&r.key()) != Some(&i))
        {
            return Err(Error::NotReversible {
                op,
                what: what(),
                reason: "a later operation changed the same loan, account or stock: reverse it \
                         first",
            });
        }
        self.refuse_closed_original(op, rec.date)?;
        Ok(rec)
    }

    /// A reversal that would take a payable below zero (its payment was already made) is
    /// refused: reverse the payment first.
    pub(super) fn refuse_negative_payable(&self, op: &'static str, entry: EntryId) -> Result<()> {
        let Some(view) = self.ledger.entry(entry) else {
            return Ok(());
        };
        for role in [
            R::MemberShuPayable,
            R::ExitRefundPayable,
            R::VillageSharePayable,
            R::TaxPayable,
            R::TradePayable,
            R::ManagementFund,
            R::EmployeeFund,
            R::EducationFund,
            R::SocialFund,
            R::RegionalDevelopmentFund,
        ] {
            let code = self.code(role);
            let mut credited = koperasi_core::Rupiah::ZERO;
            for l in view.lines().filter(|l| l.account.as_str() == code) {
                credited = if l.side == koperasi_ledger::Side::Credit {
                    super::add(credited, l.amount)?
                } else {
                    super::sub(credited, l.amount)?
                };
            }
            if credited > self.role_balance(role)? {
                return Err(Error::NotReversible {
                    op,
                    what: format!("entry {entry}"),
                    reason: "it would take a payable below zero: reverse its payment first",
                });
            }
        }
        Ok(())
    }

    /// An original in a closed year is not reversed: reopen the year first.
    fn refuse_closed_original(&self, op: &'static str, date: NaiveDate) -> Result<()> {
        let year = self.year_of(date)?;
        if self.closed.contains_key(&year) {
            return Err(Error::ClosedPeriod { op, date, year });
        }
        Ok(())
    }

    /// Puts one object back as it was (and marks it changed by this reversal).
    pub(super) fn restore(&mut self, r: Restore) {
        self.undo.touch(r.key());
        match r {
            Restore::Loan(id, None) => {
                self.loans.remove(&id);
            }
            Restore::Loan(id, Some((loan, class))) => {
                if let Some(x) = self.loans.get_mut(&id) {
                    x.loan = loan;
                    x.class = class;
                }
            }
            Restore::Application(id, before) => put_back(&mut self.applications, id, before),
            Restore::Savings(m, kind, acc) => {
                if let Some(x) = self.accounts.get_mut(&m) {
                    match kind {
                        SavingsKind::Principal => x.pokok = acc,
                        SavingsKind::Mandatory => x.wajib = acc,
                        _ => x.sukarela = acc,
                    }
                }
            }
            Restore::Deposit(id, before) => put_back(&mut self.deposits, id, before),
            Restore::Stock(k, before) => put_back(&mut self.stock, k, before),
            Restore::Patronage(k, before) => put_back(&mut self.patronage, k, before),
            Restore::Asset(tag, before) => put_back(&mut self.registers.assets, tag, before),
            Restore::Collateral(id, before) => put_back(&mut self.registers.collateral, id, before),
            Restore::Assessment(id, before) => put_back(&mut self.registers.assessment, id, before),
            Restore::Override(id, before) => put_back(&mut self.registers.overrides, id, before),
            Restore::Prepaid(e) => {
                self.registers.prepaid.retain(|p| p.entry != e);
            }
        }
    }

    /// The general adjusting entry.
    pub(super) fn adjust(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        entry_date: NaiveDate,
        memo: &str,
        lines: &[AdjustLine],
    ) -> Result<Applied> {
        let op = "adjust";
        self.permit(a, op, Permission::ReverseEntry, Subject::Cooperative)?;
        if memo.trim().is_empty() {
            return Err(Error::EmptyReason { op });
        }
        if entry_date > d {
            return Err(Error::DateOutOfOrder {
                op,
                date: d,
                last: entry_date,
            });
        }
        if entry_date < self.config.opening {
            return Err(Error::BeforeOpening {
                op,
                date: entry_date,
                opening: self.config.opening,
            });
        }
        let codes = self.control_codes();
        let mut out = Vec::with_capacity(lines.len());
        for l in lines {
            if codes.contains(&l.account) {
                return Err(Error::ControlAccount {
                    op,
                    code: l.account.clone(),
                });
            }
            pos(op, "line amount", l.amount)?;
            let dims = Dimensions {
                unit: l.unit,
                counterparty: l.member.map(|_| Counterparty::Member),
                member: l.member,
            };
            out.push(code_line(&l.account, l.side, l.amount, dims).map_err(ledger(op))?);
        }
        self.post_entry(op, entry_date, a, memo, "adjustment".into(), out)
    }

    /// Reopens a closed year whose SHU is not yet distributed.
    pub(super) fn reopen_year(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        year: i32,
        reason: &str,
    ) -> Result<Applied> {
        let op = "reopen_year";
        self.permit(a, op, Permission::ReopenPeriod, Subject::Cooperative)?;
        if reason.trim().is_empty() {
            return Err(Error::EmptyReason { op });
        }
        let c = self.closed.get(&year).ok_or(Error::YearState {
            op,
            year,
            reason: "not closed",
        })?;
        if c.distributed {
            return Err(Error::YearState {
                op,
                year,
                reason: "its SHU has been distributed: correct it in the current year",
            });
        }
        if self.closed.keys().any(|y| *y > year) {
            return Err(Error::YearState {
                op,
                year,
                reason: "a later year is closed: reopen it first",
            });
        }
        let fy = c.year;
        let id = self.next_id(0);
        let before = self.ledger.len();
        self.ledger
            .reopen_year(YearReopen::new(fy, id, a, reason))
            .map_err(ledger(op))?;
        let posted = self.ledger.len() > before;
        if posted {
            self.entry_seq = self.entry_seq.saturating_add(1);
        }
        self.closed.remove(&year);
        self.reopenings
            .entry(year)
            .or_default()
            .push((d, reason.to_owned()));
        Ok(Applied {
            entries: if posted { vec![id] } else { Vec::new() },
            ..Applied::default()
        })
    }
}

#[cfg(test)]
mod tests {
    use koperasi_savings_loans::SavingsKind;

    use super::{Key, savings_key};
    use crate::book::testkit::{KASIR, book, d, member, rp};
    use crate::event::{Operation, Via};

    fn deposit(amount: i64) -> Operation {
        Operation::Deposit {
            member: member(0),
            kind: SavingsKind::Mandatory,
            amount: rp(amount),
            via: Via::Cash,
        }
    }

    #[test]
    fn only_the_last_operation_on_an_object_keeps_its_earlier_state() {
        let mut b = book(1);
        b.run(d(1, 10), KASIR, deposit(10_000)).unwrap();
        let first = b.events.len() - 1;
        assert!(b.undo.records.contains_key(&first));
        b.run(d(1, 11), KASIR, deposit(20_000)).unwrap();
        let second = b.events.len() - 1;
        assert!(!b.undo.records.contains_key(&first), "superseded");
        assert!(b.undo.records.contains_key(&second));
        assert_eq!(
            b.undo
                .last
                .get(&savings_key(member(0), SavingsKind::Mandatory)),
            Some(&second)
        );
        assert!(
            !b.undo
                .last
                .contains_key(&Key::Loan(koperasi_core::LoanId::from_u128(1)))
        );
    }

    #[test]
    fn a_rejected_operation_leaves_no_scratch() {
        let mut b = book(1);
        let before = format!("{:?}", b.undo);
        assert!(b.run(d(1, 10), KASIR, deposit(-5)).is_err());
        assert_eq!(before, format!("{:?}", b.undo));
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod register_reversal_tests {
    use koperasi_core::chrono::NaiveDate;
    use koperasi_savings_loans::Collectibility;

    use super::super::fixture::*;
    use crate::Error;
    use crate::book::{Collateral, CollateralKind, Koperasi};
    use crate::event::{Operation, PurchasePayment, ReversalTarget, Via};
    use crate::posting::PostingRole as R;

    /// Reverses event `i`: the bendahara's request, completed by the ketua when the rules
    /// need a second person.
    fn reverse(b: &mut Koperasi, i: usize, on: NaiveDate) -> crate::Result<crate::Applied> {
        let op = Operation::Reverse {
            target: ReversalTarget::Event(i),
            reason: "salah input".into(),
        };
        let made = b.run(on, BENDAHARA, op)?;
        match made.request {
            Some(request) => b.run(on, KETUA, Operation::Approve { request }),
            None => Ok(made),
        }
    }

    fn last(b: &Koperasi) -> usize {
        b.events().len() - 1
    }

    fn prepay() -> Operation {
        Operation::PrepayExpense {
            account: "6-1-08".into(),
            amount: rp(1_200_000),
            months: 12,
            unit: None,
            via: Via::Bank,
            memo: "Sewa gudang setahun".into(),
        }
    }

    #[test]
    fn reversing_a_prepayment_removes_its_schedule() {
        let mut b = book(1, false);
        let bank = bal(&b, R::Bank);
        ok(&mut b, d(2026, 1, 20), BENDAHARA, prepay());
        let i = last(&b);
        assert_eq!(b.prepaid_expenses().len(), 1);
        let applied = reverse(&mut b, i, d(2026, 1, 21)).unwrap();
        assert_eq!(applied.entries.len(), 1);
        assert!(b.prepaid_expenses().is_empty());
        assert_eq!(bal(&b, R::PrepaidExpense), rp(0));
        assert_eq!(bal(&b, R::Bank), bank);
        // The month-end amortises nothing now.
        ok(&mut b, d(2026, 1, 31), BENDAHARA, Operation::MonthEnd);
        assert_eq!(bal(&b, R::OtherExpense), rp(0));
        reconciled(&b);
    }

    #[test]
    fn a_prepayment_a_month_end_amortised_is_not_reversed_and_the_error_says_why() {
        let mut b = book(1, false);
        ok(&mut b, d(2026, 1, 20), BENDAHARA, prepay());
        let i = last(&b);
        ok(&mut b, d(2026, 1, 31), BENDAHARA, Operation::MonthEnd);
        let e = reverse(&mut b, i, d(2026, 2, 1)).unwrap_err();
        assert!(
            matches!(&e, Error::NotReversible { reason, .. } if reason.contains("amortised")),
            "{e}"
        );
        assert_eq!(b.prepaid_expenses().len(), 1);
        reconciled(&b);
    }

    fn buy(tag: &str, cost: i64) -> Operation {
        Operation::AcquireFixedAsset {
            asset: tag.into(),
            account: "1-2-04".into(),
            cost: rp(cost),
            useful_life_months: 96,
            residual: rp(0),
            payment: PurchasePayment::Paid(Via::Bank),
            memo: tag.into(),
        }
    }

    #[test]
    fn reversing_a_disposal_puts_the_asset_back_in_the_register() {
        let mut b = book(1, false);
        ok(&mut b, d(2026, 1, 10), BENDAHARA, buy("MTR-1", 9_600_000));
        ok(&mut b, d(2026, 1, 31), BENDAHARA, Operation::MonthEnd);
        let before = b.fixed_assets()["MTR-1"].clone();
        let tb = |b: &Koperasi| {
            b.ledger()
                .balances(b.last_date())
                .unwrap()
                .into_iter()
                .map(|(c, x)| (c, x.net_debit))
                .collect::<Vec<_>>()
        };
        let balances = tb(&b);
        // Missed month-ends are caught up at the disposal: two entries.
        ok(
            &mut b,
            d(2026, 5, 2),
            BENDAHARA,
            Operation::DisposeAsset {
                asset: "MTR-1".into(),
                proceeds: rp(9_500_000),
                via: Via::Cash,
            },
        );
        let i = last(&b);
        assert!(b.fixed_assets()["MTR-1"].disposed.is_some());
        let applied = reverse(&mut b, i, d(2026, 5, 3)).unwrap();
        assert_eq!(applied.entries.len(), 2, "both entries reversed");
        assert_eq!(b.fixed_assets()["MTR-1"], before);
        assert_eq!(tb(&b), balances);
        reconciled(&b);
        // It depreciates again at the next month-end.
        ok(&mut b, d(2026, 5, 31), BENDAHARA, Operation::MonthEnd);
        assert!(b.fixed_assets()["MTR-1"].depreciated > before.depreciated);
        reconciled(&b);
    }

    #[test]
    fn a_disposal_whose_reversal_the_ledger_refuses_changes_nothing() {
        let mut b = book(1, false);
        ok(&mut b, d(2026, 1, 10), BENDAHARA, buy("MTR-1", 9_600_000));
        ok(
            &mut b,
            d(2026, 5, 2),
            BENDAHARA,
            Operation::DisposeAsset {
                asset: "MTR-1".into(),
                proceeds: rp(9_500_000),
                via: Via::Cash,
            },
        );
        let i = last(&b);
        // The proceeds leave the kas: reversing them would take the kas below zero.
        let cash = bal(&b, R::Cash);
        ok(
            &mut b,
            d(2026, 5, 2),
            BENDAHARA,
            Operation::Transfer {
                from: Via::Cash,
                to: Via::Bank,
                amount: cash,
            },
        );
        let made = b
            .run(
                d(2026, 5, 3),
                BENDAHARA,
                Operation::Reverse {
                    target: ReversalTarget::Event(i),
                    reason: "salah input".into(),
                },
            )
            .unwrap();
        let e = fails(
            &mut b,
            d(2026, 5, 3),
            KETUA,
            Operation::Approve {
                request: made.request.unwrap(),
            },
        );
        assert!(matches!(e, Error::Ledger { .. }), "{e}");
        assert!(b.fixed_assets()["MTR-1"].disposed.is_some());
    }

    #[test]
    fn an_asset_purchase_a_month_end_depreciated_is_not_reversed() {
        let mut b = book(1, false);
        ok(&mut b, d(2026, 1, 10), BENDAHARA, buy("MTR-1", 9_600_000));
        let i = last(&b);
        ok(&mut b, d(2026, 1, 31), BENDAHARA, Operation::MonthEnd);
        let e = reverse(&mut b, i, d(2026, 2, 1)).unwrap_err();
        assert!(
            matches!(&e, Error::NotReversible { reason, .. } if reason.contains("DisposeAsset")),
            "{e}"
        );
    }

    fn loan_book() -> Koperasi {
        let mut b = book(1, false);
        let on = d(2026, 1, 5);
        ok(
            &mut b,
            on,
            KASIR,
            Operation::ApplyLoan {
                loan: LOAN,
                member: member(0),
                terms: terms(on),
            },
        );
        approve(&mut b, LOAN, on);
        ok(
            &mut b,
            on,
            BENDAHARA,
            Operation::DisburseLoan {
                loan: LOAN,
                via: Via::Bank,
            },
        );
        b
    }

    #[test]
    fn reversing_a_pledge_releases_the_collateral_and_the_next_month_end_reclassifies() {
        let mut b = loan_book();
        ok(
            &mut b,
            d(2026, 1, 6),
            KASIR,
            Operation::PledgeCollateral {
                loan: LOAN,
                collateral: Collateral::new(
                    CollateralKind::Vehicle,
                    rp(3_000_000),
                    d(2026, 1, 4),
                    vec!["BPKB N-1234-AB".into()],
                ),
            },
        );
        let i = last(&b);
        ok(&mut b, d(2026, 8, 31), BENDAHARA, Operation::MonthEnd);
        assert_eq!(b.loans()[&LOAN].class, Collectibility::Doubtful);
        let applied = reverse(&mut b, i, d(2026, 9, 1)).unwrap();
        assert!(
            applied.entries.is_empty(),
            "a register-only reversal posts nothing"
        );
        assert!(b.collateral(LOAN).is_empty());
        // Without the collateral the loan is Macet at the next month-end, PPAP 100%.
        ok(&mut b, d(2026, 9, 30), BENDAHARA, Operation::MonthEnd);
        assert_eq!(b.loans()[&LOAN].class, Collectibility::Loss);
        reconciled(&b);
        assert!(matches!(
            reverse(&mut b, i, d(2026, 10, 1)).unwrap_err(),
            Error::NotReversible { .. }
        ));
    }

    #[test]
    fn reversing_an_assessment_restores_the_earlier_one() {
        let mut b = loan_book();
        let assess = |salvageable| Operation::AssessLoan {
            loan: LOAN,
            salvageable,
            legal_or_insurance: false,
        };
        ok(&mut b, d(2026, 2, 1), MANAJER, assess(true));
        let first = b.collateral_info(LOAN).unwrap();
        ok(&mut b, d(2026, 2, 2), MANAJER, assess(false));
        let i = last(&b);
        assert!(b.collateral_info(LOAN).unwrap().not_salvageable);
        reverse(&mut b, i, d(2026, 2, 3)).unwrap();
        assert_eq!(b.collateral_info(LOAN).unwrap(), first);
    }

    #[test]
    fn an_override_is_withdrawn_by_reversal_but_not_once_a_write_off_relied_on_it() {
        let mut b = loan_book();
        let over = Operation::WriteOffOverride {
            loan: LOAN,
            reason: "peminjam meninggal, tanpa ahli waris".into(),
        };
        ok(&mut b, d(2026, 2, 1), MANAJER, over.clone());
        let i = last(&b);
        reverse(&mut b, i, d(2026, 2, 2)).unwrap();
        assert_eq!(b.write_off_override_of(LOAN), None);
        let e = fails(
            &mut b,
            d(2026, 2, 3),
            MANAJER,
            Operation::WriteOffLoan { loan: LOAN },
        );
        assert!(matches!(e, Error::NotMacet { .. }), "{e}");
        // Documented again; the write-off under it is approved.
        ok(&mut b, d(2026, 2, 3), MANAJER, over);
        let j = last(&b);
        let class = b.loans()[&LOAN].class;
        write_off(&mut b, LOAN, d(2026, 2, 4));
        let w = last(&b);
        assert!(matches!(
            reverse(&mut b, j, d(2026, 2, 5)).unwrap_err(),
            Error::NotReversible { .. }
        ));
        // Reversing the write-off restores the loan and its class; then the override goes.
        reverse(&mut b, w, d(2026, 2, 5)).unwrap();
        assert_eq!(
            b.loans()[&LOAN].loan.status(),
            koperasi_savings_loans::LoanStatus::Active
        );
        assert_eq!(b.loans()[&LOAN].class, class);
        reconciled(&b);
        // The decision a write-off was made under stays on file.
        assert!(matches!(
            reverse(&mut b, j, d(2026, 2, 6)).unwrap_err(),
            Error::NotReversible { .. }
        ));
        assert!(b.write_off_override_of(LOAN).is_some());
    }
}
