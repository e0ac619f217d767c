//! RAPB (rencana anggaran pendapatan dan belanja, the budget the RAT approves) generated from
//! a projection for a fiscal year, and plan versus actual from a book's actuals as of a date,
//! with the mentoring findings the variances imply.
//!
//! This crate does not read books: the dependency rules let `koperasi-planning` use only
//! `koperasi-core` and `koperasi-savings-loans`, and the umbrella `koperasi` (which owns the
//! book) depends on domain crates. So [`Actuals`] is a plain input type, and whoever holds a
//! `koperasi::Koperasi` fills it — the `koperasi plan variance` command does, from the
//! monthly income statements of the book (revenue and HPP per business unit, operating
//! expenses of the cooperative).

use chrono::{Datelike, NaiveDate};
use koperasi_core::{Decimal, FiscalYear, Rupiah};

use crate::assess::{Finding, Severity, ratio_id};
use crate::num::{Sen, add, quotient, rp, sub};
use crate::plan::UnitKind;
use crate::projection::Projection;
use crate::{Error, Result};

/// One line of the RAPB.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct RapbLine {
    /// Section: `Pendapatan`, `Beban`, `Anggaran kas`.
    pub section: String,
    /// Line label (Indonesian).
    pub label: String,
    /// Amount for the year.
    pub amount: Rupiah,
}

/// The RAPB of one fiscal year.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
#[doc(alias = "RAPB")]
#[doc(alias = "rencana anggaran pendapatan dan belanja")]
pub struct Rapb {
    /// Fiscal year (the year it starts in).
    pub year: i32,
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
    /// Plan months inside the year.
    pub plan_months: u32,
    /// Lines.
    pub lines: Vec<RapbLine>,
    /// Total revenue.
    pub revenue: Rupiah,
    /// Total expenses (HPP, operating costs, depreciation, interest).
    pub expenses: Rupiah,
    /// SHU before tax.
    pub shu: Rupiah,
}

fn line(section: &str, label: String, amount: Sen) -> Result<RapbLine> {
    Ok(RapbLine {
        section: section.to_owned(),
        label,
        amount: rp(amount)?,
    })
}

/// The RAPB of fiscal year `year` from a projection.
///
/// # Errors
/// [`Error::YearOutsidePlan`] if no plan month falls in the year; [`Error::Overflow`].
pub fn rapb(p: &Projection, year: FiscalYear) -> Result<Rapb> {
    let inside: Vec<usize> = p
        .months
        .iter()
        .enumerate()
        .filter(|(_, m)| year.contains(m.period))
        .map(|(i, _)| i)
        .collect();
    if inside.is_empty() {
        let first = p.months.first().map_or(year.start(), |m| m.period);
        let last = p.months.last().map_or(year.end(), |m| m.period);
        return Err(Error::YearOutsidePlan {
            year: year.year(),
            first,
            last,
        });
    }
    let mut lines = Vec::new();
    let mut revenue: Sen = 0;
    let mut expenses: Sen = 0;
    let months = || inside.iter().filter_map(|i| p.months.get(*i));
    for u in &p.units {
        let rows = || inside.iter().filter_map(|i| u.months.get(*i));
        let r = rows().try_fold(0, |s, m| add(s, m.revenue.to_sen()))?;
        revenue = add(revenue, r)?;
        lines.push(line("Pendapatan", format!("Pendapatan {}", u.name), r)?);
    }
    for u in &p.units {
        let rows = || inside.iter().filter_map(|i| u.months.get(*i));
        let c = rows().try_fold(0, |s, m| add(s, m.cogs.to_sen()))?;
        let o = rows().try_fold(0, |s, m| add(s, m.opex.to_sen()))?;
        let d = rows().try_fold(0, |s, m| add(s, m.depreciation.to_sen()))?;
        expenses = add(add(add(expenses, c)?, o)?, d)?;
        lines.push(line("Beban", format!("HPP {}", u.name), c)?);
        lines.push(line(
            "Beban",
            format!("Beban operasional dan gaji {}", u.name),
            o,
        )?);
        lines.push(line("Beban", format!("Penyusutan {}", u.name), d)?);
    }
    let interest = months().try_fold(0, |s, m| add(s, m.interest.to_sen()))?;
    expenses = add(expenses, interest)?;
    lines.push(line("Beban", "Beban bunga pinjaman".to_owned(), interest)?);
    let shu = sub(revenue, expenses)?;
    // Cash budget.
    let opening_in_year = inside.first() == Some(&0);
    if opening_in_year {
        lines.push(line(
            "Anggaran kas",
            "Setoran modal sendiri dan simpanan anggota".to_owned(),
            p.opening.paid_in_capital.to_sen(),
        )?);
        lines.push(line(
            "Anggaran kas",
            "Pencairan pinjaman".to_owned(),
            p.opening.loan.to_sen(),
        )?);
        lines.push(line(
            "Anggaran kas",
            "Belanja modal".to_owned(),
            p.opening.capex_on_books.to_sen(),
        )?);
    }
    let principal = months().try_fold(0, |s, m| add(s, m.principal_paid.to_sen()))?;
    let interest_paid = months().try_fold(0, |s, m| add(s, m.interest_paid.to_sen()))?;
    let wc = months().try_fold(0, |s, m| add(s, m.working_capital_change.to_sen()))?;
    let net = months().try_fold(0, |s, m| add(s, m.net_cash_flow.to_sen()))?;
    lines.push(line(
        "Anggaran kas",
        "Angsuran pokok pinjaman".to_owned(),
        principal,
    )?);
    lines.push(line(
        "Anggaran kas",
        "Bunga pinjaman dibayar".to_owned(),
        interest_paid,
    )?);
    lines.push(line("Anggaran kas", "Tambahan modal kerja".to_owned(), wc)?);
    lines.push(line(
        "Anggaran kas",
        "Arus kas bersih operasi dan pinjaman".to_owned(),
        net,
    )?);
    let transfers = months().try_fold(0, |s, m| add(s, m.transfer_debt_service.to_sen()))?;
    if transfers > 0 {
        lines.push(line(
            "Anggaran kas",
            "Angsuran pembangunan dibayar dari DAU/DBH/Dana Desa (bukan kas koperasi)".to_owned(),
            transfers,
        )?);
    }
    Ok(Rapb {
        year: year.year(),
        start: year.start(),
        end: year.end(),
        plan_months: u32::try_from(inside.len()).unwrap_or(u32::MAX),
        lines,
        revenue: rp(revenue)?,
        expenses: rp(expenses)?,
        shu: rp(shu)?,
    })
}

/// A unit's actual figures in one month.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ActualUnit {
    /// The unit.
    pub kind: UnitKind,
    /// Revenue (members and non-members).
    pub revenue: Rupiah,
    /// HPP.
    pub cogs: Rupiah,
}

/// One month of actuals (realisasi).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct ActualMonth {
    /// First day of the month.
    pub period: NaiveDate,
    /// Per unit.
    pub units: Vec<ActualUnit>,
    /// The cooperative's expenses other than HPP (operating costs, salaries, depreciation,
    /// interest …).
    pub other_expenses: Rupiah,
}

impl ActualMonth {
    /// A month of actuals.
    pub fn new(period: NaiveDate, units: Vec<ActualUnit>, other_expenses: Rupiah) -> Self {
        ActualMonth {
            period,
            units,
            other_expenses,
        }
    }
}

impl ActualUnit {
    /// A unit's revenue and HPP.
    pub fn new(kind: UnitKind, revenue: Rupiah, cogs: Rupiah) -> Self {
        ActualUnit {
            kind,
            revenue,
            cogs,
        }
    }
}

/// Actuals from a book, as of a date (full months only).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
#[doc(alias = "realisasi")]
pub struct Actuals {
    /// The date the book was read as of.
    pub as_of: NaiveDate,
    /// Full months up to `as_of`, in order.
    pub months: Vec<ActualMonth>,
}

impl Actuals {
    /// Actuals as of a date.
    pub fn new(as_of: NaiveDate, months: Vec<ActualMonth>) -> Self {
        Actuals { as_of, months }
    }
}

/// When a variance becomes a mentoring finding.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct VarianceRules {
    /// Revenue this many percent under plan … (default 30)
    pub shortfall_percent: Decimal,
    /// … for this many months running is a finding (default 3).
    pub months_running: u32,
    /// Other expenses this many percent over plan in a month is a finding (default 10).
    pub cost_overrun_percent: Decimal,
    /// HPP share of revenue this many points above plan is a finding (default 5).
    pub margin_points: Decimal,
}

impl Default for VarianceRules {
    fn default() -> Self {
        VarianceRules {
            shortfall_percent: Decimal::from(30),
            months_running: 3,
            cost_overrun_percent: Decimal::from(10),
            margin_points: Decimal::from(5),
        }
    }
}

/// One variance line.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct VarianceLine {
    /// The month (first day), or `None` for the cumulative line.
    pub period: Option<NaiveDate>,
    /// Unit label, or `Koperasi` for the cooperative's other expenses.
    pub unit: String,
    /// `pendapatan`, `HPP`, `beban lain`.
    pub line: String,
    /// Plan.
    pub plan: Rupiah,
    /// Actual.
    pub actual: Rupiah,
    /// Actual − plan.
    pub variance: Rupiah,
    /// Variance ÷ plan × 100 (2 decimals half-up); `None` when the plan is zero.
    pub variance_percent: Option<Decimal>,
}

/// Plan versus actual.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct Variance {
    /// As of.
    pub as_of: NaiveDate,
    /// Months compared.
    pub months_compared: u32,
    /// Lines: per month, unit and line, then cumulative.
    pub lines: Vec<VarianceLine>,
    /// Mentoring findings (temuan pendampingan).
    pub findings: Vec<Finding>,
}

fn vline(
    period: Option<NaiveDate>,
    unit: &str,
    line: &str,
    plan: Sen,
    actual: Sen,
) -> Result<VarianceLine> {
    let v = sub(actual, plan)?;
    Ok(VarianceLine {
        period,
        unit: unit.to_owned(),
        line: line.to_owned(),
        plan: rp(plan)?,
        actual: rp(actual)?,
        variance: rp(v)?,
        variance_percent: quotient(
            v.checked_mul(100)
                .ok_or(Error::Overflow { op: "variance" })?,
            plan,
            2,
        )?,
    })
}

fn month_label(d: NaiveDate) -> String {
    format!("{:02}/{}", d.month(), d.year())
}

/// Compares a projection with actuals month by month and cumulatively, per unit kind
/// (revenue, HPP) and for the cooperative's other expenses, and derives mentoring findings:
/// revenue under plan by `shortfall_percent` or more for `months_running` months running
/// (`mentoring.sales-shortfall`); a planned unit with no revenue in the latest month
/// (`mentoring.unit-not-open`); HPP share above plan by `margin_points`
/// (`mentoring.margin`); other expenses over plan by `cost_overrun_percent`
/// (`mentoring.cost-overrun`). Actual months outside the plan are ignored (an `info` finding
/// says so).
///
/// # Errors
/// [`Error::Overflow`].
pub fn variance(p: &Projection, actuals: &Actuals, rules: &VarianceRules) -> Result<Variance> {
    let mut kinds: Vec<UnitKind> = p.units.iter().map(|u| u.kind).collect();
    kinds.sort();
    kinds.dedup();
    let mut lines = Vec::new();
    let mut findings = Vec::new();
    let mut compared = 0_u32;
    // per kind: (plan rev, actual rev, plan cogs, actual cogs) cumulative; run of shortfalls.
    let mut cum: Vec<[Sen; 4]> = vec![[0; 4]; kinds.len()];
    let mut runs: Vec<(u32, Option<NaiveDate>)> = vec![(0, None); kinds.len()];
    let mut flagged: Vec<bool> = vec![false; kinds.len()];
    let mut other_cum = [0 as Sen; 2];
    let mut last_period = None;
    let mut ignored = 0_u32;
    for am in &actuals.months {
        let Some(idx) = p.months.iter().position(|m| m.period == am.period) else {
            ignored = ignored.saturating_add(1);
            continue;
        };
        compared = compared.saturating_add(1);
        last_period = Some((idx, am));
        let pm = p.months.get(idx).ok_or(Error::Overflow { op: "month" })?;
        for (k, kind) in kinds.iter().enumerate() {
            let mut plan_rev: Sen = 0;
            let mut plan_cogs: Sen = 0;
            for u in p.units.iter().filter(|u| u.kind == *kind) {
                if let Some(m) = u.months.get(idx) {
                    plan_rev = add(plan_rev, m.revenue.to_sen())?;
                    plan_cogs = add(plan_cogs, m.cogs.to_sen())?;
                }
            }
            let (act_rev, act_cogs) = am
                .units
                .iter()
                .filter(|a| a.kind == *kind)
                .try_fold((0, 0), |(r, c), a| {
                    Ok::<_, Error>((add(r, a.revenue.to_sen())?, add(c, a.cogs.to_sen())?))
                })?;
            let label = kind.label();
            let rl = vline(Some(am.period), label, "pendapatan", plan_rev, act_rev)?;
            // Shortfall run.
            let short = rl.variance_percent.is_some_and(|v| {
                v <= Decimal::ZERO
                    .checked_sub(rules.shortfall_percent)
                    .unwrap_or(Decimal::MIN)
            });
            if let (Some(run), Some(f)) = (runs.get_mut(k), flagged.get_mut(k)) {
                if short {
                    run.0 = run.0.saturating_add(1);
                    run.1 = run.1.or(Some(am.period));
                } else {
                    *run = (0, None);
                }
                if run.0 >= rules.months_running && !*f {
                    *f = true;
                    findings.push(Finding {
                        rule: "mentoring.sales-shortfall".to_owned(),
                        severity: Severity::Warning,
                        message: format!(
                            "{label}: pendapatan {}% atau lebih di bawah rencana {} bulan berturut-turut sejak {} (bulan ini {} dari rencana {}, {}%)",
                            ratio_id(rules.shortfall_percent),
                            run.0,
                            run.1.map_or_else(String::new, month_label),
                            rl.actual,
                            rl.plan,
                            rl.variance_percent.map_or_else(|| "–".to_owned(), ratio_id)
                        ),
                    });
                }
            }
            lines.push(rl);
            lines.push(vline(Some(am.period), label, "HPP", plan_cogs, act_cogs)?);
            if let Some(c) = cum.get_mut(k) {
                c[0] = add(c[0], plan_rev)?;
                c[1] = add(c[1], act_rev)?;
                c[2] = add(c[2], plan_cogs)?;
                c[3] = add(c[3], act_cogs)?;
            }
        }
        let plan_other = add(
            add(
                add(pm.opex.to_sen(), pm.depreciation.to_sen())?,
                pm.interest.to_sen(),
            )?,
            0,
        )?;
        let act_other = am.other_expenses.to_sen();
        let ol = vline(
            Some(am.period),
            "Koperasi",
            "beban lain",
            plan_other,
            act_other,
        )?;
        if ol
            .variance_percent
            .is_some_and(|v| v >= rules.cost_overrun_percent)
        {
            findings.push(Finding {
                rule: "mentoring.cost-overrun".to_owned(),
                severity: Severity::Warning,
                message: format!(
                    "beban selain HPP {} bulan {}: {} di atas rencana {} ({}%)",
                    ol.actual,
                    month_label(am.period),
                    ol.variance,
                    ol.plan,
                    ol.variance_percent.map_or_else(|| "–".to_owned(), ratio_id)
                ),
            });
        }
        other_cum[0] = add(other_cum[0], plan_other)?;
        other_cum[1] = add(other_cum[1], act_other)?;
        lines.push(ol);
    }
    for (k, kind) in kinds.iter().enumerate() {
        let Some(c) = cum.get(k) else { continue };
        lines.push(vline(None, kind.label(), "pendapatan", c[0], c[1])?);
        lines.push(vline(None, kind.label(), "HPP", c[2], c[3])?);
        // Margin: HPP share of revenue, actual vs plan, in percentage points.
        if let (Some(plan_share), Some(act_share)) = (
            quotient(c[2].saturating_mul(100), c[0], 2)?,
            quotient(c[3].saturating_mul(100), c[1], 2)?,
        ) && act_share
            .checked_sub(plan_share)
            .is_some_and(|d| d >= rules.margin_points)
        {
            findings.push(Finding {
                rule: "mentoring.margin".to_owned(),
                severity: Severity::Warning,
                message: format!(
                    "{}: HPP {}% dari pendapatan, rencana {}% — periksa harga beli dan harga jual",
                    kind.label(),
                    ratio_id(act_share),
                    ratio_id(plan_share)
                ),
            });
        }
    }
    if let Some((idx, am)) = last_period {
        for kind in &kinds {
            let planned = p
                .units
                .iter()
                .filter(|u| u.kind == *kind)
                .filter_map(|u| u.months.get(idx))
                .any(|m| m.revenue.is_positive());
            let actual = am
                .units
                .iter()
                .any(|a| a.kind == *kind && a.revenue.is_positive());
            if planned && !actual {
                findings.push(Finding {
                    rule: "mentoring.unit-not-open".to_owned(),
                    severity: Severity::Warning,
                    message: format!(
                        "{}: tidak ada pendapatan pada {}, padahal direncanakan sudah beroperasi",
                        kind.label(),
                        month_label(am.period)
                    ),
                });
            }
        }
    }
    lines.push(vline(
        None,
        "Koperasi",
        "beban lain",
        other_cum[0],
        other_cum[1],
    )?);
    if ignored > 0 {
        findings.push(Finding {
            rule: "mentoring.outside-plan".to_owned(),
            severity: Severity::Info,
            message: format!(
                "{ignored} bulan realisasi di luar periode rencana tidak dibandingkan"
            ),
        });
    }
    Ok(Variance {
        as_of: actuals.as_of,
        months_compared: compared,
        lines,
        findings,
    })
}
