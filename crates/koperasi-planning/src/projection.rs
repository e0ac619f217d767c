//! The monthly projection: per unit revenue, HPP, operating costs and depreciation; for the
//! cooperative as a whole the income statement (PHU), cash flow and balance sheet, every month,
//! exact to the sen.
//!
//! Rounding (all half-up to the whole rupiah, once per amount): revenue of a month (base ×
//! growth × seasonality × scenario factor), HPP (revenue × percentage), operating costs after
//! growth, each working-capital balance (days / 30 of revenue or HPP). Depreciation is
//! straight-line in whole rupiah rounded down; the last month of the useful life takes the
//! remainder so that Σ depreciation = capex exactly. Loan amounts come rounded from the schedule.
//!
//! Definitions: EBITDA = revenue − HPP − operating costs; initial working capital = the
//! receivables + inventory − payables of a unit in its opening month (an investment, like the
//! capex); operating cash (cash available for debt service) = EBITDA − the increase in working
//! capital after the opening; net income (SHU before tax) = EBITDA − depreciation − interest
//! (accrued, including capitalised interest); cash = previous cash + operating cash − initial
//! working capital − interest paid − principal paid. Income tax is not modelled.

use chrono::{Datelike, NaiveDate};
use koperasi_core::{Decimal, RoundingPolicy, Rupiah};

use crate::financing::{DebtPlan, debt_plan};
use crate::num::{Ratio, Sen, add, div_up, quotient, rp, sub, sum};
use crate::plan::{Plan, UnitKind};
use crate::scheme::{Borrower, SchemeRules};
use crate::{Error, Result};

/// A what-if applied to a plan: revenue and costs changed by a percentage, opening delayed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
#[doc(alias = "analisis sensitivitas")]
pub struct Scenario {
    /// Name, e.g. `"pendapatan −10%"`.
    pub name: String,
    /// Change of every unit's revenue, percent (−10 = 10% less).
    pub revenue_change_percent: Decimal,
    /// Change of HPP and operating costs, percent (+10 = 10% more).
    pub cost_change_percent: Decimal,
    /// Months every unit opens later than planned (the financing does not move).
    pub delay_months: u32,
}

impl Scenario {
    /// The plan as given.
    pub fn base() -> Scenario {
        Scenario::new("rencana dasar", Decimal::ZERO, Decimal::ZERO, 0)
    }

    /// A scenario.
    pub fn new(
        name: &str,
        revenue_change_percent: Decimal,
        cost_change_percent: Decimal,
        delay_months: u32,
    ) -> Scenario {
        Scenario {
            name: name.to_owned(),
            revenue_change_percent,
            cost_change_percent,
            delay_months,
        }
    }

    /// The standard set of the issue: revenue −10% and −20%, costs +10%, opening 3 months
    /// late, and all of revenue −10%, costs +10% and 3 months late together.
    pub fn standard() -> Vec<Scenario> {
        vec![
            Scenario::new("pendapatan −10%", Decimal::from(-10), Decimal::ZERO, 0),
            Scenario::new("pendapatan −20%", Decimal::from(-20), Decimal::ZERO, 0),
            Scenario::new("biaya +10%", Decimal::ZERO, Decimal::from(10), 0),
            Scenario::new("mulai terlambat 3 bulan", Decimal::ZERO, Decimal::ZERO, 3),
            Scenario::new(
                "gabungan: −10%, +10%, terlambat 3 bulan",
                Decimal::from(-10),
                Decimal::from(10),
                3,
            ),
        ]
    }
}

/// One unit in one month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct UnitMonth {
    /// Revenue (pendapatan).
    pub revenue: Rupiah,
    /// HPP.
    pub cogs: Rupiah,
    /// Operating costs including salaries.
    pub opex: Rupiah,
    /// Depreciation (penyusutan).
    pub depreciation: Rupiah,
}

/// One unit over the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct UnitProjection {
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: UnitKind,
    /// Capex on the cooperative's books (the rest was built and financed by others).
    pub capex_on_books: Rupiah,
    /// Month by month (index 0 = month 1).
    pub months: Vec<UnitMonth>,
}

/// The cooperative in one month: PHU, cash flow and balance sheet at the month's end.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct MonthProjection {
    /// Plan month (1 = the first).
    pub month: u32,
    /// First day of the calendar month.
    pub period: NaiveDate,
    /// Revenue.
    pub revenue: Rupiah,
    /// HPP.
    pub cogs: Rupiah,
    /// Operating costs including salaries.
    pub opex: Rupiah,
    /// Revenue − HPP − operating costs.
    pub ebitda: Rupiah,
    /// Depreciation.
    pub depreciation: Rupiah,
    /// Interest expense (paid and capitalised).
    pub interest: Rupiah,
    /// SHU before tax of the month.
    pub net_income: Rupiah,
    /// Increase in working capital (receivables + inventory − payables), all of it.
    pub working_capital_change: Rupiah,
    /// The part of that increase that is the opening stock and credit of units opening this
    /// month: an investment, funded from the opening funds, not from operations.
    pub initial_working_capital: Rupiah,
    /// EBITDA − increase in working capital after the opening: cash available for debt
    /// service.
    pub operating_cash: Rupiah,
    /// Interest paid.
    pub interest_paid: Rupiah,
    /// Principal repaid.
    pub principal_paid: Rupiah,
    /// Interest paid + principal repaid by the cooperative.
    pub debt_service: Rupiah,
    /// Installments of a builder's loan paid from transfers (DAU/DBH, Dana Desa), not by the
    /// cooperative.
    pub transfer_debt_service: Rupiah,
    /// Change in cash.
    pub net_cash_flow: Rupiah,
    /// Cash at the month's end.
    pub cash_balance: Rupiah,
    /// `operating_cash / debt_service`, 4 decimals half-up; `None` without debt service.
    pub dscr: Option<Decimal>,
    /// Receivables (piutang usaha).
    pub receivables: Rupiah,
    /// Inventory (persediaan).
    pub inventory: Rupiah,
    /// Fixed assets net of depreciation (aset tetap bersih).
    pub fixed_assets: Rupiah,
    /// Payables (utang usaha).
    pub payables: Rupiah,
    /// Loan balance (utang bank).
    pub loan_balance: Rupiah,
    /// Own capital and member savings.
    pub paid_in_capital: Rupiah,
    /// Accumulated SHU.
    pub retained_earnings: Rupiah,
    /// Total assets.
    pub total_assets: Rupiah,
    /// Total liabilities and equity.
    pub total_liabilities_and_equity: Rupiah,
}

/// The opening position (the eve of month 1).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Opening {
    /// Own capital + member savings paid in.
    pub paid_in_capital: Rupiah,
    /// Loan disbursed to the cooperative.
    pub loan: Rupiah,
    /// Capex paid by the cooperative.
    pub capex_on_books: Rupiah,
    /// Capex built and financed by others (builder scheme).
    pub capex_built_by_others: Rupiah,
    /// Cash after all that.
    pub cash: Rupiah,
}

/// A projection of a plan under a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Projection {
    /// The scenario.
    pub scenario: Scenario,
    /// Opening position.
    pub opening: Opening,
    /// The cooperative month by month.
    pub months: Vec<MonthProjection>,
    /// The units month by month.
    pub units: Vec<UnitProjection>,
}

#[derive(Debug, Clone)]
pub(crate) struct PreparedUnit {
    pub(crate) name: String,
    pub(crate) kind: UnitKind,
    pub(crate) start: u32,
    pub(crate) yearly_revenue: Vec<Sen>,
    pub(crate) yearly_opex: Vec<Sen>,
    pub(crate) season: [Ratio; 12],
    pub(crate) cogs: Ratio,
    pub(crate) inventory: Ratio,
    pub(crate) receivable: Ratio,
    pub(crate) payable: Ratio,
    pub(crate) capex: Sen,
    pub(crate) capex_on_books: Sen,
    pub(crate) life: u32,
    pub(crate) cogs_percent: Decimal,
}

/// A plan validated and turned into exact factors once; projections under any scenario reuse
/// it (the sensitivity grid).
#[derive(Debug, Clone)]
pub struct Prepared {
    pub(crate) plan: Plan,
    pub(crate) rules: SchemeRules,
    pub(crate) debt: DebtPlan,
    pub(crate) on_books: bool,
    pub(crate) units: Vec<PreparedUnit>,
    pub(crate) paid_in: Sen,
}

fn grown(base: Rupiah, percent: Decimal, years: usize) -> Result<Vec<Sen>> {
    let g = Decimal::ONE
        .checked_add(
            percent
                .checked_div(Decimal::ONE_HUNDRED)
                .ok_or(Error::Overflow { op: "growth" })?,
        )
        .ok_or(Error::Overflow { op: "growth" })?;
    let mut f = Decimal::ONE;
    let mut out = Vec::with_capacity(years);
    for _ in 0..years {
        out.push(base.mul_rounded(f, RoundingPolicy::WHOLE_RUPIAH)?.to_sen());
        f = f.checked_mul(g).ok_or(Error::Overflow { op: "growth" })?;
    }
    Ok(out)
}

impl Prepared {
    /// Validates `plan` and prepares it.
    ///
    /// # Errors
    /// The errors of [`Plan::validate`]; [`Error::Schedule`] if the loan's schedule cannot be
    /// built.
    pub fn new(plan: &Plan) -> Result<Prepared> {
        plan.validate()?;
        let rules = plan.rules();
        let debt = debt_plan(&plan.financing, &rules, plan.start, plan.months)?;
        let on_books = plan.financing.borrows() && rules.borrower == Borrower::Cooperative;
        let builder = plan.financing.borrows() && rules.borrower != Borrower::Cooperative;
        let mut builder_left = if builder {
            plan.financing.principal.to_sen()
        } else {
            0
        };
        let years = usize::try_from(plan.months.div_ceil(12))
            .map_err(|_| Error::Overflow { op: "years" })?;
        let mut units = Vec::with_capacity(plan.units.len());
        for (i, u) in plan.units.iter().enumerate() {
            let at = format!("units[{i}]");
            let base = u.base_revenue(&at)?;
            let opex = u.monthly_opex.checked_add(u.monthly_salaries()?)?;
            let mut season = [Ratio::ONE; 12];
            for (s, p) in season.iter_mut().zip(&u.seasonality) {
                *s = Ratio::percent(*p)?;
            }
            let capex = u.capex.to_sen();
            let funded = capex.min(builder_left);
            builder_left = sub(builder_left, funded)?;
            units.push(PreparedUnit {
                name: u.name.clone(),
                kind: u.kind,
                start: u.start_month,
                yearly_revenue: grown(base, u.revenue_growth_percent_per_year, years)?,
                yearly_opex: grown(opex, u.opex_growth_percent_per_year, years)?,
                season,
                cogs: Ratio::percent(u.cogs_percent)?,
                inventory: Ratio::of(u.inventory_days, 30)?,
                receivable: Ratio::of(u.receivable_days, 30)?,
                payable: Ratio::of(u.payable_days, 30)?,
                capex,
                capex_on_books: sub(capex, funded)?,
                life: u.useful_life_months,
                cogs_percent: u.cogs_percent,
            });
        }
        let paid_in = add(plan.own_capital.to_sen(), plan.member_savings.to_sen())?;
        Ok(Prepared {
            plan: plan.clone(),
            rules,
            debt,
            on_books,
            units,
            paid_in,
        })
    }

    /// The plan.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// The scheme rules in effect.
    pub fn rules(&self) -> &SchemeRules {
        &self.rules
    }

    /// Projects the plan under `scenario`.
    ///
    /// # Errors
    /// [`Error::OutOfRange`] for a scenario change below −100%; [`Error::Overflow`].
    pub fn project(&self, scenario: &Scenario) -> Result<Projection> {
        let run = self.run(scenario)?;
        run.into_projection(self, scenario.clone())
    }

    pub(crate) fn run(&self, scenario: &Scenario) -> Result<Run> {
        let minus100 = Decimal::from(-100);
        for (field, v) in [
            (
                "scenario.revenue_change_percent",
                scenario.revenue_change_percent,
            ),
            ("scenario.cost_change_percent", scenario.cost_change_percent),
        ] {
            if v < minus100 || v > Decimal::from(1000) {
                return Err(Error::OutOfRange {
                    field: field.to_owned(),
                    value: v,
                    min: minus100,
                    max: Decimal::from(1000),
                });
            }
        }
        let rev_f = Ratio::percent(
            Decimal::ONE_HUNDRED
                .checked_add(scenario.revenue_change_percent)
                .ok_or(Error::Overflow { op: "scenario" })?,
        )?;
        let cost_f = Ratio::percent(
            Decimal::ONE_HUNDRED
                .checked_add(scenario.cost_change_percent)
                .ok_or(Error::Overflow { op: "scenario" })?,
        )?;
        let n = usize::try_from(self.plan.months).map_err(|_| Error::Overflow { op: "months" })?;
        let first_month0 = self.plan.start.month0();
        let capex_books = sum(self.units.iter().map(|u| u.capex_on_books))?;
        let loan0 = if self.on_books {
            self.debt.disbursed
        } else {
            0
        };
        let cash0 = sub(add(self.paid_in, loan0)?, capex_books)?;
        let mut units: Vec<Vec<UnitSen>> = Vec::with_capacity(self.units.len());
        let mut months = vec![MonthSen::default(); n];
        for u in &self.units {
            let start = u.start.saturating_add(scenario.delay_months);
            let cogs_ratio = u.cogs.times(cost_f)?;
            let dep_base = if u.life == 0 {
                0
            } else {
                u.capex_on_books
                    .checked_div(i128::from(u.life))
                    .and_then(|d| d.checked_div(100))
                    .and_then(|d| d.checked_mul(100))
                    .ok_or(Error::Overflow { op: "depreciation" })?
            };
            let mut row = Vec::with_capacity(n);
            let mut dep_left = u.capex_on_books;
            for (i, m) in months.iter_mut().enumerate() {
                let month = u32::try_from(i)
                    .map_err(|_| Error::Overflow { op: "month" })?
                    .saturating_add(1);
                let mut um = UnitSen::default();
                if month >= start {
                    let k = month.saturating_sub(start);
                    let year =
                        usize::try_from(k / 12).map_err(|_| Error::Overflow { op: "year" })?;
                    let cal = usize::try_from(
                        (first_month0.saturating_add(month).saturating_sub(1)) % 12,
                    )
                    .map_err(|_| Error::Overflow { op: "month" })?;
                    let base = u.yearly_revenue.get(year).copied().unwrap_or(0);
                    let season = u.season.get(cal).copied().unwrap_or(Ratio::ONE);
                    um.revenue = season.times(rev_f)?.apply(base)?;
                    um.cogs = cogs_ratio.apply(um.revenue)?;
                    um.opex = cost_f.apply(u.yearly_opex.get(year).copied().unwrap_or(0))?;
                    if dep_left > 0 {
                        let life_month = k.saturating_add(1);
                        um.dep = if life_month >= u.life {
                            dep_left
                        } else {
                            dep_base.min(dep_left)
                        };
                        dep_left = sub(dep_left, um.dep)?;
                    }
                    um.receivables = u.receivable.apply(um.revenue)?;
                    um.inventory = u.inventory.apply(um.cogs)?;
                    um.payables = u.payable.apply(um.cogs)?;
                    if month == start {
                        m.initial_wc = add(
                            m.initial_wc,
                            sub(add(um.receivables, um.inventory)?, um.payables)?,
                        )?;
                    }
                }
                m.revenue = add(m.revenue, um.revenue)?;
                m.cogs = add(m.cogs, um.cogs)?;
                m.opex = add(m.opex, um.opex)?;
                m.dep = add(m.dep, um.dep)?;
                m.ar = add(m.ar, um.receivables)?;
                m.inv = add(m.inv, um.inventory)?;
                m.ap = add(m.ap, um.payables)?;
                row.push(um);
            }
            units.push(row);
        }
        let mut cash = cash0;
        let mut fixed = capex_books;
        let mut retained: Sen = 0;
        let mut wc_prev: Sen = 0;
        for (m, d) in months.iter_mut().zip(&self.debt.months) {
            m.ebitda = sub(sub(m.revenue, m.cogs)?, m.opex)?;
            let wc = sub(add(m.ar, m.inv)?, m.ap)?;
            m.dwc = sub(wc, wc_prev)?;
            wc_prev = wc;
            m.op_cash = sub(m.ebitda, sub(m.dwc, m.initial_wc)?)?;
            if self.on_books {
                m.interest = add(d.interest_paid, d.capitalised)?;
                m.interest_paid = d.interest_paid;
                m.principal_paid = d.principal_paid;
                m.loan = d.balance;
            } else {
                m.transfer_ds = add(d.interest_paid, d.principal_paid)?;
            }
            m.ds = add(m.interest_paid, m.principal_paid)?;
            m.ni = sub(sub(m.ebitda, m.dep)?, m.interest)?;
            m.net_cf = sub(sub(m.op_cash, m.initial_wc)?, m.ds)?;
            cash = add(cash, m.net_cf)?;
            m.cash = cash;
            fixed = sub(fixed, m.dep)?;
            m.fixed = fixed;
            retained = add(retained, m.ni)?;
            m.retained = retained;
        }
        Ok(Run {
            cash0,
            capex_books,
            loan0,
            months,
            units,
        })
    }
}

#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct UnitSen {
    pub(crate) revenue: Sen,
    pub(crate) cogs: Sen,
    pub(crate) opex: Sen,
    pub(crate) dep: Sen,
    pub(crate) receivables: Sen,
    pub(crate) inventory: Sen,
    pub(crate) payables: Sen,
}

#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct MonthSen {
    pub(crate) revenue: Sen,
    pub(crate) cogs: Sen,
    pub(crate) opex: Sen,
    pub(crate) ebitda: Sen,
    pub(crate) dep: Sen,
    pub(crate) interest: Sen,
    pub(crate) ni: Sen,
    pub(crate) ar: Sen,
    pub(crate) inv: Sen,
    pub(crate) ap: Sen,
    pub(crate) dwc: Sen,
    pub(crate) initial_wc: Sen,
    pub(crate) op_cash: Sen,
    pub(crate) interest_paid: Sen,
    pub(crate) principal_paid: Sen,
    pub(crate) ds: Sen,
    pub(crate) transfer_ds: Sen,
    pub(crate) net_cf: Sen,
    pub(crate) cash: Sen,
    pub(crate) fixed: Sen,
    pub(crate) loan: Sen,
    pub(crate) retained: Sen,
}

#[derive(Debug, Clone)]
pub(crate) struct Run {
    pub(crate) cash0: Sen,
    pub(crate) capex_books: Sen,
    pub(crate) loan0: Sen,
    pub(crate) months: Vec<MonthSen>,
    pub(crate) units: Vec<Vec<UnitSen>>,
}

/// DSCR of one month: 4 decimals half-up; `None` without debt service.
pub(crate) fn dscr(op_cash: Sen, ds: Sen) -> Result<Option<Decimal>> {
    if ds <= 0 {
        return Ok(None);
    }
    quotient(op_cash, ds, 4)
}

impl Run {
    pub(crate) fn into_projection(self, p: &Prepared, scenario: Scenario) -> Result<Projection> {
        let mut months = Vec::with_capacity(self.months.len());
        let paid_in = rp(p.paid_in)?;
        for (i, m) in self.months.iter().enumerate() {
            let month = u32::try_from(i)
                .map_err(|_| Error::Overflow { op: "month" })?
                .saturating_add(1);
            let period = koperasi_core::add_months(
                p.plan.start,
                i32::try_from(i).map_err(|_| Error::Overflow { op: "month" })?,
            )?;
            let assets = sum([m.cash, m.ar, m.inv, m.fixed])?;
            let le = sum([m.ap, m.loan, p.paid_in, m.retained])?;
            months.push(MonthProjection {
                month,
                period,
                revenue: rp(m.revenue)?,
                cogs: rp(m.cogs)?,
                opex: rp(m.opex)?,
                ebitda: rp(m.ebitda)?,
                depreciation: rp(m.dep)?,
                interest: rp(m.interest)?,
                net_income: rp(m.ni)?,
                working_capital_change: rp(m.dwc)?,
                initial_working_capital: rp(m.initial_wc)?,
                operating_cash: rp(m.op_cash)?,
                interest_paid: rp(m.interest_paid)?,
                principal_paid: rp(m.principal_paid)?,
                debt_service: rp(m.ds)?,
                transfer_debt_service: rp(m.transfer_ds)?,
                net_cash_flow: rp(m.net_cf)?,
                cash_balance: rp(m.cash)?,
                dscr: dscr(m.op_cash, m.ds)?,
                receivables: rp(m.ar)?,
                inventory: rp(m.inv)?,
                fixed_assets: rp(m.fixed)?,
                payables: rp(m.ap)?,
                loan_balance: rp(m.loan)?,
                paid_in_capital: paid_in,
                retained_earnings: rp(m.retained)?,
                total_assets: rp(assets)?,
                total_liabilities_and_equity: rp(le)?,
            });
        }
        let mut units = Vec::with_capacity(self.units.len());
        for (u, rows) in p.units.iter().zip(&self.units) {
            let mut ms = Vec::with_capacity(rows.len());
            for r in rows {
                ms.push(UnitMonth {
                    revenue: rp(r.revenue)?,
                    cogs: rp(r.cogs)?,
                    opex: rp(r.opex)?,
                    depreciation: rp(r.dep)?,
                });
            }
            units.push(UnitProjection {
                name: u.name.clone(),
                kind: u.kind,
                capex_on_books: rp(u.capex_on_books)?,
                months: ms,
            });
        }
        let capex_total = sum(p.units.iter().map(|u| u.capex))?;
        Ok(Projection {
            scenario,
            opening: Opening {
                paid_in_capital: paid_in,
                loan: rp(self.loan0)?,
                capex_on_books: rp(self.capex_books)?,
                capex_built_by_others: rp(sub(capex_total, self.capex_books)?)?,
                cash: rp(self.cash0)?,
            },
            months,
            units,
        })
    }
}

/// Monthly break-even revenue of a unit: (operating costs + depreciation) / (1 − HPP%),
/// rounded up to the rupiah; `None` when HPP is 100% of revenue.
pub(crate) fn break_even(fixed_monthly: Sen, cogs_percent: Decimal) -> Result<Option<Sen>> {
    let margin = Decimal::ONE_HUNDRED
        .checked_sub(cogs_percent)
        .ok_or(Error::Overflow { op: "break-even" })?;
    if margin <= Decimal::ZERO {
        return Ok(None);
    }
    let r = Ratio::percent(margin)?;
    // fixed / (num/den) = fixed × den / num, in whole rupiah rounded up.
    let n = fixed_monthly
        .checked_mul(r.den)
        .ok_or(Error::Overflow { op: "break-even" })?;
    let d = r
        .num
        .checked_mul(100)
        .ok_or(Error::Overflow { op: "break-even" })?;
    Ok(Some(
        div_up(n, d)?
            .checked_mul(100)
            .ok_or(Error::Overflow { op: "break-even" })?,
    ))
}
