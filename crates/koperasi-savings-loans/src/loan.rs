//! A disbursed loan: installments with what was paid, repayments, penalties, prepayment,
//! days past due, interest accrual, write-off and recovery.

use chrono::NaiveDate;
use koperasi_core::{Decimal, HolidayCalendar, RoundingMode, Rupiah};

use crate::allocation::{AllocationOrder, Dues, allocate_sen};
use crate::money::{Ratio, add, check_percent, days_between, mul_div_round, rp, sub};
use crate::schedule::{NoHolidays, RawRow, Schedule, Target, amortize, periods, to_rows};
use crate::terms::{Grace, LoanTerms, Method, Params};
use crate::{Error, Result};

/// The kind of a loan fee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
#[non_exhaustive]
pub enum FeeKind {
    /// Provisi (commitment / origination fee).
    #[doc(alias = "provisi")]
    Provision,
    /// Biaya administrasi.
    #[doc(alias = "biaya administrasi")]
    Administration,
    /// Any other fee set by the cooperative's policy.
    Other,
}

/// An amount: fixed, or a percentage of a base.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum Charge {
    /// A fixed amount.
    Fixed(Rupiah),
    /// A percentage of the base (loan amount for fees, overdue amount or installment for
    /// penalties).
    Percent(Decimal),
}

/// When a fee is collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum FeeCollection {
    /// Deducted from the disbursement (the member receives the net amount).
    #[default]
    Deducted,
    /// Added to the first installment.
    WithFirstInstallment,
}

/// A loan fee (provisi, administrasi …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Fee {
    /// The kind.
    pub kind: FeeKind,
    /// The amount (a percentage is of the loan amount, rounded half-up at the loan's precision).
    pub charge: Charge,
    /// When it is collected.
    pub collection: FeeCollection,
}

/// Late penalty (denda keterlambatan) policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
#[non_exhaustive]
pub enum PenaltyRule {
    /// No penalty.
    #[default]
    None,
    /// Per day late: a fixed amount, or a percentage of the overdue principal and interest of
    /// the installment. An installment paid within `grace_days` after its due date pays no
    /// penalty; beyond that, every day since the due date counts.
    PerDay {
        /// Per-day amount.
        charge: Charge,
        /// Days after the due date without penalty.
        grace_days: u32,
    },
    /// Once per late installment, when still unpaid `grace_days` after its due date: a fixed
    /// amount or a percentage of the installment (principal + interest).
    PerLateInstallment {
        /// The amount.
        charge: Charge,
        /// Days after the due date without penalty.
        grace_days: u32,
    },
}

/// What to do with money paid beyond what is due, short of the payoff amount. A payment that
/// reaches [`Loan::payoff_amount`] always settles the loan and returns the rest as excess,
/// whatever the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
#[non_exhaustive]
pub enum Overpayment {
    /// Pay the next installments in advance, in the allocation order (the default); what is
    /// paid ahead stays paid if the loan is later paid off.
    #[default]
    PayAhead,
    /// Prepay principal and keep the installment: the last installments disappear.
    ReduceTenor,
    /// Prepay principal and keep the number of installments: later installments shrink.
    ReduceInstallment,
    /// Do not apply it: return it as `excess` (to refund or hold as titipan).
    Refund,
}

/// Options of a loan product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct LoanOptions {
    /// Allocation order of repayments.
    pub allocation: AllocationOrder,
    /// Handling of overpayments.
    pub overpayment: Overpayment,
    /// Late penalty.
    pub penalty: PenaltyRule,
}

impl LoanOptions {
    /// With an allocation order.
    #[must_use]
    pub fn with_allocation(mut self, order: AllocationOrder) -> Self {
        self.allocation = order;
        self
    }

    /// With an overpayment rule.
    #[must_use]
    pub fn with_overpayment(mut self, o: Overpayment) -> Self {
        self.overpayment = o;
        self
    }

    /// With a penalty rule.
    #[must_use]
    pub fn with_penalty(mut self, p: PenaltyRule) -> Self {
        self.penalty = p;
        self
    }
}

/// The state of one installment of a loan.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "angsuran")]
pub struct InstallmentState {
    /// 1-based number.
    pub number: u32,
    /// Start of its interest period.
    pub period_start: NaiveDate,
    /// Due date.
    pub due_date: NaiveDate,
    /// What is charged (due) on it.
    pub due: Dues,
    /// What has been paid on it.
    pub paid: Dues,
    /// The interest earned over its own period (before any deferral), for accrual.
    pub period_interest: Rupiah,
    /// Date it was fully paid.
    pub completed_on: Option<NaiveDate>,
    /// Per-day penalty charged through this date.
    pub penalized_until: Option<NaiveDate>,
    /// A per-installment penalty has been charged.
    pub late_charged: bool,
}

impl InstallmentState {
    /// What is still owed, by component.
    ///
    /// # Errors
    /// [`Error::Core`] on overflow.
    pub fn outstanding(&self) -> Result<Dues> {
        let d = self.due.to_sen();
        let p = self.paid.to_sen();
        let mut o = [0_i128; 4];
        for ((o, d), p) in o.iter_mut().zip(d).zip(p) {
            *o = sub(d, p)?;
        }
        Dues::from_sen(o)
    }

    fn open_sen(&self) -> [i128; 4] {
        let d = self.due.to_sen();
        let p = self.paid.to_sen();
        [
            d[0].saturating_sub(p[0]),
            d[1].saturating_sub(p[1]),
            d[2].saturating_sub(p[2]),
            d[3].saturating_sub(p[3]),
        ]
    }

    fn is_settled(&self) -> bool {
        self.open_sen().iter().all(|x| *x <= 0)
    }

    /// Days past due at `as_of`: days since the due date while principal or interest is
    /// unpaid, else 0.
    pub fn days_past_due(&self, as_of: NaiveDate) -> u32 {
        let o = self.open_sen();
        if (o[2] > 0 || o[3] > 0) && as_of > self.due_date {
            u32::try_from(days_between(self.due_date, as_of)).unwrap_or(u32::MAX)
        } else {
            0
        }
    }

    /// Days the installment was paid late (0 if on time or not yet paid).
    pub fn days_paid_late(&self) -> u32 {
        match self.completed_on {
            Some(d) if d > self.due_date => {
                u32::try_from(days_between(self.due_date, d)).unwrap_or(u32::MAX)
            }
            _ => 0,
        }
    }
}

/// Status of a loan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
#[non_exhaustive]
pub enum LoanStatus {
    /// Disbursed and not yet repaid.
    Active,
    /// Fully repaid (lunas).
    #[doc(alias = "lunas")]
    Closed,
    /// Written off (hapus buku); kept in an off-balance register for collection.
    #[doc(alias = "hapus buku")]
    WrittenOff,
}

impl LoanStatus {
    fn name(self) -> &'static str {
        match self {
            LoanStatus::Active => "active",
            LoanStatus::Closed => "closed",
            LoanStatus::WrittenOff => "written off",
        }
    }
}

/// The cash side of a disbursement, for posting.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "pencairan")]
pub struct Disbursement {
    /// Date.
    pub date: NaiveDate,
    /// Loan amount (the receivable).
    pub principal: Rupiah,
    /// Fees deducted from the disbursement (fee income at disbursement).
    pub fees_deducted: Vec<(FeeKind, Rupiah)>,
    /// Fees added to the first installment.
    pub fees_with_first_installment: Vec<(FeeKind, Rupiah)>,
    /// Cash paid to the borrower: principal − deducted fees.
    pub net_cash: Rupiah,
}

/// One installment's (or a prepayment's) share of a repayment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Allocation {
    /// The installment number, or `None` for a principal prepayment.
    pub installment: Option<u32>,
    /// Parts paid.
    pub parts: Dues,
}

/// A penalty charged on an installment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "denda")]
pub struct PenaltyCharge {
    /// Installment number.
    pub installment: u32,
    /// Amount charged (penalty income receivable).
    pub amount: Rupiah,
    /// Days charged (per-day rule), or 0 for a per-installment penalty.
    pub days: u32,
}

/// The result of a repayment, ready to post.
///
/// # Invariants
/// Σ allocations + `excess` = `amount` (`prop_allocation_sums_to_payment`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "pembayaran angsuran")]
pub struct Repayment {
    /// Date.
    pub date: NaiveDate,
    /// Amount received.
    pub amount: Rupiah,
    /// Penalties charged up to the payment date before allocating.
    pub penalties_charged: Vec<PenaltyCharge>,
    /// Per-installment allocation (oldest first), then the prepayment if any.
    pub allocations: Vec<Allocation>,
    /// Totals by component.
    pub totals: Dues,
    /// Money not applied (to refund or hold).
    pub excess: Rupiah,
    /// The loan is fully repaid after this payment.
    pub closes_loan: bool,
}

/// Amounts taken off the books by a write-off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "hapus buku")]
pub struct WriteOff {
    /// Date.
    pub date: NaiveDate,
    /// Outstanding amounts written off, by component (principal against the reserve).
    pub amounts: Dues,
}

/// A recovery on a written-off loan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Recovery {
    /// Date.
    pub date: NaiveDate,
    /// Amount received.
    pub amount: Rupiah,
    /// Part recognised as recovery (up to what was written off).
    pub recovered: Rupiah,
    /// Part beyond what was written off, to refund.
    pub excess: Rupiah,
    /// What remains written off and uncollected.
    pub remaining: Rupiah,
}

/// A disbursed loan and its repayment state.
///
/// ```
/// use koperasi_core::{chrono::NaiveDate, Rate, Rupiah, Decimal};
/// use koperasi_savings_loans::{Loan, LoanOptions, LoanTerms, Method};
///
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let terms = LoanTerms::new(Rupiah::from_rupiah(1_200_000), Rate::per_month(Decimal::ONE)?,
///     12, Method::Flat, d(2025, 1, 10));
/// let (mut loan, disb) = Loan::disburse(terms, LoanOptions::default(), &[])?;
/// assert_eq!(disb.net_cash, Rupiah::from_rupiah(1_200_000));
/// // Angsuran: Rp100.000 pokok + Rp12.000 bunga.
/// let r = loan.repay(d(2025, 2, 10), Rupiah::from_rupiah(112_000))?;
/// assert_eq!(r.totals.interest, Rupiah::from_rupiah(12_000));
/// assert_eq!(r.totals.principal, Rupiah::from_rupiah(100_000));
/// assert_eq!(loan.outstanding_principal()?, Rupiah::from_rupiah(1_100_000));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[doc(alias = "pinjaman")]
pub struct Loan {
    terms: LoanTerms,
    options: LoanOptions,
    installments: Vec<InstallmentState>,
    status: LoanStatus,
    level: Option<Rupiah>,
    prepaid_principal: Rupiah,
    last_date: NaiveDate,
    last_repayment: Option<NaiveDate>,
    first_open: usize,
    pub(crate) doubtful_since: Option<NaiveDate>,
    written_off: Option<WriteOff>,
    recovered: Rupiah,
}

fn fee_amount(fee: &Fee, principal: Rupiah, step: i128) -> Result<i128> {
    match fee.charge {
        Charge::Fixed(a) => {
            if a.is_negative() {
                return Err(Error::NonPositiveAmount {
                    what: "fee",
                    amount: a,
                });
            }
            Ok(a.to_sen())
        }
        Charge::Percent(p) => {
            let r = check_percent("fee", p)?;
            r.apply(principal.to_sen(), step, RoundingMode::HalfUp)
        }
    }
}

fn check_charge(what: &'static str, c: Charge) -> Result<()> {
    match c {
        Charge::Fixed(a) if a.is_negative() => Err(Error::NonPositiveAmount { what, amount: a }),
        Charge::Percent(p) => check_percent(what, p).map(|_| ()),
        Charge::Fixed(_) => Ok(()),
    }
}

impl Loan {
    /// Disburses a loan: builds its schedule (every day a working day) and charges `fees`.
    ///
    /// # Errors
    /// As [`LoanTerms::schedule`]; [`Error::InvalidPercent`] or [`Error::NonPositiveAmount`]
    /// for a bad fee or penalty; [`Error::NonPositiveAmount`] if deducted fees exceed the loan.
    pub fn disburse(
        terms: LoanTerms,
        options: LoanOptions,
        fees: &[Fee],
    ) -> Result<(Loan, Disbursement)> {
        Loan::disburse_with(terms, options, fees, &NoHolidays)
    }

    /// As [`disburse`](Loan::disburse), due dates moved past the holidays of `calendar`.
    ///
    /// # Errors
    /// As [`disburse`](Loan::disburse).
    pub fn disburse_with(
        terms: LoanTerms,
        options: LoanOptions,
        fees: &[Fee],
        calendar: &dyn HolidayCalendar,
    ) -> Result<(Loan, Disbursement)> {
        let params = terms.params()?;
        match options.penalty {
            PenaltyRule::PerDay { charge, .. } | PenaltyRule::PerLateInstallment { charge, .. } => {
                check_charge("penalty", charge)?;
            }
            PenaltyRule::None => {}
        }
        let per = periods(&terms, calendar)?;
        let p = terms.principal.to_sen();
        let mut raw = Vec::with_capacity(per.len());
        let level = amortize(
            &params,
            p,
            p,
            &per,
            terms.grace,
            Target::Compute,
            0,
            &mut raw,
        )?;
        crate::schedule::check_multiple_fits(
            &terms,
            raw.iter().map(|r| (r.principal, r.balance)),
            || {
                let plain = Params {
                    multiple: None,
                    ..params
                };
                let mut rows = Vec::with_capacity(per.len());
                amortize(
                    &plain,
                    p,
                    p,
                    &per,
                    terms.grace,
                    Target::Compute,
                    0,
                    &mut rows,
                )?;
                Ok(rows.iter().map(|r| (r.principal, r.balance)).collect())
            },
        )?;
        let step = params.step;
        let mut deducted = Vec::new();
        let mut later = Vec::new();
        let mut deducted_total = 0_i128;
        let mut later_total = 0_i128;
        for f in fees {
            let a = fee_amount(f, terms.principal, step)?;
            match f.collection {
                FeeCollection::Deducted => {
                    deducted_total = add(deducted_total, a)?;
                    deducted.push((f.kind, rp(a)?));
                }
                FeeCollection::WithFirstInstallment => {
                    later_total = add(later_total, a)?;
                    later.push((f.kind, rp(a)?));
                }
            }
        }
        let net = sub(p, deducted_total)?;
        if net <= 0 {
            return Err(Error::NonPositiveAmount {
                what: "net disbursement",
                amount: rp(net)?,
            });
        }
        let mut installments = Vec::with_capacity(raw.len());
        for (k, r) in raw.iter().enumerate() {
            let fee = if k == 0 { later_total } else { 0 };
            installments.push(state_from_raw(
                u32::try_from(k).unwrap_or(u32::MAX).saturating_add(1),
                r,
                fee,
            )?);
        }
        let loan = Loan {
            level: level.map(rp).transpose()?,
            options,
            installments,
            status: LoanStatus::Active,
            prepaid_principal: Rupiah::ZERO,
            last_date: terms.disbursement,
            last_repayment: None,
            first_open: 0,
            doubtful_since: None,
            written_off: None,
            recovered: Rupiah::ZERO,
            terms,
        };
        let disb = Disbursement {
            date: loan.terms.disbursement,
            principal: loan.terms.principal,
            fees_deducted: deducted,
            fees_with_first_installment: later,
            net_cash: rp(net)?,
        };
        Ok((loan, disb))
    }

    /// The terms.
    pub fn terms(&self) -> &LoanTerms {
        &self.terms
    }

    /// The options.
    pub fn options(&self) -> &LoanOptions {
        &self.options
    }

    /// The installments.
    pub fn installments(&self) -> &[InstallmentState] {
        &self.installments
    }

    /// The status.
    pub fn status(&self) -> LoanStatus {
        self.status
    }

    /// Date of the last repayment, if any.
    pub fn last_repayment(&self) -> Option<NaiveDate> {
        self.last_repayment
    }

    /// Since when the loan has been classified Diragukan, if it is.
    pub fn doubtful_since(&self) -> Option<NaiveDate> {
        self.doubtful_since
    }

    /// The write-off, if the loan was written off.
    pub fn write_off_record(&self) -> Option<&WriteOff> {
        self.written_off.as_ref()
    }

    /// The current schedule (after prepayments): each row's due principal and interest.
    ///
    /// # Errors
    /// [`Error::Core`] on overflow.
    pub fn current_schedule(&self) -> Result<Schedule> {
        let mut bal = sub(
            self.terms.principal.to_sen(),
            self.prepaid_principal.to_sen(),
        )?;
        let mut raw = Vec::with_capacity(self.installments.len());
        for s in &self.installments {
            let p = s.due.principal.to_sen();
            bal = sub(bal, p)?;
            raw.push(RawRow {
                start: s.period_start,
                due: s.due_date,
                principal: p,
                interest: s.due.interest.to_sen(),
                regular: s.period_interest.to_sen(),
                balance: bal,
            });
        }
        Ok(Schedule::from_rows(
            self.terms.principal,
            self.terms.every_months,
            to_rows(&raw, 1)?,
        ))
    }

    /// Principal still owed (the receivable).
    ///
    /// # Errors
    /// [`Error::Core`] on overflow.
    pub fn outstanding_principal(&self) -> Result<Rupiah> {
        let mut t = 0_i128;
        for s in &self.installments {
            t = add(t, s.open_sen()[3])?;
        }
        rp(t)
    }

    /// Everything owed on installments due on or before `as_of` (arrears + today's).
    ///
    /// # Errors
    /// [`Error::Core`] on overflow.
    pub fn due_as_of(&self, as_of: NaiveDate) -> Result<Dues> {
        let mut t = [0_i128; 4];
        for s in self.installments.iter().filter(|s| s.due_date <= as_of) {
            for (t, o) in t.iter_mut().zip(s.open_sen()) {
                *t = add(*t, o)?;
            }
        }
        Dues::from_sen(t)
    }

    /// Arrears (tunggakan): what is owed on installments due strictly before `as_of`.
    ///
    /// # Errors
    /// [`Error::Core`] on overflow.
    pub fn arrears(&self, as_of: NaiveDate) -> Result<Dues> {
        match as_of.pred_opt() {
            Some(d) => self.due_as_of(d),
            None => Ok(Dues::default()),
        }
    }

    /// Days past due of the loan: those of its oldest unpaid installment.
    pub fn days_past_due(&self, as_of: NaiveDate) -> u32 {
        self.installments
            .iter()
            .map(|s| s.days_past_due(as_of))
            .max()
            .unwrap_or(0)
    }

    /// Due date of the oldest installment with unpaid principal (or interest, if `interest`).
    pub(crate) fn oldest_unpaid(&self, interest: bool) -> Option<NaiveDate> {
        let c = if interest { 2 } else { 3 };
        self.installments
            .iter()
            .find(|s| s.open_sen().get(c).copied().unwrap_or(0) > 0)
            .map(|s| s.due_date)
    }

    /// Interest earned from disbursement to `as_of` (accrual basis): the full period interest
    /// of every installment due by then plus the running period's interest pro rata by days
    /// (rounded half-up at the loan's precision). Post the difference between two dates as
    /// the accrual of that span ([`interest_accrued_between`](Loan::interest_accrued_between)).
    ///
    /// # Errors
    /// [`Error::Core`] on overflow.
    pub fn accrued_interest(&self, as_of: NaiveDate) -> Result<Rupiah> {
        let step = self.terms.rounding.precision.step_sen();
        let mut t = 0_i128;
        for s in &self.installments {
            let pi = s.period_interest.to_sen();
            if s.due_date <= as_of {
                t = add(t, pi)?;
            } else if s.period_start < as_of {
                let days = i128::from(days_between(s.period_start, as_of));
                let total = i128::from(days_between(s.period_start, s.due_date)).max(1);
                t = add(
                    t,
                    mul_div_round(pi, days, total, step, RoundingMode::HalfUp)?,
                )?;
            }
        }
        rp(t)
    }

    /// Interest earned between two dates (`accrued(to) − accrued(from)`).
    ///
    /// # Errors
    /// [`Error::DateOutOfOrder`] if `to < from`; [`Error::Core`] on overflow.
    pub fn interest_accrued_between(&self, from: NaiveDate, to: NaiveDate) -> Result<Rupiah> {
        if to < from {
            return Err(Error::DateOutOfOrder {
                what: "accrual end",
                date: to,
                earliest: from,
            });
        }
        Ok(self
            .accrued_interest(to)?
            .checked_sub(self.accrued_interest(from)?)?)
    }

    fn check_active(&self) -> Result<()> {
        if self.status == LoanStatus::Active {
            Ok(())
        } else {
            Err(Error::LoanNotActive {
                status: self.status.name(),
            })
        }
    }

    fn check_date(&self, what: &'static str, date: NaiveDate) -> Result<()> {
        if date < self.last_date {
            Err(Error::DateOutOfOrder {
                what,
                date,
                earliest: self.last_date,
            })
        } else {
            Ok(())
        }
    }

    /// Penalties that would be charged from the last charge up to `as_of` (no change).
    fn penalties_until(&self, as_of: NaiveDate) -> Result<Vec<PenaltyCharge>> {
        let step = self.terms.rounding.precision.step_sen();
        let mut out = Vec::new();
        let (charge, grace, per_day) = match self.options.penalty {
            PenaltyRule::None => return Ok(out),
            PenaltyRule::PerDay { charge, grace_days } => (charge, grace_days, true),
            PenaltyRule::PerLateInstallment { charge, grace_days } => (charge, grace_days, false),
        };
        for s in self.installments.iter().skip(self.first_open) {
            if s.due_date >= as_of {
                break;
            }
            let o = s.open_sen();
            let overdue = add(o[2], o[3])?;
            if overdue <= 0 {
                continue;
            }
            let late = days_between(s.due_date, as_of);
            if late <= i64::from(grace) {
                continue;
            }
            if per_day {
                let from = s.penalized_until.unwrap_or(s.due_date).max(s.due_date);
                let days = days_between(from, as_of).max(0);
                if days == 0 {
                    continue;
                }
                let d = i128::from(days);
                let amount = match charge {
                    Charge::Fixed(a) => a
                        .to_sen()
                        .checked_mul(d)
                        .ok_or_else(|| crate::money::overflow("penalty"))?,
                    Charge::Percent(p) => check_percent("penalty", p)?
                        .mul(Ratio { num: d, den: 1 })?
                        .apply(overdue, step, RoundingMode::HalfUp)?,
                };
                if amount > 0 {
                    out.push(PenaltyCharge {
                        installment: s.number,
                        amount: rp(amount)?,
                        days: u32::try_from(days).unwrap_or(u32::MAX),
                    });
                }
            } else if !s.late_charged {
                let base = add(s.due.interest.to_sen(), s.due.principal.to_sen())?;
                let amount = match charge {
                    Charge::Fixed(a) => a.to_sen(),
                    Charge::Percent(p) => {
                        check_percent("penalty", p)?.apply(base, step, RoundingMode::HalfUp)?
                    }
                };
                out.push(PenaltyCharge {
                    installment: s.number,
                    amount: rp(amount)?,
                    days: 0,
                });
            }
        }
        Ok(out)
    }

    /// Charges late penalties up to `as_of` (idempotent for a date) and returns them, for
    /// posting as penalty income receivable.
    ///
    /// # Errors
    /// [`Error::LoanNotActive`], [`Error::DateOutOfOrder`], [`Error::Core`] on overflow.
    pub fn charge_penalties(&mut self, as_of: NaiveDate) -> Result<Vec<PenaltyCharge>> {
        self.check_active()?;
        self.check_date("penalty assessment", as_of)?;
        let charges = self.penalties_until(as_of)?;
        self.commit_penalties(&charges, as_of)?;
        self.last_date = as_of;
        Ok(charges)
    }

    fn commit_penalties(&mut self, charges: &[PenaltyCharge], as_of: NaiveDate) -> Result<()> {
        let per_day = matches!(self.options.penalty, PenaltyRule::PerDay { .. });
        for c in charges {
            if let Some(s) = self
                .installments
                .iter_mut()
                .find(|s| s.number == c.installment)
            {
                s.due.penalty = s.due.penalty.checked_add(c.amount)?;
                if per_day {
                    s.penalized_until = Some(as_of);
                } else {
                    s.late_charged = true;
                }
            }
        }
        Ok(())
    }

    /// The amount that repays the loan in full on `date` (pelunasan): the penalties up to
    /// then, everything owed on the installments due by then, the whole interest of the
    /// running period (the one that started before `date` and ends after it), the principal and
    /// fees of the later installments, and any interest deferred by a grace from periods that
    /// have started. The interest of periods that have not started is not owed: it is not
    /// earned yet. [`repay`](Loan::repay) of this amount on `date` closes the loan
    /// (`prop_payoff_closes_the_loan`).
    ///
    /// ```
    /// use koperasi_core::{chrono::NaiveDate, Rate, Rupiah, Decimal};
    /// use koperasi_savings_loans::{Loan, LoanOptions, LoanStatus, LoanTerms, Method};
    ///
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// let terms = LoanTerms::new(Rupiah::from_rupiah(1_200_000), Rate::per_month(Decimal::ONE)?,
    ///     12, Method::Flat, d(2025, 1, 10));
    /// let (mut loan, _) = Loan::disburse(terms, LoanOptions::default(), &[])?;
    /// // Pokok Rp1.200.000 + bunga of the running period (10 Jan – 10 Feb) Rp12.000.
    /// let pelunasan = loan.payoff_amount(d(2025, 1, 20))?;
    /// assert_eq!(pelunasan, Rupiah::from_rupiah(1_212_000));
    /// let r = loan.repay(d(2025, 1, 20), pelunasan)?;
    /// assert!(r.closes_loan && r.excess == Rupiah::ZERO);
    /// assert_eq!(loan.status(), LoanStatus::Closed);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::LoanNotActive`], [`Error::DateOutOfOrder`], [`Error::Core`] on overflow.
    #[doc(alias = "pelunasan")]
    pub fn payoff_amount(&self, date: NaiveDate) -> Result<Rupiah> {
        self.check_active()?;
        self.check_date("payoff", date)?;
        let charges = self.penalties_until(date)?;
        let total = self
            .payoff_lines(date, &charges)?
            .map_or(0, |(_, total)| total);
        rp(total)
    }

    /// The payoff amount as quoted before a payoff settled the loan: like
    /// [`payoff_amount`](Loan::payoff_amount), but a period starting on `date` counts as
    /// running and interest deferred by a grace to a later installment is left out. Kept only
    /// to replay records made under that rule (with [`repay_legacy`](Loan::repay_legacy)); do
    /// not quote it.
    ///
    /// # Errors
    /// As [`payoff_amount`](Loan::payoff_amount).
    #[doc(hidden)]
    pub fn payoff_amount_legacy(&self, date: NaiveDate) -> Result<Rupiah> {
        self.check_active()?;
        self.check_date("payoff", date)?;
        let mut t = 0_i128;
        for c in self.penalties_until(date)? {
            t = add(t, c.amount.to_sen())?;
        }
        for s in &self.installments {
            let o = s.open_sen();
            if s.due_date <= date || s.period_start <= date {
                // due, or the running period: everything
                t = add(t, add(add(o[0], o[1])?, add(o[2], o[3])?)?)?;
            } else {
                t = add(t, add(o[0], add(o[1], o[3])?)?)?;
            }
        }
        rp(t)
    }

    /// Whether the interest period of `s` has started by `date` (due, or running): a period
    /// that starts on `date` has earned nothing yet.
    fn started(s: &InstallmentState, date: NaiveDate) -> bool {
        s.due_date <= date || s.period_start < date
    }

    /// What settles each installment from the first open one on, on `date`, with `charges`
    /// (the penalties charged up to `date`), and their total (see
    /// [`settle_lines`](Loan::settle_lines)).
    fn payoff_lines(
        &self,
        date: NaiveDate,
        charges: &[PenaltyCharge],
    ) -> Result<Option<(Vec<[i128; 4]>, i128)>> {
        let tail = self.installments.get(self.first_open..).unwrap_or(&[]);
        let mut rows = Vec::with_capacity(tail.len());
        for s in tail {
            let mut o = s.open_sen();
            for c in charges.iter().filter(|c| c.installment == s.number) {
                o[0] = add(o[0], c.amount.to_sen())?;
            }
            rows.push((s, o));
        }
        self.settle_lines(rows.into_iter(), date, None)
    }

    /// What settles each of `rows` (the installments from the first open one on, each with
    /// what it owes, new penalties included) on `date`, and the total: the installments whose
    /// period has started in full; the later ones their penalty, fee and principal, plus
    /// (oldest first) the interest deferred by a grace from periods that have started and not
    /// paid yet. `None` as soon as the total exceeds `limit`.
    fn settle_lines<'a>(
        &self,
        rows: impl Iterator<Item = (&'a InstallmentState, [i128; 4])>,
        date: NaiveDate,
        limit: Option<i128>,
    ) -> Result<Option<(Vec<[i128; 4]>, i128)>> {
        // Interest earned by started periods but charged on later installments (only a grace
        // on interest defers it).
        let mut deferred = 0_i128;
        if self.terms.grace.interest > 0 {
            for s in &self.installments {
                if Loan::started(s, date) {
                    deferred = add(deferred, s.period_interest.to_sen())?;
                    deferred = sub(deferred, s.due.interest.to_sen())?;
                } else {
                    deferred = sub(deferred, s.paid.interest.to_sen())?;
                }
            }
        }
        let mut deferred = deferred.max(0);
        let mut lines = Vec::with_capacity(rows.size_hint().0);
        let mut total = 0_i128;
        for (s, mut o) in rows {
            if !Loan::started(s, date) {
                let i = o[2].max(0).min(deferred);
                deferred = sub(deferred, i)?;
                o[2] = i;
            }
            for x in o {
                total = add(total, x)?;
            }
            if limit.is_some_and(|l| total > l) {
                return Ok(None);
            }
            lines.push(o);
        }
        Ok(Some((lines, total)))
    }

    /// Settles the loan on `date` with `amount` ≥ the payoff amount: `lines` (from
    /// [`settle_lines`](Loan::settle_lines)) are paid, the interest of the periods that have not
    /// started is waived, and the rest of `amount` is returned as excess. Validates first.
    fn pay_off(
        &mut self,
        date: NaiveDate,
        amount: Rupiah,
        charges: Vec<PenaltyCharge>,
        lines: &[[i128; 4]],
        payoff: i128,
    ) -> Result<Repayment> {
        let start = self.first_open;
        let tail = self.installments.get(start..).unwrap_or(&[]);
        let mut allocations = Vec::new();
        let mut totals = [0_i128; 4];
        let mut paid_after = Vec::with_capacity(lines.len());
        for (s, p) in tail.iter().zip(lines) {
            let mut paid = s.paid.to_sen();
            for ((a, b), t) in paid.iter_mut().zip(p).zip(totals.iter_mut()) {
                *a = add(*a, *b)?;
                *t = add(*t, *b)?;
            }
            paid_after.push(Dues::from_sen(paid)?);
            if p.iter().any(|x| *x != 0) {
                allocations.push(Allocation {
                    installment: Some(s.number),
                    parts: Dues::from_sen(*p)?,
                });
            }
        }
        let totals = Dues::from_sen(totals)?;
        let excess = rp(sub(amount.to_sen(), payoff)?)?;

        // Commit.
        self.commit_penalties(&charges, date)?;
        for (s, paid) in self.installments.iter_mut().skip(start).zip(paid_after) {
            if !Loan::started(s, date) {
                // not earned: the interest of a period that never runs is waived
                s.due.interest = paid.interest;
                s.period_interest = Rupiah::ZERO;
            }
            s.paid = paid;
            if s.completed_on.is_none() {
                s.completed_on = Some(date);
            }
        }
        self.first_open = self.installments.len();
        self.status = LoanStatus::Closed;
        self.last_date = date;
        self.last_repayment = Some(date);
        Ok(Repayment {
            date,
            amount,
            penalties_charged: charges,
            allocations,
            totals,
            excess,
            closes_loan: true,
        })
    }

    /// Applies a repayment received on `date`: charges penalties up to `date`, allocates the
    /// amount over the installments due by then in the loan's [`AllocationOrder`], then handles
    /// any surplus by the loan's [`Overpayment`] rule. An amount that reaches the
    /// [`payoff_amount`](Loan::payoff_amount) on `date` settles the loan whatever the rule:
    /// the payoff is allocated (everything of the started periods; principal, fees and
    /// deferred interest of the later ones), the interest of the periods not started is
    /// waived, the loan is closed and the rest is returned as `excess`. Validates everything
    /// first: an error changes nothing.
    ///
    /// # Errors
    /// [`Error::NonPositiveAmount`], [`Error::LoanNotActive`], [`Error::DateOutOfOrder`],
    /// [`Error::Core`] on overflow.
    #[doc(alias = "bayar angsuran")]
    pub fn repay(&mut self, date: NaiveDate, amount: Rupiah) -> Result<Repayment> {
        self.repay_with(date, amount, true)
    }

    /// A repayment as applied before a payoff settled the loan: the surplus always follows
    /// the [`Overpayment`] rule, so under [`Overpayment::PayAhead`] it pays the interest of
    /// future installments before their principal and the quoted payoff may leave the loan
    /// open. Kept only to replay records made under that rule; do not use it for new
    /// repayments.
    ///
    /// # Errors
    /// As [`repay`](Loan::repay).
    #[doc(hidden)]
    pub fn repay_legacy(&mut self, date: NaiveDate, amount: Rupiah) -> Result<Repayment> {
        self.repay_with(date, amount, false)
    }

    fn repay_with(&mut self, date: NaiveDate, amount: Rupiah, settle: bool) -> Result<Repayment> {
        if !amount.is_positive() {
            return Err(Error::NonPositiveAmount {
                what: "repayment",
                amount,
            });
        }
        self.check_active()?;
        self.check_date("repayment", date)?;
        let charges = self.penalties_until(date)?;

        // Outstanding per open line, with the new penalties.
        let start = self.first_open;
        let tail = self.installments.get(start..).unwrap_or(&[]);
        // Only the installments due by `date` are read unless money is left over.
        let n_due = tail.iter().take_while(|s| s.due_date <= date).count();
        let mut owed: Vec<[i128; 4]> = tail
            .iter()
            .take(n_due)
            .map(InstallmentState::open_sen)
            .collect();
        for c in &charges {
            if let Some(o) = tail
                .iter()
                .take(n_due)
                .position(|s| s.number == c.installment)
                .and_then(|pos| owed.get_mut(pos))
            {
                o[0] = add(o[0], c.amount.to_sen())?;
            }
        }
        let mut parts = vec![[0_i128; 4]; owed.len()];
        let order = self.options.allocation;
        let mut left = allocate_sen(amount.to_sen(), &owed, &mut parts, &order)?;
        // Everything due is paid: if the amount reaches the payoff, it settles the loan,
        // whatever the overpayment rule (the interest of periods not started is not owed).
        let check_payoff = settle && (left > 0 || parts == owed);
        let future_owed: Vec<[i128; 4]> =
            if check_payoff || (left > 0 && self.options.overpayment != Overpayment::Refund) {
                tail.iter()
                    .skip(n_due)
                    .map(InstallmentState::open_sen)
                    .collect()
            } else {
                Vec::new()
            };
        if check_payoff {
            let rows = tail.iter().zip(owed.iter().chain(&future_owed).copied());
            if let Some((lines, payoff)) = self.settle_lines(rows, date, Some(amount.to_sen()))? {
                return self.pay_off(date, amount, charges, &lines, payoff);
            }
        }
        let mut future_parts = vec![[0_i128; 4]; future_owed.len()];

        let mut prepay = 0_i128;
        let mut regen: Option<Vec<RawRow>> = None;
        if left > 0 {
            match self.options.overpayment {
                Overpayment::PayAhead => {
                    left = allocate_sen(left, &future_owed, &mut future_parts, &order)?;
                }
                Overpayment::ReduceTenor | Overpayment::ReduceInstallment => {
                    let future_principal: i128 = future_owed.iter().map(|o| o[3]).sum();
                    prepay = left.min(future_principal);
                    left = sub(left, prepay)?;
                    if prepay > 0 {
                        regen =
                            Some(self.regenerate(n_due, sub(future_principal, prepay)?, date)?);
                    }
                    // a loan repaid in full still owes the running period's interest
                    let running = tail.get(n_due).is_some_and(|s| s.period_start <= date);
                    if left > 0
                        && running
                        && prepay == future_principal
                        && let (Some(fp), Some(fo)) =
                            (future_parts.first_mut(), future_owed.first())
                    {
                        {
                            let t = left.min(fo[2]);
                            fp[2] = t;
                            left = sub(left, t)?;
                        }
                    }
                }
                Overpayment::Refund => {}
            }
        }
        parts.extend(future_parts);

        // Build the result (still nothing changed).
        let mut allocations = Vec::new();
        let mut totals = [0_i128; 4];
        for (s, p) in tail.iter().zip(&parts) {
            if p.iter().any(|x| *x != 0) {
                for (t, x) in totals.iter_mut().zip(p) {
                    *t = add(*t, *x)?;
                }
                allocations.push(Allocation {
                    installment: Some(s.number),
                    parts: Dues::from_sen(*p)?,
                });
            }
        }
        if prepay > 0 {
            totals[3] = add(totals[3], prepay)?;
            allocations.push(Allocation {
                installment: None,
                parts: Dues::from_sen([0, 0, 0, prepay])?,
            });
        }
        let totals = Dues::from_sen(totals)?;
        let excess = rp(left)?;
        let prepaid_after = self.prepaid_principal.checked_add(rp(prepay)?)?;

        // Commit.
        self.commit_penalties(&charges, date)?;
        for (s, p) in self.installments.iter_mut().skip(start).zip(&parts) {
            if p.iter().all(|x| *x == 0) {
                continue;
            }
            let mut paid = s.paid.to_sen();
            for (a, b) in paid.iter_mut().zip(p) {
                *a = a.saturating_add(*b);
            }
            s.paid = Dues::from_sen(paid)?;
        }
        if let Some(rows) = regen {
            self.apply_regeneration(n_due, &rows)?;
        }
        self.prepaid_principal = prepaid_after;
        let touched = parts.len();
        for s in self.installments.iter_mut().skip(start).take(touched) {
            if s.completed_on.is_none() && s.is_settled() {
                s.completed_on = Some(date);
            }
        }
        while self
            .installments
            .get(self.first_open)
            .is_some_and(InstallmentState::is_settled)
        {
            self.first_open = self.first_open.saturating_add(1);
        }
        let closes = self.first_open >= self.installments.len();
        if closes {
            self.status = LoanStatus::Closed;
        }
        self.last_date = date;
        self.last_repayment = Some(date);
        Ok(Repayment {
            date,
            amount,
            penalties_charged: charges,
            allocations,
            totals,
            excess,
            closes_loan: closes,
        })
    }

    /// New principal and interest for the installments from `first_open + n_due` on, after
    /// a prepayment leaves `new_balance` of principal on them.
    fn regenerate(&self, n_due: usize, new_balance: i128, date: NaiveDate) -> Result<Vec<RawRow>> {
        let params = self.terms.params()?;
        let from = self.first_open.saturating_add(n_due);
        let future = self.installments.get(from..).unwrap_or(&[]);
        let Some(first) = future.first() else {
            return Ok(Vec::new());
        };
        let per: Vec<(NaiveDate, NaiveDate)> = future
            .iter()
            .map(|s| (s.period_start, s.due_date))
            .collect();
        let done = first.number.saturating_sub(1);
        let g = self.terms.grace;
        let grace = Grace::new(
            g.principal.saturating_sub(done),
            g.interest.saturating_sub(done),
            g.interest_free.saturating_sub(done),
        );
        // interest deferred by earlier grace rows and not yet collected
        let mut pending = 0_i128;
        if first.number <= g.interest.saturating_add(1) {
            for s in self.installments.iter().take(from) {
                if s.number <= g.interest {
                    pending = add(pending, s.period_interest.to_sen())?;
                }
            }
        }
        let target = match self.options.overpayment {
            Overpayment::ReduceTenor => match self.level {
                Some(l) if self.terms.method == Method::Annuity => Target::Installment(l.to_sen()),
                Some(l) => Target::Principal(l.to_sen()),
                None => Target::Compute,
            },
            _ => Target::Compute,
        };
        let mut raw = Vec::with_capacity(per.len());
        amortize(
            &params,
            new_balance,
            self.terms.principal.to_sen(),
            &per,
            grace,
            target,
            pending,
            &mut raw,
        )?;
        // The running period keeps its interest (charged on the balance at its start).
        let running = first.period_start <= date;
        if running && let Some(r0) = raw.first_mut() {
            r0.interest = first.due.interest.to_sen();
            r0.regular = first.period_interest.to_sen();
        }
        // Nothing is owed after the balance reaches zero.
        let mut zero = new_balance == 0;
        for (i, r) in raw.iter_mut().enumerate() {
            if zero && (i > 0 || !running) {
                r.interest = 0;
                r.regular = 0;
                r.principal = 0;
            }
            if r.balance == 0 {
                zero = true;
            }
        }
        Ok(raw)
    }

    fn apply_regeneration(&mut self, n_due: usize, rows: &[RawRow]) -> Result<()> {
        let from = self.first_open.saturating_add(n_due);
        for (s, r) in self.installments.iter_mut().skip(from).zip(rows) {
            s.due.principal = rp(r.principal)?;
            s.due.interest = rp(r.interest)?;
            s.period_interest = rp(r.regular)?;
        }
        // Reduce tenor: drop trailing rows that owe nothing and received nothing.
        while self.installments.len() > 1
            && self.installments.last().is_some_and(|s| {
                s.due.to_sen().iter().all(|x| *x == 0) && s.paid.to_sen().iter().all(|x| *x == 0)
            })
        {
            self.installments.pop();
        }
        Ok(())
    }

    /// Writes the loan off (hapus buku): everything outstanding leaves the books and is kept
    /// for collection. Post the principal against the loss reserve (PPAP).
    ///
    /// # Errors
    /// [`Error::LoanNotActive`], [`Error::DateOutOfOrder`], [`Error::Core`] on overflow.
    pub fn write_off(&mut self, date: NaiveDate) -> Result<WriteOff> {
        self.check_active()?;
        self.check_date("write-off", date)?;
        let mut t = [0_i128; 4];
        for s in &self.installments {
            for (t, o) in t.iter_mut().zip(s.open_sen()) {
                *t = add(*t, o)?;
            }
        }
        let w = WriteOff {
            date,
            amounts: Dues::from_sen(t)?,
        };
        self.status = LoanStatus::WrittenOff;
        self.written_off = Some(w);
        self.last_date = date;
        Ok(w)
    }

    /// Records money collected on a written-off loan (recovery income).
    ///
    /// # Errors
    /// [`Error::NotWrittenOff`], [`Error::NonPositiveAmount`], [`Error::DateOutOfOrder`],
    /// [`Error::Core`] on overflow.
    pub fn recover(&mut self, date: NaiveDate, amount: Rupiah) -> Result<Recovery> {
        let Some(w) = self.written_off else {
            return Err(Error::NotWrittenOff);
        };
        if !amount.is_positive() {
            return Err(Error::NonPositiveAmount {
                what: "recovery",
                amount,
            });
        }
        self.check_date("recovery", date)?;
        let total = w.amounts.total()?;
        let open = total.checked_sub(self.recovered)?;
        let recovered = amount.min(open);
        let excess = amount.checked_sub(recovered)?;
        let after = self.recovered.checked_add(recovered)?;
        self.recovered = after;
        self.last_date = date;
        Ok(Recovery {
            date,
            amount,
            recovered,
            excess,
            remaining: total.checked_sub(after)?,
        })
    }
}

fn state_from_raw(number: u32, r: &RawRow, fee: i128) -> Result<InstallmentState> {
    Ok(InstallmentState {
        number,
        period_start: r.start,
        due_date: r.due,
        due: Dues::from_sen([0, fee, r.interest, r.principal])?,
        paid: Dues::default(),
        period_interest: rp(r.regular)?,
        completed_on: None,
        penalized_until: None,
        late_charged: false,
    })
}
