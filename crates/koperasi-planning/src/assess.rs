//! Financing feasibility: DSCR, repayment capacity (RPC), break-even, payback, NPV and IRR;
//! the scheme's rules and the feasibility tests as findings; sensitivity.

use koperasi_core::{Decimal, Rupiah};

use crate::metrics;
use crate::num::{Ratio, Sen, add, ratio_dp, rp, sub, sum};
use crate::plan::{Plan, UnitKind};
use crate::projection::{
    MonthProjection, Opening, Prepared, Run, Scenario, UnitProjection, break_even, dscr,
};
use crate::scheme::{Borrower, SchemeId, SchemeRules, SchemeStatus};
use crate::{Error, Result};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
#[non_exhaustive]
pub enum Severity {
    /// A rule checked and met, or a fact to know.
    Info,
    /// A risk the mentor or the bank should discuss.
    Warning,
    /// A rule broken: the plan is not feasible as it stands.
    Violation,
}

impl Severity {
    /// Indonesian label.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "perhatian",
            Severity::Violation => "pelanggaran",
        }
    }
}

/// One finding: the rule, how serious, and what was found (in Indonesian).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
#[doc(alias = "temuan")]
pub struct Finding {
    /// The rule, e.g. `scheme.tenor`, `feasibility.dscr-min`.
    pub rule: String,
    /// Severity.
    pub severity: Severity,
    /// What was found, with the figures.
    pub message: String,
}

impl Finding {
    fn new(rule: &str, severity: Severity, message: String) -> Finding {
        Finding {
            rule: rule.to_owned(),
            severity,
            message,
        }
    }
}

/// A unit's figures over the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct UnitSummary {
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: UnitKind,
    /// Capex (all of it, whoever pays).
    pub capex: Rupiah,
    /// Revenue over the plan.
    pub revenue: Rupiah,
    /// Revenue − HPP − operating costs over the plan.
    pub ebitda: Rupiah,
    /// Average monthly revenue over the months it is open.
    pub average_monthly_revenue: Rupiah,
    /// Monthly revenue at which the unit covers its operating costs and depreciation
    /// (first year's costs); `None` if HPP is 100%.
    pub break_even_monthly_revenue: Option<Rupiah>,
}

/// The outcome of one scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub struct SensitivityResult {
    /// The scenario.
    pub scenario: Scenario,
    /// Lowest monthly DSCR.
    pub dscr_min: Option<Decimal>,
    /// NPV.
    pub npv: Rupiah,
    /// IRR, percent per year.
    pub irr: Option<Decimal>,
    /// Payback month.
    pub payback_months: Option<u32>,
    /// Months with negative cash.
    pub negative_cash_months: Vec<u32>,
    /// Lowest cash balance (opening included).
    pub min_cash: Rupiah,
    /// Cash never negative and DSCR never under the threshold.
    pub feasible: bool,
}

/// The feasibility assessment of a plan (kelayakan usaha dan pembiayaan).
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
#[doc(alias = "studi kelayakan")]
#[doc(alias = "kelayakan")]
pub struct Assessment {
    /// The plan's name.
    pub name: String,
    /// The scheme.
    pub scheme: SchemeId,
    /// The rules applied.
    pub rules: SchemeRules,
    /// The regular installment after any grace (half-up to the rupiah).
    pub installment: Option<Rupiah>,
    /// The principal after a capitalised grace.
    pub capitalised_principal: Option<Rupiah>,
    /// Lowest monthly DSCR over the months with debt service.
    pub dscr_min: Option<Decimal>,
    /// Mean of the monthly DSCRs over the months with debt service (4 decimals half-up).
    pub dscr_avg: Option<Decimal>,
    /// The DSCR the lender wants.
    pub dscr_threshold: Decimal,
    /// Repayment capacity: mean over the months with debt service of (revenue − HPP −
    /// operating costs) × `rpc_percent`.
    pub rpc: Option<Rupiah>,
    /// First month in which the cumulative project cash flow (−capex, then operating cash −
    /// initial working capital) is no longer negative.
    pub payback_months: Option<u32>,
    /// NPV of the project cash flow (month 0: −capex of all units, whoever pays; then each
    /// month's operating cash − initial working capital; no terminal value) at the discount
    /// rate (half-up to the rupiah).
    pub npv: Rupiah,
    /// Discount rate, percent per year (monthly = / 12).
    pub discount_rate_percent_per_year: Decimal,
    /// IRR, percent per year (the monthly IRR × 12), 6 decimals half-up.
    pub irr: Option<Decimal>,
    /// IRR per month (fraction, 16 decimals).
    pub irr_monthly: Option<Decimal>,
    /// No finding is a violation.
    pub feasible: bool,
    /// Findings.
    pub findings: Vec<Finding>,
    /// Months where cash is negative.
    pub negative_cash_months: Vec<u32>,
    /// Opening position.
    pub opening: Opening,
    /// Units.
    pub units: Vec<UnitSummary>,
    /// Sensitivity.
    pub sensitivity: Vec<SensitivityResult>,
    /// The cooperative month by month.
    pub months: Vec<MonthProjection>,
    /// The units month by month.
    pub unit_months: Vec<UnitProjection>,
}

struct Metrics {
    dscr_min: Option<Decimal>,
    dscr_avg: Option<Decimal>,
    payback: Option<u32>,
    npv: Sen,
    irr_monthly: Option<Decimal>,
    negative: Vec<u32>,
    min_cash: Sen,
    rpc: Option<Sen>,
}

fn to_dec(sen: Sen) -> Result<Decimal> {
    Decimal::try_from_i128_with_scale(sen, 2).map_err(|_| Error::Overflow { op: "amount" })
}

fn metrics(p: &Prepared, run: &Run, irr_guess: Option<Decimal>) -> Result<Metrics> {
    let plan = &p.plan;
    let mut dmin: Option<Decimal> = None;
    let mut dsum = Decimal::ZERO;
    let mut dcount: u32 = 0;
    let mut negative = Vec::new();
    let mut min_cash = run.cash0;
    let rpc_ratio = Ratio::percent(plan.rpc_percent)?;
    let mut rpc_sum: Sen = 0;
    let mut rpc_n: i128 = 0;
    let capex_total = sum(p.units.iter().map(|u| u.capex))?;
    let mut cum = sub(0, capex_total)?;
    let mut payback = if capex_total == 0 { Some(0) } else { None };
    let mut flows = Vec::with_capacity(run.months.len().saturating_add(1));
    flows.push(to_dec(sub(0, capex_total)?)?);
    for (i, m) in run.months.iter().enumerate() {
        let month = u32::try_from(i)
            .map_err(|_| Error::Overflow { op: "month" })?
            .saturating_add(1);
        if let Some(d) = dscr(m.op_cash, m.ds)? {
            dmin = Some(dmin.map_or(d, |x| x.min(d)));
            dsum = dsum.checked_add(d).ok_or(Error::Overflow { op: "dscr" })?;
            dcount = dcount.saturating_add(1);
            rpc_sum = add(rpc_sum, rpc_ratio.apply(m.ebitda)?)?;
            rpc_n = rpc_n.saturating_add(1);
        }
        if m.cash < 0 {
            negative.push(month);
        }
        min_cash = min_cash.min(m.cash);
        let project = sub(m.op_cash, m.initial_wc)?;
        cum = add(cum, project)?;
        if payback.is_none() && cum >= 0 {
            payback = Some(month);
        }
        flows.push(to_dec(project)?);
    }
    let dscr_avg = if dcount == 0 {
        None
    } else {
        Some(ratio_dp(
            dsum.checked_div(Decimal::from(dcount))
                .ok_or(Error::Overflow { op: "dscr" })?,
            4,
        ))
    };
    let monthly_rate = plan
        .discount_rate_percent_per_year
        .checked_div(Decimal::from(1200))
        .ok_or(Error::Overflow {
            op: "discount rate",
        })?;
    let npv_dec = metrics::npv(monthly_rate, &flows)?;
    let npv = koperasi_core::RoundingPolicy::WHOLE_RUPIAH
        .round_decimal(npv_dec)?
        .to_sen();
    let irr_monthly = match irr_guess {
        Some(g) => metrics::irr_from(&flows, g)?,
        None => None,
    };
    let rpc = if rpc_n == 0 {
        None
    } else {
        Some(crate::num::div_half_up(rpc_sum, rpc_n.saturating_mul(100))?.saturating_mul(100))
    };
    Ok(Metrics {
        dscr_min: dmin,
        dscr_avg,
        payback,
        npv,
        irr_monthly,
        negative,
        min_cash,
        rpc,
    })
}

fn irr_annual(monthly: Option<Decimal>) -> Option<Decimal> {
    monthly
        .and_then(|m| m.checked_mul(Decimal::from(1200)))
        .map(|d| ratio_dp(d, 6))
}

fn scenario_feasible(p: &Prepared, m: &Metrics) -> bool {
    m.min_cash >= 0 && m.dscr_min.is_none_or(|d| d >= p.plan.dscr_threshold)
}

/// Runs every scenario on a prepared plan (the sensitivity grid).
///
/// # Errors
/// The errors of [`Prepared::project`].
pub fn sensitivity(p: &Prepared, scenarios: &[Scenario]) -> Result<Vec<SensitivityResult>> {
    // Each scenario's IRR search starts from the previous one's (neighbours in a grid).
    let mut guess = Decimal::new(1, 2);
    scenarios
        .iter()
        .map(|s| {
            let run = p.run(s)?;
            let m = metrics(p, &run, Some(guess))?;
            if let Some(r) = m.irr_monthly {
                guess = r;
            }
            Ok(SensitivityResult {
                scenario: s.clone(),
                dscr_min: m.dscr_min,
                npv: rp(m.npv)?,
                irr: irr_annual(m.irr_monthly),
                payback_months: m.payback,
                negative_cash_months: m.negative.clone(),
                min_cash: rp(m.min_cash)?,
                feasible: scenario_feasible(p, &m),
            })
        })
        .collect()
}

/// Every combination of revenue changes, cost changes and delays, as scenarios.
pub fn grid(
    revenue_changes: &[Decimal],
    cost_changes: &[Decimal],
    delays: &[u32],
) -> Vec<Scenario> {
    let mut out = Vec::new();
    for r in revenue_changes {
        for c in cost_changes {
            for d in delays {
                out.push(Scenario::new(
                    &format!("pendapatan {r}%, biaya {c}%, terlambat {d} bln"),
                    *r,
                    *c,
                    *d,
                ));
            }
        }
    }
    out
}

fn months_text(ms: &[u32]) -> String {
    // 3,4,5,9 → "3–5, 9"
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(&a) = ms.get(i) {
        let mut j = i;
        while let (Some(&x), Some(&y)) = (ms.get(j), ms.get(j.saturating_add(1))) {
            if y == x.saturating_add(1) {
                j = j.saturating_add(1);
            } else {
                break;
            }
        }
        let b = ms.get(j).copied().unwrap_or(a);
        parts.push(if a == b {
            a.to_string()
        } else {
            format!("{a}–{b}")
        });
        i = j.saturating_add(1);
    }
    parts.join(", ")
}

/// A ratio in Indonesian style (`1,2500`).
pub(crate) fn ratio_id(d: Decimal) -> String {
    d.to_string().replace('.', ",")
}

fn check_scheme(plan: &Plan, rules: &SchemeRules, out: &mut Vec<Finding>) -> Result<()> {
    let f = &plan.financing;
    if !f.borrows() {
        return Ok(());
    }
    let mut rule = |id: &str, ok: bool, met: String, broken: String| -> Result<()> {
        if ok {
            out.push(Finding::new(id, Severity::Info, met));
            Ok(())
        } else if rules.enforce {
            Err(Error::SchemeLimit {
                scheme: rules.id.to_string(),
                rule: id.to_owned(),
                detail: broken,
            })
        } else {
            out.push(Finding::new(id, Severity::Violation, broken));
            Ok(())
        }
    };
    let name = &rules.name;
    if let Some(max) = rules.max_principal {
        rule(
            "scheme.plafon",
            f.principal <= max,
            format!("plafon {} dalam batas {max} ({name})", f.principal),
            format!("plafon {} melebihi batas {max} ({name})", f.principal),
        )?;
    }
    if let Some(max) = rules.max_operational {
        rule(
            "scheme.operational-share",
            f.operational <= max,
            format!(
                "bagian belanja operasional {} dalam batas {max}",
                f.operational
            ),
            format!(
                "bagian belanja operasional {} melebihi batas {max}",
                f.operational
            ),
        )?;
    }
    if let Some(rate) = rules.rate_percent_per_year {
        rule(
            "scheme.rate",
            f.rate_percent_per_year == rate,
            format!("bunga {}% per tahun sesuai skema", ratio_id(rate)),
            format!(
                "bunga {}% per tahun, skema menetapkan {}%",
                ratio_id(f.rate_percent_per_year),
                ratio_id(rate)
            ),
        )?;
    }
    let n = f.installments();
    if let Some(max) = rules.max_tenor_months {
        rule(
            "scheme.tenor",
            n <= max,
            format!("tenor {n} bulan (termasuk masa tenggang) dalam batas {max} bulan"),
            format!("tenor {n} bulan (termasuk masa tenggang) melebihi batas {max} bulan"),
        )?;
    }
    if let Some((lo, hi)) = rules.grace_months {
        let g = f.grace_months;
        rule(
            "scheme.grace",
            g >= lo && g <= hi,
            format!("masa tenggang {g} bulan dalam rentang {lo}–{hi} bulan"),
            format!("masa tenggang {g} bulan di luar rentang {lo}–{hi} bulan"),
        )?;
    }
    match rules.status {
        SchemeStatus::BeingReplaced => out.push(Finding::new(
            "scheme.status",
            Severity::Warning,
            format!(
                "{name}: berlaku sejak diundangkan, tetapi diumumkan direvisi (Menkeu, 14 November \
                 2025); pastikan ketentuan yang berlaku saat pengajuan"
            ),
        )),
        SchemeStatus::Draft => out.push(Finding::new(
            "scheme.status",
            Severity::Warning,
            format!("{name}: masih rancangan (konsultasi publik), belum berlaku; batasnya dilaporkan, tidak ditegakkan"),
        )),
        SchemeStatus::InForce | SchemeStatus::Contractual => {}
    }
    if let Some(until) = rules.effective_until
        && plan.start > until
    {
        out.push(Finding::new(
            "scheme.effective-date",
            Severity::Violation,
            format!(
                "rencana mulai {} setelah skema berakhir ({until})",
                plan.start
            ),
        ));
    }
    let capex_total = plan
        .units
        .iter()
        .try_fold(Rupiah::ZERO, |s, u| s.checked_add(u.capex))?;
    let capital_part = f.principal.checked_sub(f.operational)?;
    if rules.borrower == Borrower::Cooperative && capital_part > capex_total {
        out.push(Finding::new(
            "scheme.use-of-funds",
            Severity::Warning,
            format!(
                "bagian belanja modal pinjaman {capital_part} (plafon {} − operasional {}) melebihi \
                 belanja modal rencana {capex_total}; sesuaikan rencana penggunaan dana",
                f.principal, f.operational
            ),
        ));
    }
    if let Some(from) = rules.effective_from
        && plan.start < from
    {
        out.push(Finding::new(
            "scheme.effective-date",
            Severity::Warning,
            format!(
                "rencana mulai {} sebelum skema berlaku ({from})",
                plan.start
            ),
        ));
    }
    Ok(())
}

/// Assesses a plan with the standard sensitivity scenarios ([`Scenario::standard`]).
///
/// # Errors
/// The errors of [`Plan::validate`]; [`Error::SchemeLimit`] when the terms break a limit the
/// scheme enforces (PMK 49/2025: plafon, operating share, rate, tenor, grace);
/// [`Error::Schedule`]; [`Error::Overflow`].
pub fn assess(plan: &Plan) -> Result<Assessment> {
    assess_with(plan, &Scenario::standard())
}

/// Assesses a plan with the given sensitivity scenarios.
///
/// # Errors
/// As [`assess`].
pub fn assess_with(plan: &Plan, scenarios: &[Scenario]) -> Result<Assessment> {
    let p = Prepared::new(plan)?;
    let rules = p.rules.clone();
    let mut findings = Vec::new();
    check_scheme(plan, &rules, &mut findings)?;
    let base = Scenario::base();
    let run = p.run(&base)?;
    let m = metrics(&p, &run, Some(Decimal::new(1, 2)))?;
    let projection = run.into_projection(&p, base)?;
    let f = &plan.financing;
    let threshold = plan.dscr_threshold;

    // Builder scheme: what the transfers pay.
    if f.borrows() && rules.borrower == Borrower::BuilderRepaidByTransfers {
        let first_year = sum(projection
            .months
            .iter()
            .take(12)
            .map(|x| x.transfer_debt_service.to_sen()))?;
        out_push(
            &mut findings,
            "scheme.borrower",
            Severity::Info,
            format!(
                "pinjaman {} atas nama pembangun, diangsur dari DAU/DBH atau Dana Desa ({} pada 12 \
                 bulan pertama); gerai, gudang dan kelengkapan menjadi aset desa/pemda, tidak \
                 dicatat sebagai aset maupun utang koperasi",
                f.principal,
                rp(first_year)?
            ),
        );
        let capex_total = sum(p.units.iter().map(|u| u.capex))?;
        if f.principal.to_sen() > capex_total {
            out_push(
                &mut findings,
                "scheme.build-cost",
                Severity::Warning,
                format!(
                    "pinjaman pembangunan {} melebihi belanja modal rencana {}",
                    f.principal,
                    rp(capex_total)?
                ),
            );
        }
    }
    if projection.opening.cash.is_negative() {
        out_push(
            &mut findings,
            "feasibility.opening-funding",
            Severity::Violation,
            format!(
                "dana awal kurang {}: modal sendiri dan simpanan {} + pinjaman {} < belanja modal {}",
                projection.opening.cash.negated(),
                projection.opening.paid_in_capital,
                projection.opening.loan,
                projection.opening.capex_on_books
            ),
        );
    }
    if !m.negative.is_empty() {
        out_push(
            &mut findings,
            "feasibility.cash-negative",
            Severity::Violation,
            format!(
                "kas negatif pada bulan ke-{} (terendah {})",
                months_text(&m.negative),
                rp(m.min_cash)?
            ),
        );
    }
    if let Some(d) = m.dscr_min {
        let sev = if d < threshold {
            Severity::Violation
        } else {
            Severity::Info
        };
        out_push(
            &mut findings,
            "feasibility.dscr-min",
            sev,
            format!(
                "DSCR terendah {} (rata-rata {}), batas minimum {}",
                ratio_id(d),
                m.dscr_avg.map_or_else(|| "–".to_owned(), ratio_id),
                ratio_id(threshold)
            ),
        );
    }
    let installment = p.debt.installment;
    if p.on_books
        && let (Some(i), Some(rpc)) = (installment, m.rpc)
    {
        let ok = i.to_sen() <= rpc;
        out_push(
            &mut findings,
            "feasibility.rpc",
            if ok {
                Severity::Info
            } else {
                Severity::Violation
            },
            format!(
                "angsuran {i} {} kemampuan bayar (RPC = {}% × (pendapatan − biaya)) rata-rata {}",
                if ok { "≤" } else { ">" },
                ratio_id(plan.rpc_percent),
                rp(rpc)?
            ),
        );
    }
    if m.npv < 0 {
        out_push(
            &mut findings,
            "feasibility.npv",
            Severity::Warning,
            format!(
                "NPV negatif {} pada tingkat diskonto {}% per tahun",
                rp(m.npv)?,
                ratio_id(plan.discount_rate_percent_per_year)
            ),
        );
    }
    match m.payback {
        None => out_push(
            &mut findings,
            "feasibility.payback",
            Severity::Warning,
            format!(
                "investasi belum kembali dalam {} bulan rencana",
                plan.months
            ),
        ),
        Some(pb) if f.borrows() && pb > f.installments() => out_push(
            &mut findings,
            "feasibility.payback",
            Severity::Warning,
            format!(
                "masa pengembalian {pb} bulan melebihi tenor {} bulan",
                f.installments()
            ),
        ),
        Some(_) => {}
    }
    if p.debt.beyond_horizon.0 > 0 {
        out_push(
            &mut findings,
            "feasibility.horizon",
            Severity::Warning,
            format!(
                "{} angsuran ({}) jatuh tempo setelah horizon rencana {} bulan",
                p.debt.beyond_horizon.0,
                rp(p.debt.beyond_horizon.1)?,
                plan.months
            ),
        );
    }
    // Units: break-even.
    let mut units = Vec::with_capacity(p.units.len());
    for (u, up) in p.units.iter().zip(&projection.unit_months_sen()?) {
        let first_year_opex = u.yearly_opex.first().copied().unwrap_or(0);
        let dep = if u.life == 0 {
            0
        } else {
            crate::num::div_half_up(u.capex_on_books, i128::from(u.life).saturating_mul(100))?
                .saturating_mul(100)
        };
        let be = break_even(add(first_year_opex, dep)?, u.cogs_percent)?;
        let open = up.open_months.max(1);
        let avg = crate::num::div_half_up(up.revenue, i128::from(open).saturating_mul(100))?
            .saturating_mul(100);
        if let Some(b) = be
            && up.open_months > 0
            && avg < b
        {
            out_push(
                &mut findings,
                "unit.break-even",
                Severity::Warning,
                format!(
                    "{}: pendapatan rata-rata {} per bulan di bawah titik impas {}",
                    u.name,
                    rp(avg)?,
                    rp(b)?
                ),
            );
        }
        units.push(UnitSummary {
            name: u.name.clone(),
            kind: u.kind,
            capex: rp(u.capex)?,
            revenue: rp(up.revenue)?,
            ebitda: rp(up.ebitda)?,
            average_monthly_revenue: rp(avg)?,
            break_even_monthly_revenue: be.map(rp).transpose()?,
        });
    }
    let sens = sensitivity(&p, scenarios)?;
    for s in &sens {
        let sev = if s.feasible {
            Severity::Info
        } else {
            Severity::Warning
        };
        let neg = if s.negative_cash_months.is_empty() {
            "kas tidak pernah negatif".to_owned()
        } else {
            format!(
                "kas negatif bulan ke-{}",
                months_text(&s.negative_cash_months)
            )
        };
        out_push(
            &mut findings,
            "sensitivity",
            sev,
            format!(
                "{}: DSCR terendah {}, NPV {}, {neg}",
                s.scenario.name,
                s.dscr_min.map_or_else(|| "–".to_owned(), ratio_id),
                s.npv
            ),
        );
    }
    let feasible = !findings.iter().any(|x| x.severity == Severity::Violation);
    Ok(Assessment {
        name: plan.name.clone(),
        scheme: f.scheme,
        rules,
        installment,
        capitalised_principal: p.debt.capitalised_principal,
        dscr_min: m.dscr_min,
        dscr_avg: m.dscr_avg,
        dscr_threshold: threshold,
        rpc: m.rpc.map(rp).transpose()?,
        payback_months: m.payback,
        npv: rp(m.npv)?,
        discount_rate_percent_per_year: plan.discount_rate_percent_per_year,
        irr: irr_annual(m.irr_monthly),
        irr_monthly: m.irr_monthly,
        feasible,
        findings,
        negative_cash_months: m.negative,
        opening: projection.opening,
        units,
        sensitivity: sens,
        months: projection.months,
        unit_months: projection.units,
    })
}

fn out_push(v: &mut Vec<Finding>, rule: &str, severity: Severity, message: String) {
    v.push(Finding::new(rule, severity, message));
}

pub(crate) struct UnitTotals {
    revenue: Sen,
    ebitda: Sen,
    open_months: u32,
}

impl crate::projection::Projection {
    fn unit_months_sen(&self) -> Result<Vec<UnitTotals>> {
        self.units
            .iter()
            .map(|u| {
                let mut t = UnitTotals {
                    revenue: 0,
                    ebitda: 0,
                    open_months: 0,
                };
                for m in &u.months {
                    t.revenue = add(t.revenue, m.revenue.to_sen())?;
                    t.ebitda = add(
                        t.ebitda,
                        sub(sub(m.revenue.to_sen(), m.cogs.to_sen())?, m.opex.to_sen())?,
                    )?;
                    if m.revenue.is_positive() || m.opex.is_positive() {
                        t.open_months = t.open_months.saturating_add(1);
                    }
                }
                Ok(t)
            })
            .collect()
    }
}
