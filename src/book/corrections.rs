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
//! (newest first). Refused with [`Error::NotReversible`]:
//! * registration, simpanan pokok (admission), exit — the registry's history is a record of
//!   fact; dismiss or correct the member instead;
//! * QRIS sales and settlements — the payment provider holds the other side; refund through it;
//! * the Himbara loan — the bank's schedule is the other side;
//! * month-end, year close, SHU distribution — recomputed from the book; a closed year is
//!   reopened ([`Operation::ReopenYear`]) and closed again, month-end postings are corrected by
//!   an adjusting entry;
//! * requests, approvals of registry-only operations, reversals themselves (a reversal is not
//!   reversed: post the operation again).
//!
//! A single entry ([`ReversalTarget::Entry`]) is reversed only if it touches no control
//! account with a subledger and carries no member (whose savings, loans or jasa usaha basis
//! would no longer agree).

use std::collections::BTreeMap;

use koperasi_core::chrono::NaiveDate;
use koperasi_core::{ActorId, EntryId, LoanId, MemberId, SavingsAccountId};
use koperasi_ledger::{BusinessUnit, Counterparty, Dimensions, Reversal, YearReopen};
use koperasi_membership::{Permission, Subject};
use koperasi_savings_loans::{Collectibility, Loan, SavingsAccount, SavingsKind};
use koperasi_shu::Transactions;

use crate::error::{Error, Result, ledger};
use crate::event::{AdjustLine, Operation, ReversalTarget};
use crate::posting::{PostingRole as R, SAVINGS_KINDS};

use super::{Applied, Koperasi, LoanApplication, Stock, code_line, pos};

/// A subledger object an operation changes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Key {
    Loan(LoanId),
    Application(LoanId),
    Savings(MemberId, u8),
    Deposit(SavingsAccountId),
    Stock(BusinessUnit, String),
    Patronage(i32, MemberId),
    /// A fixed asset of the register, by tag.
    Asset(String),
}

/// The state of one subledger object before an operation changed it.
#[derive(Debug, Clone)]
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
}

fn kind_key(kind: SavingsKind) -> u8 {
    match kind {
        SavingsKind::Principal => 0,
        SavingsKind::Mandatory => 1,
        _ => 2,
    }
}

impl Restore {
    fn key(&self) -> Key {
        match self {
            Restore::Loan(id, _) => Key::Loan(*id),
            Restore::Application(id, _) => Key::Application(*id),
            Restore::Savings(m, k, _) => Key::Savings(*m, kind_key(*k)),
            Restore::Deposit(id, _) => Key::Deposit(*id),
            Restore::Stock((u, s), _) => Key::Stock(*u, s.clone()),
            Restore::Patronage((y, m), _) => Key::Patronage(*y, *m),
            Restore::Asset(tag, _) => Key::Asset(tag.clone()),
        }
    }
}

/// What reversing one event needs: its entry and the objects' earlier states.
#[derive(Debug, Clone)]
struct Undo {
    date: NaiveDate,
    entry: EntryId,
    restores: Vec<Restore>,
}

/// The book's memory for reversals: for each reversible event, its entry and the earlier
/// state of what it changed — kept only while it is the last event to change each object.
#[derive(Debug, Clone, Default)]
pub(super) struct UndoLog {
    // the operation being applied
    reversible: bool,
    restores: Vec<Restore>,
    touched: Vec<Key>,
    reversing: Option<usize>,
    // the book's
    records: BTreeMap<usize, Undo>,
    last: BTreeMap<Key, usize>,
    reversed: BTreeMap<usize, usize>,
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
    )
}

impl UndoLog {
    /// Starts (or abandons) the operation being applied.
    pub(super) fn begin(&mut self) {
        self.reversible = false;
        self.restores.clear();
        self.touched.clear();
        self.reversing = None;
    }

    /// The operation being applied (for a completed request: the requested one).
    pub(super) fn operation(&mut self, op: &Operation) {
        self.reversible = reversible(op);
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
        if let (true, [entry]) = (self.reversible, entries) {
            self.records.insert(
                index,
                Undo {
                    date,
                    entry: *entry,
                    restores,
                },
            );
        }
        self.reversible = false;
    }
}

impl UndoLog {
    /// The event that last changed `k` (for the modules' tests).
    #[cfg(test)]
    pub(super) fn last_change(&self, k: &Key) -> Option<usize> {
        self.last.get(k).copied()
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
            | Operation::Reject { .. } => return Ok(()),
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
    /// time-deposit interest and the loan interest receivable (the accounts
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
        let (entry, restores, index) = match target {
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
                (id, Vec::new(), None)
            }
            ReversalTarget::Event(i) => {
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
                    Operation::Approve { request } => {
                        self.requests.get(request).map_or(&ev.op, |r| &r.op)
                    }
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
                            "this kind of operation is corrected otherwise (see the documentation \
                         of Operation::Reverse)"
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
                        reason: "a later operation changed the same loan, account or stock: \
                                 reverse it first",
                    });
                }
                self.refuse_closed_original(op, rec.date)?;
                (rec.entry, rec.restores.clone(), Some(i))
            }
        };
        self.refuse_negative_payable(op, entry)?;
        let memo = format!("Pembalikan: {reason}");
        let id = self
            .ledger
            .reverse(entry, &Reversal::new(self.next_id(0), d, a, memo))
            .map_err(ledger(op))?;
        self.entry_seq = self.entry_seq.saturating_add(1);
        for r in restores {
            self.restore(r);
        }
        if let Some(i) = index {
            self.undo.records.remove(&i);
            self.undo.reversing = Some(i);
        }
        Ok(Applied {
            entries: vec![id],
            ..Applied::default()
        })
    }

    /// A reversal that would take a payable below zero (its payment was already made) is
    /// refused: reverse the payment first.
    fn refuse_negative_payable(&self, op: &'static str, entry: EntryId) -> Result<()> {
        let Some(view) = self.ledger.entry(entry) else {
            return Ok(());
        };
        for role in [
            R::MemberShuPayable,
            R::ExitRefundPayable,
            R::VillageSharePayable,
            R::TaxPayable,
            R::TradePayable,
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
    fn restore(&mut self, r: Restore) {
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
            Restore::Application(id, None) => {
                self.applications.remove(&id);
            }
            Restore::Application(id, Some(app)) => {
                self.applications.insert(id, app);
            }
            Restore::Savings(m, kind, acc) => {
                if let Some(x) = self.accounts.get_mut(&m) {
                    match kind {
                        SavingsKind::Principal => x.pokok = acc,
                        SavingsKind::Mandatory => x.wajib = acc,
                        _ => x.sukarela = acc,
                    }
                }
            }
            Restore::Deposit(id, None) => {
                self.deposits.remove(&id);
            }
            Restore::Deposit(id, Some(x)) => {
                self.deposits.insert(id, x);
            }
            Restore::Stock(k, None) => {
                self.stock.remove(&k);
            }
            Restore::Stock(k, Some(s)) => {
                self.stock.insert(k, s);
            }
            Restore::Patronage(k, None) => {
                self.patronage.remove(&k);
            }
            Restore::Patronage(k, Some(t)) => {
                self.patronage.insert(k, t);
            }
            Restore::Asset(tag, None) => {
                self.registers.assets.remove(&tag);
            }
            Restore::Asset(tag, Some(x)) => {
                self.registers.assets.insert(tag, x);
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
