//! Month-end (tutup bulan): savings interest, late penalties, loan and time-deposit interest
//! accrual (akrual), collectibility and the loss reserve (PPAP), depreciation of the asset
//! register (penyusutan), amortisation of prepaid expenses; and the stock count (stock
//! opname).
//!
//! Every accrual is kept per item (loan, time deposit, asset, prepaid expense) as the amount
//! on the books at the last month-end; a month-end posts, per item, the difference between
//! what is earned (or used up) to its date and what is already booked. So a month-end is a
//! true-up: an item paid in the meantime (an installment, a matured deposit) has its accrual
//! settled by the next month-end, a skipped month is caught up, and the balances at every
//! month-end are those of the accrual basis (SAK EP).

use std::collections::{BTreeMap, BTreeSet};

use koperasi_core::chrono::{Datelike, NaiveDate};
use koperasi_core::{ActorId, Decimal, FiscalYear, LoanId, Rupiah, SavingsAccountId, month_end};
use koperasi_ledger::{BusinessUnit, Counterparty, Dimensions, Line, Side};
use koperasi_membership::{Permission, Subject};
use koperasi_savings_loans::{
    Collectibility, Loan, LoanStatus, PortfolioLine, SavingsAccount, SavingsKind, required_reserve,
};

use crate::error::{Error, Result, sl};
use crate::posting::PostingRole as R;

use super::assets::{FixedAsset, Prepaid};
use super::collateral::{Assessment, Collateral};
use super::corrections::{AccrualBefore, Key, MonthEndShare, Restore, savings_key};
use super::settlements::PayableIndex;
use super::{Applied, Draft, Koperasi, Stock, WHOLE, add, member_dims, sub};

/// The registers kept beside the ledger for month-end, collateral and settlements.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub(super) struct Registers {
    /// Fixed assets by tag.
    pub(super) assets: BTreeMap<String, FixedAsset>,
    /// Prepaid expenses, in order.
    pub(super) prepaid: Vec<Prepaid>,
    /// Loan interest accrued (earned, not yet received) at the last month-end, per loan.
    pub(super) loan_accrual: BTreeMap<LoanId, Rupiah>,
    /// Time-deposit interest accrued at the last month-end, per deposit.
    pub(super) deposit_accrual: BTreeMap<SavingsAccountId, Rupiah>,
    /// Interest on the Himbara loan incurred and not yet paid at the last month-end (bunga
    /// pinjaman Himbara yang masih harus dibayar).
    #[cfg_attr(feature = "serde", serde(default))]
    pub(super) himbara_accrual: Rupiah,
    /// Collateral pledged, per loan (application or disbursed).
    pub(super) collateral: BTreeMap<LoanId, Vec<Collateral>>,
    /// The pengurus' assessment of a loan.
    pub(super) assessment: BTreeMap<LoanId, Assessment>,
    /// Documented write-off overrides, per loan.
    pub(super) overrides: BTreeMap<LoanId, String>,
    /// Members' payables (SHU, exit refunds), read from the ledger.
    pub(super) payables: PayableIndex,
}

/// The first event format whose month-end accrues the Himbara loan's interest: a month-end
/// written in an earlier format posts exactly what it posted then, so an older log replays to
/// the same book (its Himbara accrual register stays as it was).
pub(super) const HIMBARA_ACCRUAL_FORMAT: u32 = 5;

/// Months counted from the month of `from` to the month of `to`, both included (0 if `to`
/// is in an earlier month).
pub(super) fn months_including(from: NaiveDate, to: NaiveDate) -> u32 {
    // Years are within ±262 143 (chrono), so these cannot overflow an i64.
    let ix = |d: NaiveDate| {
        i64::from(d.year())
            .saturating_mul(12)
            .saturating_add(i64::from(d.month0()))
    };
    u32::try_from(ix(to).saturating_sub(ix(from)).saturating_add(1).max(0)).unwrap_or(u32::MAX)
}

/// Straight line: the part of `base` used up after `months` of `life` months, half-up to the
/// rupiah, never above `base`; all of it once `months ≥ life`; nothing for `life = 0`.
///
/// # Errors
/// [`Error::Core`] on overflow.
pub(super) fn straight_line(base: Rupiah, months: u32, life: u32) -> Result<Rupiah> {
    if life == 0 || months == 0 || !base.is_positive() {
        return Ok(Rupiah::ZERO);
    }
    if months >= life {
        return Ok(base);
    }
    Ok(base
        .mul_div(Decimal::from(months), Decimal::from(life), WHOLE)?
        .min(base))
}

/// Interest received on a loan so far (Σ interest paid on its installments).
fn interest_received(loan: &Loan) -> Result<Rupiah> {
    Ok(Rupiah::try_sum(
        loan.installments().iter().map(|i| i.paid.interest),
    )?)
}

/// Interest on the Himbara loan incurred to `d` and not yet paid: what the loan has earned
/// the bank by `d` (the same computation as a member loan's accrual,
/// [`Loan::accrued_interest`]) less the interest paid on its installments, never below zero;
/// nothing for a loan no longer active (paid off: its accrual is settled) or none.
///
/// # Errors
/// [`Error::SavingsLoans`] or [`Error::Core`] on overflow.
pub(super) fn himbara_incurred(
    op: &'static str,
    loan: Option<&Loan>,
    d: NaiveDate,
) -> Result<Rupiah> {
    let Some(loan) = loan.filter(|l| l.status() == LoanStatus::Active) else {
        return Ok(Rupiah::ZERO);
    };
    let earned = loan.accrued_interest(d).map_err(sl(op))?;
    Ok(sub(earned, interest_received(loan)?)?.max(Rupiah::ZERO))
}

/// Time-deposit interest earned by `d`: the term's interest (as the deposit pays it at
/// maturity) pro rata by days from placement to maturity; nothing once closed.
fn deposit_earned(op: &'static str, acc: &SavingsAccount, d: NaiveDate) -> Result<Rupiah> {
    let Some(maturity) = acc.maturity() else {
        return Ok(Rupiah::ZERO);
    };
    if acc.is_closed() {
        return Ok(Rupiah::ZERO);
    }
    let opened = acc.opened();
    let mut probe = acc.clone();
    let full = probe
        .withdraw_time_deposit(maturity.max(opened))
        .map_err(sl(op))?
        .interest;
    if d >= maturity {
        return Ok(full);
    }
    let days = d.signed_duration_since(opened).num_days().max(0);
    let term = maturity.signed_duration_since(opened).num_days().max(1);
    Ok(full
        .mul_div(Decimal::from(days), Decimal::from(term), WHOLE)?
        .min(full))
}

/// One posted change of an accrual: the side of the balance-sheet line and its amount.
fn signed_line(
    book: &Koperasi,
    role: R,
    normal: Side,
    delta: Rupiah,
    dims: Dimensions,
) -> Result<Line> {
    let side = if delta.is_negative() {
        normal.opposite()
    } else {
        normal
    };
    book.line(role, side, delta.abs(), dims)
}

impl Koperasi {
    pub(super) fn month_end(&mut self, d: NaiveDate, a: ActorId) -> Result<Applied> {
        let op = "month_end";
        self.permit(a, op, Permission::ClosePeriod, Subject::Cooperative)?;
        if month_end(d.year(), d.month())? != d {
            return Err(Error::MonthEnd {
                op,
                reason: format!("{d} is not a month's last day"),
            });
        }
        if self.last_month_end.is_some_and(|l| l >= d) {
            return Err(Error::MonthEnd {
                op,
                reason: format!("month-end {d} already run"),
            });
        }
        let mut dr = Draft::new();
        // What this month-end posts for an object whose last operation is still reversible,
        // kept with that operation for a correction after the month-end.
        let mut shares: Vec<(Key, MonthEndShare)> = Vec::new();
        // 1. Savings interest on sukarela (credited less tax).
        let mut new_sukarela = Vec::new();
        let mut interest_lines = Vec::new();
        let (mut gross, mut tax) = (Rupiah::ZERO, Rupiah::ZERO);
        for (m, x) in &self.accounts {
            if x.sukarela.is_closed() || x.sukarela.product().interest.is_none() {
                continue;
            }
            let mut s = x.sukarela.clone();
            let p = s.close_interest_period(d).map_err(sl(op))?;
            let key = savings_key(*m, SavingsKind::Voluntary);
            if self.undo.live(&key) {
                shares.push((
                    key,
                    MonthEndShare {
                        date: d,
                        lines: self.sukarela_interest_lines(*m, &p)?,
                        changed: true,
                        accrual: None,
                        savings_member: Some(*m),
                    },
                ));
            }
            if p.posted && p.gross.is_positive() {
                gross = add(gross, p.gross)?;
                tax = add(tax, p.tax_withheld)?;
                interest_lines.push(self.line(
                    R::MemberSavings(SavingsKind::Voluntary),
                    Side::Credit,
                    p.net,
                    member_dims(*m),
                )?);
            }
            new_sukarela.push((*m, s));
        }
        if gross.is_positive() {
            let mut lines = vec![self.line(
                R::SavingsInterestExpense,
                Side::Debit,
                gross,
                Dimensions::default(),
            )?];
            lines.append(&mut interest_lines);
            lines.push(self.line(R::TaxPayable, Side::Credit, tax, Dimensions::default())?);
            dr.push(
                self,
                d,
                a,
                "Jasa simpanan sukarela",
                format!("month-end:{d}/savings-interest"),
                lines,
            );
        }
        // 2. Loans: penalties, collectibility (with collateral), interest accrual.
        let loans = self.month_end_loans(op, d)?;
        if !loans.penalty_lines.is_empty() {
            dr.push(
                self,
                d,
                a,
                "Denda keterlambatan",
                format!("month-end:{d}/penalties"),
                loans.penalty_lines,
            );
        }
        if !loans.accrual_lines.is_empty() {
            let mut lines = loans.accrual_lines;
            let dims = Dimensions {
                unit: Some(BusinessUnit::SimpanPinjam),
                counterparty: Some(Counterparty::Member),
                member: None,
            };
            lines.push(signed_line(
                self,
                R::MemberRevenue(BusinessUnit::SimpanPinjam),
                Side::Credit,
                loans.revenue,
                dims,
            )?);
            dr.push(
                self,
                d,
                a,
                "Akrual jasa pinjaman",
                format!("month-end:{d}/loan-accrual"),
                lines,
            );
        }
        // 3. PPAP: the portfolio's required reserve (savings-loans' classes and rates).
        let required =
            required_reserve(&loans.portfolio, &self.config.reserve_rates).map_err(sl(op))?;
        let current = self.role_balance(R::LoanLossReserve)?;
        let adj = sub(required.total, current)?;
        if !adj.is_zero() {
            dr.push(
                self,
                d,
                a,
                "Penyisihan kerugian pinjaman (PPAP)",
                format!("month-end:{d}/reserve"),
                vec![
                    signed_line(
                        self,
                        R::LoanLossExpense,
                        Side::Debit,
                        adj,
                        Dimensions::default(),
                    )?,
                    signed_line(
                        self,
                        R::LoanLossReserve,
                        Side::Credit,
                        adj,
                        Dimensions::default(),
                    )?,
                ],
            );
        }
        // 4. Time-deposit interest accrual.
        let mut deposit_accrual = Vec::new();
        let mut lines = Vec::new();
        let mut expense = Rupiah::ZERO;
        for (id, (m, acc)) in &self.deposits {
            let prev = self
                .registers
                .deposit_accrual
                .get(id)
                .copied()
                .unwrap_or_default();
            let target = deposit_earned(op, acc, d)?;
            let delta = sub(target, prev)?;
            if !delta.is_zero() {
                let accrued = signed_line(
                    self,
                    R::AccruedSavingsInterest,
                    Side::Credit,
                    delta,
                    member_dims(*m),
                )?;
                let key = Key::Deposit(*id);
                if self.undo.live(&key) {
                    let expensed = signed_line(
                        self,
                        R::SavingsInterestExpense,
                        Side::Debit,
                        delta,
                        Dimensions::default(),
                    )?;
                    shares.push((
                        key,
                        MonthEndShare {
                            date: d,
                            lines: vec![accrued.clone(), expensed],
                            changed: false,
                            accrual: Some(AccrualBefore::Deposit(*id, prev)),
                            savings_member: None,
                        },
                    ));
                }
                lines.push(accrued);
                expense = add(expense, delta)?;
                deposit_accrual.push((*id, target));
            }
        }
        if !lines.is_empty() {
            lines.push(signed_line(
                self,
                R::SavingsInterestExpense,
                Side::Debit,
                expense,
                Dimensions::default(),
            )?);
            dr.push(
                self,
                d,
                a,
                "Akrual jasa simpanan berjangka",
                format!("month-end:{d}/deposit-accrual"),
                lines,
            );
        }
        // 4b. Himbara interest incurred and not yet paid (event format 5 on): the expense is
        // trued up to it, like a loan's accrual; an installment in between is expensed in
        // full and this true-up takes back what an earlier month-end had accrued for it.
        let himbara_accrual = if self.undo.format() >= HIMBARA_ACCRUAL_FORMAT {
            let target = himbara_incurred(op, self.himbara.as_ref(), d)?;
            let delta = sub(target, self.registers.himbara_accrual)?;
            if !delta.is_zero() {
                let nd = Dimensions::default();
                dr.push(
                    self,
                    d,
                    a,
                    "Akrual bunga pinjaman Himbara",
                    format!("month-end:{d}/himbara-accrual"),
                    vec![
                        signed_line(self, R::BankInterestExpense, Side::Debit, delta, nd)?,
                        signed_line(self, R::AccruedHimbaraInterest, Side::Credit, delta, nd)?,
                    ],
                );
            }
            Some(target)
        } else {
            None
        };
        // 5. Depreciation of the asset register (straight line, month of acquisition counts).
        let mut depreciation = Vec::new();
        let mut total = Rupiah::ZERO;
        for (tag, x) in &self.registers.assets {
            if x.disposed.is_some() {
                continue;
            }
            let target = x.depreciation_through(months_including(x.acquired, d))?;
            let delta = sub(target, x.depreciated)?;
            if delta.is_positive() {
                let key = Key::Asset(tag.clone());
                if self.undo.live(&key) {
                    let nd = Dimensions::default();
                    shares.push((
                        key,
                        MonthEndShare {
                            date: d,
                            lines: vec![
                                self.line(R::DepreciationExpense, Side::Debit, delta, nd)?,
                                self.line(R::AccumulatedDepreciation, Side::Credit, delta, nd)?,
                            ],
                            changed: false,
                            accrual: None,
                            savings_member: None,
                        },
                    ));
                }
                total = add(total, delta)?;
                depreciation.push((tag.clone(), target));
            }
        }
        if total.is_positive() {
            let nd = Dimensions::default();
            dr.push(
                self,
                d,
                a,
                "Penyusutan aset tetap",
                format!("month-end:{d}/depreciation"),
                vec![
                    self.line(R::DepreciationExpense, Side::Debit, total, nd)?,
                    self.line(R::AccumulatedDepreciation, Side::Credit, total, nd)?,
                ],
            );
        }
        // 6. Prepaid expenses amortised.
        let mut amortised = Vec::new();
        let mut lines = Vec::new();
        let mut total = Rupiah::ZERO;
        for (i, p) in self.registers.prepaid.iter().enumerate() {
            let target = straight_line(p.amount, months_including(p.start, d), p.months)?;
            let delta = sub(target, p.amortised)?;
            if delta.is_positive() {
                let dims = Dimensions {
                    unit: p.unit,
                    ..Dimensions::default()
                };
                let used = super::code_line(&p.account, Side::Debit, delta, dims)
                    .map_err(crate::error::ledger(op))?;
                let key = Key::Prepaid(p.entry);
                if self.undo.live(&key) {
                    shares.push((
                        key,
                        MonthEndShare {
                            date: d,
                            lines: vec![
                                used.clone(),
                                self.line(
                                    R::PrepaidExpense,
                                    Side::Credit,
                                    delta,
                                    Dimensions::default(),
                                )?,
                            ],
                            changed: false,
                            accrual: None,
                            savings_member: None,
                        },
                    ));
                }
                lines.push(used);
                total = add(total, delta)?;
                amortised.push((i, target));
            }
        }
        if total.is_positive() {
            lines.push(self.line(
                R::PrepaidExpense,
                Side::Credit,
                total,
                Dimensions::default(),
            )?);
            dr.push(
                self,
                d,
                a,
                "Amortisasi biaya dibayar dimuka",
                format!("month-end:{d}/prepaid"),
                lines,
            );
        }
        let applied = self.post(op, &dr)?;
        // Commit. What was posted for an object whose last operation is still reversible is
        // kept with that operation (a correction after the month-end reverses it); the
        // sukarela accounts, and the loans changed here without such an operation, can no
        // longer have their earlier operations reversed.
        let mut shared = BTreeSet::new();
        let closed_through = self.closed.values().map(|c| c.year.end()).max();
        for (key, share) in shares.into_iter().chain(
            loans
                .shares
                .into_iter()
                .map(|(id, share)| (Key::Loan(id), share)),
        ) {
            if self.undo.share(&key, share, closed_through) {
                shared.insert(key);
            }
        }
        for (m, s) in new_sukarela {
            if let Some(x) = self.accounts.get_mut(&m) {
                x.sukarela = s;
                let key = savings_key(m, SavingsKind::Voluntary);
                if !shared.contains(&key) {
                    self.undo.touch(key);
                }
            }
        }
        for (id, s) in loans.states {
            if let Some(x) = self.loans.get_mut(&id) {
                x.loan = s;
                if !shared.contains(&Key::Loan(id)) {
                    self.undo.touch(Key::Loan(id));
                }
            }
        }
        for (id, class) in loans.classes {
            if let Some(x) = self.loans.get_mut(&id)
                && x.class != class
            {
                x.class = class;
                if !shared.contains(&Key::Loan(id)) {
                    self.undo.touch(Key::Loan(id));
                }
            }
        }
        for (id, target) in loans.accruals {
            if target.is_zero() {
                self.registers.loan_accrual.remove(&id);
            } else {
                self.registers.loan_accrual.insert(id, target);
            }
        }
        for (id, target) in deposit_accrual {
            if target.is_zero() {
                self.registers.deposit_accrual.remove(&id);
            } else {
                self.registers.deposit_accrual.insert(id, target);
            }
        }
        if let Some(target) = himbara_accrual {
            self.registers.himbara_accrual = target;
        }
        for (tag, target) in depreciation {
            if let Some(x) = self.registers.assets.get_mut(&tag) {
                // Not a change that blocks reversals by itself: a plain reversal of the
                // purchase is refused while any depreciation is booked
                // (`refuse_used_by_month_end`); a correction after the month-end reverses it.
                x.depreciated = target;
            }
        }
        for (i, target) in amortised {
            if let Some(p) = self.registers.prepaid.get_mut(i) {
                p.amortised = target;
            }
        }
        self.last_month_end = Some(d);
        Ok(applied)
    }

    /// Month-end of the loans on `d`, computed on copies.
    fn month_end_loans(&self, op: &'static str, d: NaiveDate) -> Result<LoanMonthEnd> {
        let mut out = LoanMonthEnd {
            receivable: self.line(
                R::InterestReceivable,
                Side::Debit,
                Rupiah::ZERO,
                Dimensions::default(),
            )?,
            penalty: self.line(
                R::PenaltyIncome,
                Side::Credit,
                Rupiah::ZERO,
                Dimensions::default(),
            )?,
            revenue_line: self.line(
                R::MemberRevenue(BusinessUnit::SimpanPinjam),
                Side::Credit,
                Rupiah::ZERO,
                Dimensions {
                    unit: Some(BusinessUnit::SimpanPinjam),
                    counterparty: Some(Counterparty::Member),
                    member: None,
                },
            )?,
            penalty_lines: Vec::new(),
            accrual_lines: Vec::new(),
            revenue: Rupiah::ZERO,
            portfolio: Vec::with_capacity(self.loans.len()),
            states: Vec::new(),
            classes: Vec::with_capacity(self.loans.len()),
            accruals: Vec::new(),
            shares: Vec::new(),
        };
        for (id, l) in &self.loans {
            let prev = self
                .registers
                .loan_accrual
                .get(id)
                .copied()
                .unwrap_or_default();
            let md = member_dims(l.member);
            let mark = (
                out.penalty_lines.len(),
                out.accrual_lines.len(),
                out.revenue,
            );
            let changed = self.month_end_loan(&mut out, op, d, *id, l, prev, md)?;
            if self.undo.live(&Key::Loan(*id)) {
                out.share(*id, d, mark, changed, prev)?;
            }
        }
        Ok(out)
    }

    /// A member's sukarela interest as the month-end posts it: the expense (gross), the
    /// member's credit (net) and the tax withheld; none if nothing was posted.
    pub(super) fn sukarela_interest_lines(
        &self,
        m: koperasi_core::MemberId,
        p: &koperasi_savings_loans::InterestPosting,
    ) -> Result<Vec<Line>> {
        if !(p.posted && p.gross.is_positive()) {
            return Ok(Vec::new());
        }
        let nd = Dimensions::default();
        Ok(vec![
            self.line(R::SavingsInterestExpense, Side::Debit, p.gross, nd)?,
            self.line(
                R::MemberSavings(SavingsKind::Voluntary),
                Side::Credit,
                p.net,
                member_dims(m),
            )?,
            self.line(R::TaxPayable, Side::Credit, p.tax_withheld, nd)?,
        ])
    }

    /// One loan's month-end into `out`; whether the loan itself changed (its state replaced:
    /// penalties, the Diragukan clock; or a new class).
    #[allow(clippy::too_many_arguments)]
    fn month_end_loan(
        &self,
        out: &mut LoanMonthEnd,
        op: &'static str,
        d: NaiveDate,
        id: LoanId,
        l: &super::LoanAccount,
        prev: Rupiah,
        md: Dimensions,
    ) -> Result<bool> {
        if l.loan.status() != LoanStatus::Active {
            // Closed or written off: what was accrued is settled or reversed.
            if !prev.is_zero() {
                out.accrue(id, md, prev, Rupiah::ZERO)?;
            }
            return Ok(false);
        }
        let info = self.collateral_info(id)?;
        let overdue = l
            .loan
            .installments()
            .iter()
            .find(|i| i.completed_on.is_none())
            .is_some_and(|i| i.due_date < d);
        if !overdue && l.loan.doubtful_since().is_none() {
            // Nothing overdue: no penalty, and classifying changes nothing in the loan
            // (it cannot be Diragukan), so the loan is not copied.
            let class = koperasi_savings_loans::classify(
                &l.loan.collectibility_facts(d, &info).map_err(sl(op))?,
            )
            .map_err(sl(op))?;
            out.classified_loan(id, &l.loan, md, prev, d, &info, class, op)?;
            out.classes.push((id, class));
            return Ok(class != l.class);
        }
        let mut s = l.loan.clone();
        let charged = Rupiah::try_sum(
            s.charge_penalties(d)
                .map_err(sl(op))?
                .iter()
                .map(|c| c.amount),
        )?;
        if charged.is_positive() {
            out.penalty_lines
                .push(at(&out.receivable, Side::Debit, charged, md));
            out.penalty_lines
                .push(at(&out.penalty, Side::Credit, charged, md));
        }
        let class = s.classify(d, &info).map_err(sl(op))?;
        out.classified_loan(id, &s, md, prev, d, &info, class, op)?;
        out.classes.push((id, class));
        out.states.push((id, s));
        Ok(true)
    }

    /// Refuses to close `fy` before the month-end of its last month has run.
    pub(super) fn require_month_end(&self, op: &'static str, fy: FiscalYear) -> Result<()> {
        if self.last_month_end.is_some_and(|l| l >= fy.end()) {
            Ok(())
        } else {
            Err(Error::MonthEndMissing {
                op,
                year: fy.year(),
                month_end: fy.end(),
            })
        }
    }

    /// Reserves room in the ledger for `entries` more entries of about `lines_per_entry` lines
    /// (before a burst of postings such as loading a log; a clone of a book has no room to
    /// spare, so its first posting copies the ledger's tables).
    pub fn reserve(&mut self, entries: usize, lines_per_entry: usize) {
        self.ledger.reserve(entries, lines_per_entry);
    }

    /// The date of the last month-end run, if any.
    pub fn last_month_end(&self) -> Option<NaiveDate> {
        self.last_month_end
    }

    /// Loan interest accrued (earned, not yet received) at the last month-end, per loan.
    #[doc(alias = "akrual jasa pinjaman")]
    pub fn loan_accruals(&self) -> &BTreeMap<LoanId, Rupiah> {
        &self.registers.loan_accrual
    }

    /// Time-deposit interest accrued at the last month-end, per deposit.
    #[doc(alias = "akrual jasa simpanan berjangka")]
    pub fn deposit_accruals(&self) -> &BTreeMap<SavingsAccountId, Rupiah> {
        &self.registers.deposit_accrual
    }

    /// Interest on the Himbara loan incurred and not yet paid, as accrued at the last
    /// month-end (bunga pinjaman Himbara yang masih harus dibayar): the balance the book keeps
    /// on [`PostingRole::AccruedHimbaraInterest`](crate::PostingRole::AccruedHimbaraInterest).
    ///
    /// ```
    /// use koperasi::core::{ActorId, CooperativeId, Rupiah};
    /// use koperasi::core::chrono::NaiveDate;
    /// use koperasi::membership::Role;
    /// use koperasi::{BookConfig, Koperasi, Operation, PostingRole};
    ///
    /// let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    /// let (ketua, bendahara) = (ActorId::from_u128(1), ActorId::from_u128(2));
    /// let config = BookConfig::kkmp(
    ///     CooperativeId::from_u128(1), "KKMP Mangunharjo", "35.74.04.1002".parse()?, d(1, 1),
    ///     vec![(ketua, Role::Chair), (bendahara, Role::Treasurer)],
    /// );
    /// let mut book = Koperasi::new(config)?;
    /// // Rp1 miliar at 6% a year: Rp5.000.000 for the month to 12 February.
    /// book.run(d(1, 12), ketua, Operation::HimbaraDrawdown {
    ///     principal: Rupiah::from_rupiah(1_000_000_000),
    ///     operational: Rupiah::from_rupiah(100_000_000),
    ///     tenor_months: 36,
    ///     grace_months: 6,
    /// })?;
    /// book.run(d(1, 31), bendahara, Operation::MonthEnd)?;
    /// // 19 of its 31 days have run: 5.000.000 × 19/31 → Rp3.064.516, expensed in January.
    /// assert_eq!(book.himbara_accrual(), Rupiah::from_rupiah(3_064_516));
    /// assert_eq!(book.role_balance(PostingRole::BankInterestExpense)?, book.himbara_accrual());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[doc(alias = "bunga pinjaman Himbara yang masih harus dibayar")]
    pub fn himbara_accrual(&self) -> Rupiah {
        self.registers.himbara_accrual
    }

    pub(super) fn stock_count(
        &mut self,
        d: NaiveDate,
        a: ActorId,
        unit: BusinessUnit,
        sku: &str,
        counted: u64,
    ) -> Result<Applied> {
        let op = "stock_count";
        self.permit(a, op, Permission::PostEntry, Subject::Cooperative)?;
        let key = (unit, sku.to_owned());
        let old = self.stock.get(&key).copied().unwrap_or(Stock {
            quantity: 0,
            value: Rupiah::ZERO,
        });
        if counted == old.quantity {
            return Ok(Applied::default());
        }
        let new_value = if counted == 0 {
            Rupiah::ZERO
        } else if old.quantity == 0 {
            return Err(Error::NoCostBasis {
                op,
                sku: sku.to_owned(),
            });
        } else {
            // Average cost: value × counted ÷ book quantity, half-up to the rupiah.
            old.value
                .mul_div(Decimal::from(counted), Decimal::from(old.quantity), WHOLE)?
        };
        let diff = sub(new_value, old.value)?;
        let ud = Dimensions {
            unit: Some(unit),
            ..Dimensions::default()
        };
        let memo = format!("Stock opname {sku}: {} → {counted}", old.quantity);
        let applied = self.post_entry(
            op,
            d,
            a,
            &memo,
            format!("stock:{:02}/{sku}/count", unit.number()),
            vec![
                signed_line(self, R::Inventory, Side::Debit, diff, ud)?,
                signed_line(self, R::CostOfSales(unit), Side::Credit, diff, ud)?,
            ],
        )?;
        let old = self.stock.insert(
            key.clone(),
            Stock {
                quantity: counted,
                value: new_value,
            },
        );
        self.undo.changed(Restore::Stock(key, old));
        Ok(applied)
    }
}

/// A line like `template` (its account) with this side, amount and dimensions.
fn at(template: &Line, side: Side, amount: Rupiah, dims: Dimensions) -> Line {
    let mut l = template.clone();
    l.side = side;
    l.amount = amount;
    l.dims = dims;
    l
}

/// What the month-end computes for the loans.
struct LoanMonthEnd {
    /// A line on the interest receivable (piutang jasa), to copy.
    receivable: Line,
    /// A line on penalty income, to copy.
    penalty: Line,
    /// The line on loan interest revenue of the accrual entry, to copy.
    revenue_line: Line,
    penalty_lines: Vec<Line>,
    accrual_lines: Vec<Line>,
    /// Net change of accrued interest revenue.
    revenue: Rupiah,
    portfolio: Vec<PortfolioLine>,
    /// Loans whose state changed (penalties charged, the Diragukan clock).
    states: Vec<(LoanId, Loan)>,
    /// Every active loan's class.
    classes: Vec<(LoanId, Collectibility)>,
    accruals: Vec<(LoanId, Rupiah)>,
    /// What is posted for (or changed in) each loan whose last operation is still reversible.
    shares: Vec<(LoanId, MonthEndShare)>,
}

impl LoanMonthEnd {
    /// A classified active loan: its line of the portfolio and its accrual.
    #[allow(clippy::too_many_arguments)]
    fn classified_loan(
        &mut self,
        id: LoanId,
        loan: &Loan,
        md: Dimensions,
        prev: Rupiah,
        d: NaiveDate,
        info: &koperasi_savings_loans::CollateralInfo,
        class: Collectibility,
        op: &'static str,
    ) -> Result<()> {
        let outstanding = loan.outstanding_principal().map_err(sl(op))?;
        self.portfolio.push(PortfolioLine {
            class,
            outstanding,
            eligible_collateral: info.value,
        });
        // SAK EP: interest is accrued on performing loans only (Lancar, Kurang Lancar); a
        // Diragukan or Macet loan's accrual is reversed.
        let target = if matches!(class, Collectibility::Current | Collectibility::Substandard) {
            let earned = loan.accrued_interest(d).map_err(sl(op))?;
            sub(earned, interest_received(loan)?)?.max(Rupiah::ZERO)
        } else {
            Rupiah::ZERO
        };
        self.accrue(id, md, prev, target)
    }

    fn accrue(&mut self, id: LoanId, md: Dimensions, prev: Rupiah, target: Rupiah) -> Result<()> {
        let delta = sub(target, prev)?;
        if delta.is_zero() {
            return Ok(());
        }
        let side = if delta.is_negative() {
            Side::Credit
        } else {
            Side::Debit
        };
        self.accrual_lines
            .push(at(&self.receivable, side, delta.abs(), md));
        self.revenue = add(self.revenue, delta)?;
        self.accruals.push((id, target));
        Ok(())
    }

    /// Keeps what was just computed for loan `id` (the lines after `mark`: its penalties, its
    /// accrual and its share of the accrual's revenue line) as its month-end share.
    fn share(
        &mut self,
        id: LoanId,
        d: NaiveDate,
        mark: (usize, usize, Rupiah),
        changed: bool,
        prev: Rupiah,
    ) -> Result<()> {
        let (penalties, accruals, revenue) = mark;
        let mut lines: Vec<Line> = self.penalty_lines.get(penalties..).unwrap_or(&[]).to_vec();
        let accrued = self.accrual_lines.get(accruals..).unwrap_or(&[]);
        let accrual = if accrued.is_empty() {
            None
        } else {
            lines.extend_from_slice(accrued);
            let delta = sub(self.revenue, revenue)?;
            let side = if delta.is_negative() {
                Side::Debit
            } else {
                Side::Credit
            };
            let dims = self.revenue_line.dims;
            lines.push(at(&self.revenue_line, side, delta.abs(), dims));
            Some(AccrualBefore::Loan(id, prev))
        };
        if !lines.is_empty() || changed {
            self.shares.push((
                id,
                MonthEndShare {
                    date: d,
                    lines,
                    changed,
                    accrual,
                    savings_member: None,
                },
            ));
        }
        Ok(())
    }
}

impl Koperasi {
    /// The control accounts kept with this module's registers: fixed assets and their
    /// accumulated depreciation against the asset register, prepaid expenses, accrued
    /// time-deposit interest, and the loan interest receivable (accruals and open penalties
    /// of active loans).
    pub(super) fn register_checks(&self) -> Result<Vec<super::ControlCheck>> {
        let (cost, dep) = self.register_totals()?;
        let mut gl = Rupiah::ZERO;
        for x in self.ledger.chart().accounts() {
            if self.is_fixed_asset_account(x.code.as_str()) {
                gl = add(
                    gl,
                    self.ledger
                        .balance(x.code.as_str(), self.last_date)
                        .map_err(crate::error::ledger("reconcile"))?,
                )?;
            }
        }
        let mut out = vec![super::ControlCheck {
            name: "aset tetap",
            account: "1-2".to_owned(),
            general_ledger: gl,
            subledger: cost,
        }];
        out.push(self.check("akumulasi penyusutan", R::AccumulatedDepreciation, dep)?);
        let mut prepaid = Rupiah::ZERO;
        for p in &self.registers.prepaid {
            prepaid = add(prepaid, sub(p.amount, p.amortised)?)?;
        }
        out.push(self.check("biaya dibayar dimuka", R::PrepaidExpense, prepaid)?);
        let accrued = Rupiah::try_sum(self.registers.deposit_accrual.values().copied())?;
        out.push(self.check(
            "utang jasa simpanan berjangka",
            R::AccruedSavingsInterest,
            accrued,
        )?);
        out.push(self.check(
            "bunga pinjaman Himbara yang masih harus dibayar",
            R::AccruedHimbaraInterest,
            self.registers.himbara_accrual,
        )?);
        let mut receivable = Rupiah::try_sum(self.registers.loan_accrual.values().copied())?;
        for l in self.loans.values() {
            if l.loan.status() == LoanStatus::Active {
                for i in l.loan.installments() {
                    receivable = add(
                        receivable,
                        i.outstanding().map_err(sl("reconcile"))?.penalty,
                    )?;
                }
            }
        }
        out.push(self.check("piutang jasa pinjaman", R::InterestReceivable, receivable)?);
        Ok(out)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use koperasi_core::{Decimal, Rupiah, SavingsAccountId};
    use koperasi_ledger::BusinessUnit;

    use super::super::fixture::*;
    use crate::event::{Operation, PurchasePayment, Via};
    use crate::posting::PostingRole as R;
    use crate::{Error, Koperasi};

    fn loan_revenue(b: &Koperasi) -> koperasi_core::Rupiah {
        bal(b, R::MemberRevenue(BusinessUnit::SimpanPinjam))
    }

    #[test]
    fn month_end_accrues_loan_interest_earned_to_date() {
        // Was missing: interest earned and not yet due was never accrued.
        let mut b = book(1, true);
        ok(&mut b, d(2026, 1, 31), BENDAHARA, Operation::MonthEnd);
        // Rp30.000 a month, 26 of the 31 days from 5 January to 5 February.
        let jan = rp(25_161);
        assert_eq!(b.loan_accruals().get(&LOAN), Some(&jan));
        assert_eq!(bal(&b, R::InterestReceivable), jan);
        assert_eq!(loan_revenue(&b), jan);
        // The first installment (Rp500.000 + Rp30.000) paid on its due date.
        ok(
            &mut b,
            d(2026, 2, 5),
            KASIR,
            Operation::RepayLoan {
                loan: LOAN,
                amount: rp(530_000),
                via: Via::Cash,
            },
        );
        ok(&mut b, d(2026, 2, 28), BENDAHARA, Operation::MonthEnd);
        // 23 of the 28 days to 5 March; the January accrual is settled by the payment.
        let feb = rp(24_643);
        assert_eq!(b.loan_accruals().get(&LOAN), Some(&feb));
        assert_eq!(bal(&b, R::InterestReceivable), feb);
        assert_eq!(loan_revenue(&b), rp(30_000).checked_add(feb).unwrap());
        reconciled(&b);
    }

    #[test]
    fn month_end_is_idempotent_per_month() {
        let mut b = book(2, true);
        ok(&mut b, d(2026, 1, 31), BENDAHARA, Operation::MonthEnd);
        let e = fails(&mut b, d(2026, 1, 31), BENDAHARA, Operation::MonthEnd);
        assert!(matches!(e, Error::MonthEnd { .. }), "{e}");
        let e = fails(&mut b, d(2026, 2, 27), BENDAHARA, Operation::MonthEnd);
        assert!(matches!(e, Error::MonthEnd { .. }), "{e}");
    }

    #[test]
    fn time_deposit_interest_is_accrued_monthly() {
        // Was missing: time-deposit interest was expensed only at payout.
        let mut b = book(1, false);
        let acct = SavingsAccountId::from_u128(77);
        ok(
            &mut b,
            d(2026, 1, 10),
            KASIR,
            Operation::OpenTimeDeposit {
                account: acct,
                member: member(0),
                amount: rp(12_000_000),
                term_months: 12,
                annual_percent: Decimal::from(6),
                via: Via::Cash,
            },
        );
        let expense_before = bal(&b, R::SavingsInterestExpense);
        ok(&mut b, d(2026, 1, 31), BENDAHARA, Operation::MonthEnd);
        // Rp720.000 for the year; 21 of the 365 days.
        let jan = rp(41_425);
        assert_eq!(b.deposit_accruals().get(&acct), Some(&jan));
        assert_eq!(bal(&b, R::AccruedSavingsInterest), jan);
        let expense = bal(&b, R::SavingsInterestExpense)
            .checked_sub(expense_before)
            .unwrap();
        assert!(expense >= jan, "sukarela interest comes on top");
        reconciled(&b);
        // Paid at maturity: the next month-end settles the accrual, the year's expense is
        // the deposit's interest exactly once.
        month_ends(&mut b, d(2026, 2, 28), d(2026, 12, 31));
        ok(
            &mut b,
            d(2027, 1, 10),
            KASIR,
            Operation::WithdrawTimeDeposit {
                account: acct,
                via: Via::Bank,
            },
        );
        ok(&mut b, d(2027, 1, 31), BENDAHARA, Operation::MonthEnd);
        assert!(b.deposit_accruals().is_empty());
        assert_eq!(bal(&b, R::AccruedSavingsInterest), rp(0));
        reconciled(&b);
    }

    #[test]
    fn fixed_assets_are_depreciated_straight_line() {
        // Was missing: fixed assets were never depreciated.
        let mut b = book(1, false);
        ok(
            &mut b,
            d(2026, 1, 15),
            BENDAHARA,
            Operation::AcquireFixedAsset {
                asset: "GDG-001".into(),
                account: "1-2-02".into(),
                cost: rp(120_000_000),
                useful_life_months: 240,
                residual: rp(0),
                payment: PurchasePayment::OnCredit,
                memo: "Gerai".into(),
            },
        );
        month_ends(&mut b, d(2026, 1, 31), d(2026, 2, 28));
        assert_eq!(bal(&b, R::AccumulatedDepreciation), rp(1_000_000));
        assert_eq!(bal(&b, R::DepreciationExpense), rp(1_000_000));
        let x = &b.fixed_assets()["GDG-001"];
        assert_eq!(x.book_value().unwrap(), rp(119_000_000));
        reconciled(&b);
    }

    #[test]
    fn depreciation_ends_at_the_residual_value() {
        let mut b = book(1, false);
        ok(
            &mut b,
            d(2026, 1, 15),
            BENDAHARA,
            Operation::AcquireFixedAsset {
                asset: "LAP-1".into(),
                account: "1-2-05".into(),
                cost: rp(1_000_000),
                useful_life_months: 3,
                residual: rp(100_001),
                payment: PurchasePayment::Paid(Via::Bank),
                memo: "Laptop".into(),
            },
        );
        month_ends(&mut b, d(2026, 1, 31), d(2026, 2, 28));
        // 899.999 × 2/3 = 599.999,33 → 599.999.
        assert_eq!(bal(&b, R::AccumulatedDepreciation), rp(599_999));
        month_ends(&mut b, d(2026, 3, 31), d(2026, 6, 30));
        assert_eq!(bal(&b, R::AccumulatedDepreciation), rp(899_999));
        assert_eq!(b.fixed_assets()["LAP-1"].book_value().unwrap(), rp(100_001));
        reconciled(&b);
    }

    #[test]
    fn ppap_follows_the_portfolio() {
        // Was missing in effect: without collateral every problem loan was Macet.
        let mut b = book(1, true);
        ok(&mut b, d(2026, 1, 31), BENDAHARA, Operation::MonthEnd);
        // Lancar: 0,5% of Rp3.000.000.
        assert_eq!(bal(&b, R::LoanLossReserve), rp(15_000));
        // Nothing paid: beyond Kurang Lancar after 6 months of principal arrears; without
        // collateral Macet (100%).
        ok(&mut b, d(2026, 8, 31), BENDAHARA, Operation::MonthEnd);
        assert_eq!(
            b.loans()[&LOAN].class,
            koperasi_savings_loans::Collectibility::Loss
        );
        assert_eq!(bal(&b, R::LoanLossReserve), rp(3_000_000));
        reconciled(&b);
    }

    #[test]
    fn year_end_refuses_before_the_last_month_end() {
        let mut b = book(1, true);
        ok(&mut b, d(2026, 11, 30), BENDAHARA, Operation::MonthEnd);
        let e = fails(
            &mut b,
            d(2026, 12, 31),
            KETUA,
            Operation::CloseYear { year: 2026 },
        );
        assert!(
            matches!(e, Error::MonthEndMissing { year: 2026, month_end, .. } if month_end == d(2026, 12, 31)),
            "{e}"
        );
        ok(&mut b, d(2026, 12, 31), BENDAHARA, Operation::MonthEnd);
        ok(
            &mut b,
            d(2026, 12, 31),
            KETUA,
            Operation::CloseYear { year: 2026 },
        );
    }

    #[test]
    fn stock_count_posts_the_difference_at_average_cost() {
        // Was missing: no stock-count (stock opname) adjustment.
        let mut b = book(1, false);
        let count = |counted| Operation::StockCount {
            unit: BusinessUnit::Sembako,
            sku: "beras-5kg".into(),
            counted,
        };
        ok(&mut b, d(2026, 1, 31), MANAJER, count(97));
        assert_eq!(bal(&b, R::Inventory), rp(6_305_000));
        assert_eq!(bal(&b, R::CostOfSales(BusinessUnit::Sembako)), rp(195_000));
        ok(&mut b, d(2026, 1, 31), MANAJER, count(98));
        assert_eq!(bal(&b, R::Inventory), rp(6_370_000));
        assert_eq!(bal(&b, R::CostOfSales(BusinessUnit::Sembako)), rp(130_000));
        reconciled(&b);
        let e = fails(
            &mut b,
            d(2026, 1, 31),
            MANAJER,
            Operation::StockCount {
                unit: BusinessUnit::Sembako,
                sku: "minyak-1l".into(),
                counted: 3,
            },
        );
        assert!(matches!(e, Error::NoCostBasis { .. }), "{e}");
    }

    /// A Himbara loan of Rp1 miliar drawn on 12 January 2026: 6% a year (0,5% a month),
    /// 36 months, 6 of them interest-only; installments due on the 12th.
    fn himbara_book() -> Koperasi {
        let mut b = book(1, false);
        ok(
            &mut b,
            d(2026, 1, 12),
            KETUA,
            Operation::HimbaraDrawdown {
                principal: rp(1_000_000_000),
                operational: rp(100_000_000),
                tenor_months: 36,
                grace_months: 6,
            },
        );
        b
    }

    fn himbara_pay(b: &mut Koperasi, on: koperasi_core::chrono::NaiveDate, amount: Rupiah) {
        ok(b, on, BENDAHARA, Operation::HimbaraInstallment { amount });
    }

    #[test]
    fn himbara_interest_incurred_is_accrued_at_month_end() {
        // Was missing: the Himbara interest was expensed only when an installment was paid.
        let mut b = himbara_book();
        let due = &b.himbara().unwrap().installments()[0];
        assert_eq!(
            (due.period_start, due.due_date, due.period_interest),
            (d(2026, 1, 12), d(2026, 2, 12), rp(5_000_000))
        );
        ok(&mut b, d(2026, 1, 31), BENDAHARA, Operation::MonthEnd);
        // By hand: 0,5% of Rp1.000.000.000 = Rp5.000.000 for the period 12 January – 12
        // February (31 days); 19 of them by 31 January: 5.000.000 × 19/31 = 3.064.516,13 →
        // Rp3.064.516 (half-up to the rupiah).
        let jan = rp(3_064_516);
        assert_eq!(b.himbara_accrual(), jan);
        assert_eq!(bal(&b, R::AccruedHimbaraInterest), jan);
        assert_eq!(bal(&b, R::BankInterestExpense), jan);
        reconciled(&b);
        // The first installment (interest only) paid when due: expensed in full, the
        // accrual stays until the next month-end.
        himbara_pay(&mut b, d(2026, 2, 12), rp(5_000_000));
        assert_eq!(bal(&b, R::AccruedHimbaraInterest), jan);
        assert_eq!(bal(&b, R::BankInterestExpense), rp(8_064_516));
        ok(&mut b, d(2026, 2, 28), BENDAHARA, Operation::MonthEnd);
        // 16 of the 28 days from 12 February to 12 March: 5.000.000 × 16/28 = 2.857.142,86
        // → Rp2.857.143. January's accrual is taken back (5.000.000 paid covers it).
        let feb = rp(2_857_143);
        assert_eq!(b.himbara_accrual(), feb);
        assert_eq!(bal(&b, R::AccruedHimbaraInterest), feb);
        // The expense to date is the interest incurred 12 January – 28 February, once.
        assert_eq!(bal(&b, R::BankInterestExpense), rp(7_857_143));
        reconciled(&b);
    }

    #[test]
    fn a_skipped_installment_stays_payable_and_a_repeated_month_end_changes_nothing() {
        let mut b = himbara_book();
        month_ends(&mut b, d(2026, 1, 31), d(2026, 3, 31));
        // Nothing paid: installments 1 and 2 (Rp5.000.000 each) are due and unpaid, and 19 of
        // the 31 days from 12 March to 12 April have run: 5.000.000 × 19/31 → Rp3.064.516.
        let incurred = rp(13_064_516);
        assert_eq!(b.himbara_accrual(), incurred);
        assert_eq!(bal(&b, R::BankInterestExpense), incurred);
        let entries = b.ledger().len();
        let e = fails(&mut b, d(2026, 3, 31), BENDAHARA, Operation::MonthEnd);
        assert!(matches!(e, Error::MonthEnd { .. }), "{e}");
        assert_eq!(b.ledger().len(), entries);
        // Both arrears paid (with the bank's penalty, expensed at payment): the next
        // month-end takes their accrual back.
        let arrears = b.himbara().unwrap().arrears(d(2026, 4, 1)).unwrap();
        assert_eq!(arrears.interest, rp(10_000_000));
        himbara_pay(&mut b, d(2026, 4, 1), arrears.total().unwrap());
        ok(&mut b, d(2026, 4, 30), BENDAHARA, Operation::MonthEnd);
        // Installment 3 (due 12 April) is unpaid, and 18 of the 30 days from 12 April to 12
        // May have run: 5.000.000 + 5.000.000 × 18/30 = Rp8.000.000.
        assert_eq!(b.himbara_accrual(), rp(8_000_000));
        reconciled(&b);
    }

    #[test]
    fn a_paid_off_himbara_loan_leaves_no_accrual_and_its_interest_is_expensed_once() {
        let mut b = himbara_book();
        ok(&mut b, d(2026, 1, 31), BENDAHARA, Operation::MonthEnd);
        himbara_pay(&mut b, d(2026, 2, 12), rp(5_000_000));
        ok(&mut b, d(2026, 2, 28), BENDAHARA, Operation::MonthEnd);
        // Paid off on 10 March. (The payoff amount pays ahead under the loan's default
        // overpayment rule, future installments' interest first, so it takes more than one
        // payment to close the loan: what is paid ahead is expensed when paid.)
        ok(
            &mut b,
            d(2026, 3, 10),
            BENDAHARA,
            Operation::Capital {
                kind: crate::event::CapitalKind::Grant,
                amount: rp(500_000_000),
                via: Via::Bank,
            },
        );
        for _ in 0..40 {
            if b.himbara().unwrap().status() != koperasi_savings_loans::LoanStatus::Active {
                break;
            }
            let owed = b.himbara().unwrap().payoff_amount(d(2026, 3, 10)).unwrap();
            himbara_pay(&mut b, d(2026, 3, 10), owed);
            assert_eq!(b.himbara_accrual(), bal(&b, R::AccruedHimbaraInterest));
        }
        assert_eq!(
            b.himbara().unwrap().status(),
            koperasi_savings_loans::LoanStatus::Closed
        );
        ok(&mut b, d(2026, 3, 31), BENDAHARA, Operation::MonthEnd);
        assert_eq!(b.himbara_accrual(), rp(0));
        assert_eq!(bal(&b, R::AccruedHimbaraInterest), rp(0));
        // Σ expense = Σ interest, penalties and fees paid to the bank.
        let paid = b
            .himbara()
            .unwrap()
            .installments()
            .iter()
            .map(|i| {
                i.paid
                    .interest
                    .checked_add(i.paid.penalty)
                    .and_then(|x| x.checked_add(i.paid.fee))
                    .unwrap()
            })
            .fold(rp(0), |a, x| a.checked_add(x).unwrap());
        assert_eq!(bal(&b, R::BankInterestExpense), paid);
        reconciled(&b);
    }

    #[test]
    fn a_format_4_month_end_does_not_accrue_himbara_interest() {
        // A log written before the accrual replays as written; the first month-end of
        // format 5 catches the accrual up.
        let mut b = himbara_book();
        let mut old = crate::event::Event::new(d(2026, 1, 31), BENDAHARA, Operation::MonthEnd);
        old.format = 4;
        b.apply(old).unwrap();
        assert_eq!(b.himbara_accrual(), rp(0));
        assert_eq!(bal(&b, R::BankInterestExpense), rp(0));
        ok(&mut b, d(2026, 2, 28), BENDAHARA, Operation::MonthEnd);
        // Nothing paid: installment 1 (Rp5.000.000) due and unpaid, and 16/28 of the next.
        assert_eq!(b.himbara_accrual(), rp(7_857_143));
        assert_eq!(bal(&b, R::BankInterestExpense), rp(7_857_143));
        reconciled(&b);
    }

    #[test]
    fn the_himbara_accrual_is_kept_from_adjustments_and_single_entry_reversals() {
        use crate::event::{AdjustLine, ReversalTarget};
        use koperasi_ledger::Side;
        let mut b = himbara_book();
        ok(&mut b, d(2026, 1, 31), BENDAHARA, Operation::MonthEnd);
        let code = b.code(R::AccruedHimbaraInterest);
        assert_eq!(code, koperasi_ledger::kkmp::UTANG_BUNGA_HIMBARA);
        let made = b
            .run(
                d(2026, 2, 1),
                BENDAHARA,
                Operation::Adjust {
                    entry_date: d(2026, 1, 31),
                    memo: "koreksi bunga".into(),
                    lines: vec![
                        AdjustLine::new(code.clone(), Side::Debit, rp(1_000)),
                        AdjustLine::new("6-1-05", Side::Credit, rp(1_000)),
                    ],
                },
            )
            .unwrap();
        let e = fails(
            &mut b,
            d(2026, 2, 1),
            KETUA,
            Operation::Approve {
                request: made.request.unwrap(),
            },
        );
        assert!(
            matches!(&e, Error::ControlAccount { code: c, .. } if *c == code),
            "{e}"
        );
        let accrual = b
            .ledger()
            .entries()
            .find(|x| x.source().ends_with("/himbara-accrual"))
            .map(|x| x.id())
            .unwrap();
        let made = b.run(
            d(2026, 2, 1),
            BENDAHARA,
            Operation::Reverse {
                target: ReversalTarget::Entry(accrual),
                reason: "salah".into(),
            },
        );
        let e = match made {
            Err(e) => e,
            Ok(m) => fails(
                &mut b,
                d(2026, 2, 1),
                KETUA,
                Operation::Approve {
                    request: m.request.unwrap(),
                },
            ),
        };
        assert!(matches!(e, Error::NotReversible { .. }), "{e}");
        reconciled(&b);
    }

    #[test]
    fn straight_line_examples() {
        use super::{months_including, straight_line};
        assert_eq!(straight_line(rp(1_200), 1, 12).unwrap(), rp(100));
        assert_eq!(straight_line(rp(1_200), 13, 12).unwrap(), rp(1_200));
        assert_eq!(straight_line(rp(1_200), 5, 0).unwrap(), rp(0));
        assert_eq!(straight_line(rp(1), 1, 3).unwrap(), rp(0));
        assert_eq!(straight_line(rp(1), 2, 3).unwrap(), rp(1));
        assert_eq!(months_including(d(2026, 1, 31), d(2026, 1, 1)), 1);
        assert_eq!(months_including(d(2025, 12, 1), d(2026, 1, 31)), 2);
        assert_eq!(months_including(d(2026, 2, 1), d(2026, 1, 31)), 0);
    }
}
