//! The loan's schedule laid over the plan's months, from `koperasi-savings-loans`.
//!
//! * Interest-only grace: one [`LoanTerms`] with a principal grace of `grace_months`
//!   ([`Grace`]), annuity after it.
//! * Capitalised grace: nothing is paid in the grace months; the balance after `k` months is
//!   `principal × (1 + rate/12)^k` rounded half-up to the rupiah (so each month's capitalised
//!   interest is the difference of two rounded balances, and they add up exactly); the balance
//!   at the end of the grace is then repaid by an annuity [`LoanTerms`] over the remaining
//!   months. Rp3 miliar at 6% with 6 months: Rp3.091.132.528, then 66 × Rp55.103.372.
//!
//! The loan is disbursed on the eve of month 1 and installments fall due on the scheme's day
//! of each month from month 1.

use chrono::{Datelike, NaiveDate};
use koperasi_core::{Decimal, Rate, RoundingPolicy, Rupiah};
use koperasi_savings_loans::{FirstDue, Grace, LoanTerms, Method};

use crate::num::{Sen, add, sub};
use crate::plan::Financing;
use crate::scheme::{GraceTreatment, SchemeRules};
use crate::{Error, Result};

/// One plan month of the loan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct DebtMonth {
    pub(crate) interest_paid: Sen,
    pub(crate) principal_paid: Sen,
    pub(crate) capitalised: Sen,
    pub(crate) balance: Sen,
}

/// The loan over the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DebtPlan {
    /// Index `m - 1` for plan month `m`.
    pub(crate) months: Vec<DebtMonth>,
    pub(crate) disbursed: Sen,
    /// The regular installment after any grace.
    pub(crate) installment: Option<Rupiah>,
    /// Principal after capitalising the grace interest.
    pub(crate) capitalised_principal: Option<Rupiah>,
    /// Installments due after the horizon: count and amount.
    pub(crate) beyond_horizon: (u32, Sen),
    /// Total interest over the whole loan.
    pub(crate) total_interest: Sen,
}

fn month_index(start: NaiveDate, date: NaiveDate) -> i64 {
    let y = i64::from(date.year()).saturating_sub(i64::from(start.year()));
    let m = i64::from(date.month()).saturating_sub(i64::from(start.month()));
    y.saturating_mul(12).saturating_add(m).saturating_add(1)
}

/// The last day before plan month `m + 1` starts (`m = 0`: the eve of the plan).
fn eve_of(start: NaiveDate, after_months: u32) -> Result<NaiveDate> {
    let d = koperasi_core::add_months(
        start,
        i32::try_from(after_months).map_err(|_| Error::Overflow { op: "date" })?,
    )?;
    d.pred_opt().ok_or(Error::Overflow { op: "date" })
}

/// Lays the schedule of `f` over `months` plan months from `start`.
pub(crate) fn debt_plan(
    f: &Financing,
    rules: &SchemeRules,
    start: NaiveDate,
    months: u32,
) -> Result<DebtPlan> {
    let n_months = usize::try_from(months).map_err(|_| Error::Overflow { op: "months" })?;
    let mut out = DebtPlan {
        months: vec![DebtMonth::default(); n_months],
        disbursed: 0,
        installment: None,
        capitalised_principal: None,
        beyond_horizon: (0, 0),
        total_interest: 0,
    };
    if !f.borrows() {
        return Ok(out);
    }
    let rate = Rate::per_year(f.rate_percent_per_year)?;
    let n = f.installments();
    let g = f.grace_months;
    let p = f.principal.to_sen();
    out.disbursed = p;
    let first_due = FirstDue::DayOfMonth(rules.due_day);
    // (plan month, interest, principal) of every cash installment.
    let mut rows: Vec<(i64, Sen, Sen)> = Vec::new();
    match f.grace {
        GraceTreatment::InterestOnly => {
            let terms = LoanTerms::new(f.principal, rate, n, Method::Annuity, eve_of(start, 0)?)
                .with_first_due(first_due)
                .with_grace(Grace::new(g, 0, 0));
            let s = terms.schedule()?;
            let regular = usize::try_from(g).map_err(|_| Error::Overflow { op: "grace" })?;
            out.installment = s.installments().get(regular).map(|r| r.installment);
            for r in s.installments() {
                rows.push((
                    month_index(start, r.due_date),
                    r.interest.to_sen(),
                    r.principal.to_sen(),
                ));
            }
        }
        GraceTreatment::Capitalised => {
            let monthly = f
                .rate_percent_per_year
                .checked_div(Decimal::from(1200))
                .ok_or(Error::Overflow { op: "rate" })?;
            let growth = Decimal::ONE
                .checked_add(monthly)
                .ok_or(Error::Overflow { op: "rate" })?;
            let mut factor = Decimal::ONE;
            let mut prev = p;
            for k in 1..=g {
                factor = factor.checked_mul(growth).ok_or(Error::Overflow {
                    op: "capitalised grace",
                })?;
                let b = f
                    .principal
                    .mul_rounded(factor, RoundingPolicy::WHOLE_RUPIAH)?
                    .to_sen();
                let idx = usize::try_from(k.saturating_sub(1)).unwrap_or(usize::MAX);
                if let Some(m) = out.months.get_mut(idx) {
                    m.capitalised = sub(b, prev)?;
                    m.balance = b;
                }
                out.total_interest = add(out.total_interest, sub(b, prev)?)?;
                prev = b;
            }
            let cap = Rupiah::try_from_sen_i128(prev)?;
            out.capitalised_principal = Some(cap);
            let terms = LoanTerms::new(
                cap,
                rate,
                n.saturating_sub(g),
                Method::Annuity,
                eve_of(start, g)?,
            )
            .with_first_due(first_due);
            let s = terms.schedule()?;
            out.installment = s.installments().first().map(|r| r.installment);
            for r in s.installments() {
                rows.push((
                    month_index(start, r.due_date),
                    r.interest.to_sen(),
                    r.principal.to_sen(),
                ));
            }
        }
    }
    // Lay the cash installments over the months.
    for (idx, interest, principal) in rows {
        out.total_interest = add(out.total_interest, interest)?;
        if idx < 1 || idx > i64::from(months) {
            if idx > i64::from(months) {
                out.beyond_horizon.0 = out.beyond_horizon.0.saturating_add(1);
                out.beyond_horizon.1 = add(out.beyond_horizon.1, add(interest, principal)?)?;
            }
            continue;
        }
        let i =
            usize::try_from(idx.saturating_sub(1)).map_err(|_| Error::Overflow { op: "month" })?;
        if let Some(m) = out.months.get_mut(i) {
            m.interest_paid = add(m.interest_paid, interest)?;
            m.principal_paid = add(m.principal_paid, principal)?;
        }
    }
    // Balances month by month (grace months of a capitalised loan already hold theirs).
    let mut carried = p;
    for m in &mut out.months {
        carried = add(carried, m.capitalised)?;
        carried = sub(carried, m.principal_paid)?;
        m.balance = carried;
    }
    if carried < 0 {
        return Err(Error::Overflow { op: "loan balance" });
    }
    Ok(out)
}
