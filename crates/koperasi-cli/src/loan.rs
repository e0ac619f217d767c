//! `koperasi loan`: loan schedules (jadwal angsuran).

use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use koperasi::core::chrono::NaiveDate;
use koperasi::core::{Decimal, Rate, RateUnit, RoundingMode, Rupiah};
use koperasi::savings_loans::{
    DayCount, Grace, InstallmentRounding, InterestPeriod, LoanTerms, Method, Precision, Schedule,
};

use crate::output::{CliError, Output};

/// The default disbursement date: the CLI reads no clock.
const DEFAULT_START: &str = "2025-01-01";

/// Loan subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum LoanCommand {
    /// Print the repayment schedule of a loan (flat, annuity or equal principal).
    Schedule(ScheduleArgs),
}

/// Unit of `--rate`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum RatePer {
    /// Percent per year.
    Year,
    /// Percent per month.
    Month,
}

/// Interest method.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum MethodArg {
    /// Bunga flat.
    Flat,
    /// Anuitas (equal installments).
    Annuity,
    /// Efektif / menurun (equal principal).
    EqualPrincipal,
}

/// Interest period.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum PeriodArg {
    /// One repayment period.
    Repayment,
    /// Actual days under `--day-count`.
    Daily,
}

/// Day count.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum DayCountArg {
    /// Actual days / 365.
    #[value(name = "actual/365")]
    Actual365,
    /// Actual / actual (ISDA).
    #[value(name = "actual/actual")]
    ActualActual,
    /// 30/360.
    #[value(name = "30/360")]
    Thirty360,
}

/// Installment rounding direction.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum InstallmentRoundingArg {
    /// Nearest multiple.
    Nearest,
    /// Up to the next multiple.
    Up,
}

/// Arguments of `koperasi loan schedule`.
#[derive(Debug, Args)]
pub(crate) struct ScheduleArgs {
    /// Loan amount, e.g. 10000000.
    #[arg(long)]
    principal: String,
    /// Interest rate in percent, e.g. 12 or 1.5.
    #[arg(long)]
    rate: String,
    /// Whether --rate is per year or per month.
    #[arg(long, value_enum)]
    rate_per: RatePer,
    /// Number of monthly installments.
    #[arg(long)]
    tenor: u32,
    /// Interest method.
    #[arg(long, value_enum)]
    method: MethodArg,
    /// Disbursement date (default 2025-01-01).
    #[arg(long)]
    start: Option<String>,
    /// Interest period.
    #[arg(long, value_enum, default_value = "repayment")]
    interest_period: PeriodArg,
    /// Day count for daily interest.
    #[arg(long, value_enum, default_value = "actual/365")]
    day_count: DayCountArg,
    /// Decimals of amounts: 0 (whole rupiah) or 2 (sen).
    #[arg(long, default_value_t = 0)]
    decimals: u32,
    /// Rounding mode: half-up, half-even, down or up.
    #[arg(long, default_value = "half-up")]
    rounding: String,
    /// Round each installment to a multiple of this amount (the last absorbs the difference).
    #[arg(long)]
    installment_multiple: Option<String>,
    /// Direction of the installment rounding.
    #[arg(long, value_enum, default_value = "nearest")]
    installment_rounding: InstallmentRoundingArg,
    /// Installments with interest only (grace on principal).
    #[arg(long, default_value_t = 0)]
    grace_principal: u32,
    /// Installments whose interest is deferred to the first one after them.
    #[arg(long, default_value_t = 0)]
    grace_interest: u32,
    /// Interest-free installments.
    #[arg(long, default_value_t = 0)]
    interest_free: u32,
}

pub(crate) fn run(cmd: &LoanCommand, out: &Output) -> Result<ExitCode, CliError> {
    match cmd {
        LoanCommand::Schedule(args) => schedule(args, out),
    }
}

fn terms(a: &ScheduleArgs) -> Result<(LoanTerms, bool), CliError> {
    let principal: Rupiah = a.principal.parse().map_err(CliError::input)?;
    let percent = Decimal::from_str_exact(a.rate.trim())
        .map_err(|e| CliError::new("invalid_rate", format!("invalid rate {:?}: {e}", a.rate)))?;
    let unit = match a.rate_per {
        RatePer::Year => RateUnit::Year,
        RatePer::Month => RateUnit::Month,
    };
    let rate = Rate::new(percent, unit).map_err(CliError::input)?;
    let defaulted = a.start.is_none();
    let start_text = a.start.as_deref().unwrap_or(DEFAULT_START);
    let start = NaiveDate::parse_from_str(start_text, "%Y-%m-%d").map_err(|e| {
        CliError::usage(
            "invalid_date",
            format!("invalid --start {start_text:?} (expected YYYY-MM-DD): {e}"),
        )
    })?;
    let method = match a.method {
        MethodArg::Flat => Method::Flat,
        MethodArg::Annuity => Method::Annuity,
        MethodArg::EqualPrincipal => Method::EqualPrincipal,
    };
    let precision = Precision::from_decimals(a.decimals).ok_or_else(|| {
        CliError::new(
            "invalid_decimals",
            format!("--decimals must be 0 or 2, got {}", a.decimals),
        )
    })?;
    let mode: RoundingMode = a.rounding.parse().map_err(CliError::input)?;
    let period = match a.interest_period {
        PeriodArg::Repayment => InterestPeriod::Repayment,
        PeriodArg::Daily => InterestPeriod::Daily(match a.day_count {
            DayCountArg::Actual365 => DayCount::Actual365,
            DayCountArg::ActualActual => DayCount::ActualActual,
            DayCountArg::Thirty360 => DayCount::Thirty360,
        }),
    };
    let mut t = LoanTerms::new(principal, rate, a.tenor, method, start)
        .with_interest_period(period)
        .with_precision(precision)
        .with_rounding_mode(mode)
        .with_grace(Grace::new(
            a.grace_principal,
            a.grace_interest,
            a.interest_free,
        ));
    if let Some(m) = &a.installment_multiple {
        let m: Rupiah = m.parse().map_err(CliError::input)?;
        let how = match a.installment_rounding {
            InstallmentRoundingArg::Nearest => InstallmentRounding::Nearest,
            InstallmentRoundingArg::Up => InstallmentRounding::Up,
        };
        t = t.with_installment_multiple(m, how);
    }
    Ok((t, defaulted))
}

/// An amount as an exact decimal string at the schedule's precision.
fn amount(r: Rupiah, precision: Precision) -> String {
    match precision {
        Precision::WholeRupiah if r.is_whole_rupiah() => (r.to_sen() / 100).to_string(),
        _ => r.plain().to_string(),
    }
}

fn schedule(a: &ScheduleArgs, out: &Output) -> Result<ExitCode, CliError> {
    let (t, defaulted) = terms(a)?;
    let s: Schedule = t.schedule().map_err(CliError::input)?;
    let totals = s.totals().map_err(CliError::input)?;
    let eff = s.effective_rate().map_err(CliError::input)?;
    let p = t.rounding.precision;
    if defaulted && out.is_json() {
        out.note(&format!(
            "--start not given; disbursement assumed on {DEFAULT_START}"
        ));
    }
    let rows: Vec<serde_json::Value> = s
        .installments()
        .iter()
        .map(|r| {
            serde_json::json!({
                "number": r.number,
                "due_date": r.due_date.to_string(),
                "principal": amount(r.principal, p),
                "interest": amount(r.interest, p),
                "installment": amount(r.installment, p),
                "balance": amount(r.balance, p),
            })
        })
        .collect();
    let json = serde_json::json!({
        "installments": rows,
        "totals": {
            "principal": amount(totals.principal, p),
            "interest": amount(totals.interest, p),
            "installment": amount(totals.installment, p),
        },
        "effective_annual_rate": eff.annual_percent.to_string(),
    });
    out.emit(&json, || {
        text(&t, &s, defaulted, &eff.annual_percent.to_string())
    });
    Ok(ExitCode::SUCCESS)
}

/// A rate in Indonesian style: `1,5% per bulan`, `12% per tahun`.
fn rate_id(r: Rate) -> String {
    let unit = match r.unit() {
        RateUnit::Month => "per bulan",
        RateUnit::Year => "per tahun",
    };
    format!(
        "{}% {unit}",
        r.percent().normalize().to_string().replace('.', ",")
    )
}

fn text(t: &LoanTerms, s: &Schedule, defaulted: bool, eff: &str) -> String {
    let mut lines = Vec::new();
    let start = if defaulted {
        format!(
            "{} (bawaan; pakai --start untuk tanggal lain)",
            t.disbursement
        )
    } else {
        t.disbursement.to_string()
    };
    lines.push(format!("Pokok pinjaman  : {}", t.principal));
    lines.push(format!("Suku bunga      : {}", rate_id(t.rate)));
    lines.push(format!("Tanggal pencairan: {start}"));
    lines.push(String::new());
    let header = [
        "Angsuran ke-",
        "Jatuh tempo",
        "Pokok",
        "Bunga",
        "Angsuran",
        "Sisa Pinjaman",
    ];
    let mut table: Vec<[String; 6]> = s
        .installments()
        .iter()
        .map(|r| {
            [
                r.number.to_string(),
                r.due_date.to_string(),
                r.principal.to_string(),
                r.interest.to_string(),
                r.installment.to_string(),
                r.balance.to_string(),
            ]
        })
        .collect();
    if let Ok(tot) = s.totals() {
        table.push([
            "Jumlah".to_owned(),
            String::new(),
            tot.principal.to_string(),
            tot.interest.to_string(),
            tot.installment.to_string(),
            String::new(),
        ]);
    }
    let mut width = header.map(str::len);
    for row in &table {
        for (w, c) in width.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    let fmt_row = |cells: &[String]| {
        cells
            .iter()
            .zip(width)
            .enumerate()
            .map(|(i, (c, w))| {
                if i < 2 {
                    format!("{c:<w$}")
                } else {
                    format!("{c:>w$}")
                }
            })
            .collect::<Vec<_>>()
            .join("  ")
    };
    lines.push(fmt_row(&header.map(str::to_owned)));
    lines.push(
        width
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("  "),
    );
    for row in &table {
        lines.push(fmt_row(row));
    }
    lines.push(String::new());
    lines.push(format!(
        "Bunga efektif per tahun: {}%",
        eff.replace('.', ",")
    ));
    lines
        .iter()
        .map(|l| l.trim_end())
        .collect::<Vec<_>>()
        .join("\n")
}
