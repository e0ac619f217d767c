//! `koperasi plan`: business-potential mapping, feasibility of a business plan and its
//! financing, RAPB, and plan versus actual from a book.
//!
//! Input files are JSON (schema: `examples/plan/kkmp-plan.json` for plans,
//! `examples/plan/profile.json` for profiles; amounts and percentages as JSON integers or
//! decimal strings — floats are rejected because they cannot carry amounts exactly). Unknown
//! fields are errors.
//!
//! Plan versus actual reads a book (`koperasi::Koperasi`, an event log in JSON Lines) here, in
//! the CLI: `koperasi-planning` may not depend on the umbrella (which depends on the domain
//! crates), so the CLI fills the planning crate's plain `Actuals` from the book's monthly
//! income statements (revenue and HPP per business unit, other expenses of the cooperative).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand};
use koperasi::Koperasi;
use koperasi::core::chrono::{Datelike, NaiveDate};
use koperasi::core::{FiscalYear, Period, Rupiah};
use koperasi::ledger::BusinessUnit;
use koperasi::reporting::report as rr;
use koperasi_planning::mapping::{self, Assumptions, Profile, Weights};
use koperasi_planning::rapb::{self, ActualMonth, ActualUnit, Actuals, VarianceRules};
use koperasi_planning::report::{self, Block, Cell, Report};
use koperasi_planning::{Plan, Prepared, Scenario, UnitKind};

use crate::output::{CliError, Output};

/// `koperasi plan` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum PlanCommand {
    /// Feasibility of a business plan and its financing: installment, DSCR, RPC, payback,
    /// NPV, IRR, the scheme's rules and the feasibility tests as findings, sensitivity, and the
    /// monthly projection.
    Assess(AssessArgs),
    /// Business-potential mapping: score and rank the candidate units of a desa/kelurahan
    /// profile, with the inputs and weights behind every score and a demand estimate.
    Map(MapArgs),
    /// The RAPB (budget for the RAT) of a fiscal year, generated from a plan.
    Rapb(RapbArgs),
    /// Plan versus actual: a plan against a book (event log) as of a date, per unit and line,
    /// with the mentoring findings.
    Variance(VarianceArgs),
}

/// Where to write reports.
#[derive(Debug, Args)]
pub(crate) struct ReportFiles {
    /// Write the report as self-contained HTML (with SVG charts).
    #[arg(long)]
    html: Option<PathBuf>,
    /// Write the report as Markdown.
    #[arg(long)]
    markdown: Option<PathBuf>,
    /// Write the report's tables as an XLSX workbook.
    #[arg(long)]
    xlsx: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct AssessArgs {
    /// The plan (JSON).
    #[arg(long)]
    input: PathBuf,
    #[command(flatten)]
    files: ReportFiles,
}

#[derive(Debug, Args)]
pub(crate) struct MapArgs {
    /// The desa/kelurahan profile (JSON).
    #[arg(long)]
    input: PathBuf,
    /// Scoring weights (JSON, `{"name":…, "units":[["gerai-sembako",[{"indicator":…,"weight":…}]],…]}`);
    /// default: the documented profile `kkmp-default-2025`.
    #[arg(long)]
    weights: Option<PathBuf>,
    #[command(flatten)]
    files: ReportFiles,
}

#[derive(Debug, Args)]
pub(crate) struct RapbArgs {
    /// The plan (JSON).
    #[arg(long)]
    input: PathBuf,
    /// The fiscal year (the calendar year it starts in).
    #[arg(long)]
    year: i32,
    /// First month of the fiscal year (1 = January, the usual tahun buku).
    #[arg(long, default_value_t = 1)]
    fiscal_start_month: u32,
    #[command(flatten)]
    files: ReportFiles,
}

#[derive(Debug, Args)]
pub(crate) struct VarianceArgs {
    /// The plan (JSON).
    #[arg(long)]
    input: PathBuf,
    /// The book: an event log in JSON Lines (`Koperasi::to_json_lines`).
    #[arg(long)]
    book: PathBuf,
    /// Compare the full months up to this date (YYYY-MM-DD).
    #[arg(long)]
    as_of: NaiveDate,
    #[command(flatten)]
    files: ReportFiles,
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, CliError> {
    let text = std::fs::read_to_string(path).map_err(|e| CliError::io(path, &e))?;
    serde_json::from_str(&text)
        .map_err(|e| CliError::new("invalid_input", format!("{}: {e}", path.display())))
}

fn to_document(r: &Report) -> rr::Document {
    let mut doc = rr::Document::new(&r.title);
    doc.subtitle.clone_from(&r.subtitle);
    for t in r.tables() {
        let cols: Vec<(String, String)> = t
            .columns
            .iter()
            .enumerate()
            .map(|(i, c)| (format!("c{i}"), c.clone()))
            .collect();
        let refs: Vec<(&str, &str)> = cols.iter().map(|(k, l)| (k.as_str(), l.as_str())).collect();
        let mut table = rr::Table::new(&t.title, &refs);
        for row in &t.rows {
            table.push(
                row.iter()
                    .map(|c| match c {
                        Cell::Money(m) => rr::Cell::Money(*m),
                        Cell::Number(Some(d)) => rr::Cell::Number(*d),
                        Cell::Count(n) => rr::Cell::Count(*n),
                        Cell::Text(s) => rr::Cell::Text(s.clone()),
                        _ => rr::Cell::Empty,
                    })
                    .collect(),
            );
        }
        doc.blocks.push(rr::Block::Table(table));
    }
    doc
}

fn write_files(r: &Report, files: &ReportFiles) -> Result<(), CliError> {
    let write = |p: &Path, bytes: &[u8]| std::fs::write(p, bytes).map_err(|e| CliError::io(p, &e));
    if let Some(p) = &files.html {
        write(p, report::html(r).as_bytes())?;
    }
    if let Some(p) = &files.markdown {
        write(p, report::markdown(r).as_bytes())?;
    }
    if let Some(p) = &files.xlsx {
        let bytes = koperasi::reporting::render::xlsx(&to_document(r)).map_err(CliError::input)?;
        write(p, &bytes)?;
    }
    Ok(())
}

fn json<T: serde::Serialize>(v: &T) -> Result<serde_json::Value, CliError> {
    serde_json::to_value(v).map_err(|e| CliError::new("render", e.to_string()))
}

/// Runs a `koperasi plan` subcommand.
pub(crate) fn run(cmd: &PlanCommand, out: &Output) -> Result<ExitCode, CliError> {
    match cmd {
        PlanCommand::Assess(a) => {
            let plan: Plan = read_json(&a.input)?;
            let assessment = koperasi_planning::assess(&plan).map_err(CliError::input)?;
            let r = report::assessment_report(&assessment);
            write_files(&r, &a.files)?;
            let v = json(&assessment)?;
            out.emit(&v, || {
                let mut short = r.clone();
                // The readable summary leaves out the monthly tables (they are in the files
                // and in --json).
                short.blocks.retain(|b| match b {
                    Block::Table(t) => {
                        !t.title.starts_with("Proyeksi") && !t.title.starts_with("Neraca")
                    }
                    _ => true,
                });
                report::markdown(&short)
            });
        }
        PlanCommand::Map(m) => {
            let profile: Profile = read_json(&m.input)?;
            let weights: Weights = match &m.weights {
                Some(p) => read_json(p)?,
                None => Weights::default_profile(),
            };
            let mapped = mapping::map(&profile, &weights, &Assumptions::default())
                .map_err(CliError::input)?;
            let r = report::mapping_report(&mapped);
            write_files(&r, &m.files)?;
            out.emit(&json(&mapped)?, || report::markdown(&r));
        }
        PlanCommand::Rapb(a) => {
            let plan: Plan = read_json(&a.input)?;
            let projection = Prepared::new(&plan)
                .and_then(|p| p.project(&Scenario::base()))
                .map_err(CliError::input)?;
            let year = FiscalYear::new(a.year, a.fiscal_start_month).map_err(CliError::input)?;
            let budget = rapb::rapb(&projection, year).map_err(CliError::input)?;
            let r = report::rapb_report(&budget, &plan.name);
            write_files(&r, &a.files)?;
            out.emit(&json(&budget)?, || report::markdown(&r));
        }
        PlanCommand::Variance(a) => {
            let plan: Plan = read_json(&a.input)?;
            let text = std::fs::read_to_string(&a.book).map_err(|e| CliError::io(&a.book, &e))?;
            let book = Koperasi::from_json_lines(&text).map_err(CliError::input)?;
            let projection = Prepared::new(&plan)
                .and_then(|p| p.project(&Scenario::base()))
                .map_err(CliError::input)?;
            let actuals = actuals(&book, &projection, a.as_of)?;
            let v = rapb::variance(&projection, &actuals, &VarianceRules::default())
                .map_err(CliError::input)?;
            let r = report::variance_report(&v, &plan.name);
            write_files(&r, &a.files)?;
            out.emit(&json(&v)?, || report::markdown(&r));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn unit_kind(u: BusinessUnit) -> UnitKind {
    match u.number() {
        1 => UnitKind::SimpanPinjam,
        2 => UnitKind::Sembako,
        3 => UnitKind::Klinik,
        4 => UnitKind::Apotek,
        5 => UnitKind::ColdStorage,
        6 => UnitKind::Logistik,
        7 => UnitKind::KantorKoperasi,
        _ => UnitKind::Other,
    }
}

/// The book's actuals for every plan month that has ended by `as_of`.
fn actuals(
    book: &Koperasi,
    projection: &koperasi_planning::Projection,
    as_of: NaiveDate,
) -> Result<Actuals, CliError> {
    let mut months = Vec::new();
    for m in &projection.months {
        let period = Period::month(m.period.year(), m.period.month()).map_err(CliError::input)?;
        if period.end() > as_of {
            break;
        }
        let s = book.statements(period, None).map_err(CliError::input)?;
        let phu = &s.income_statement;
        let mut units: Vec<ActualUnit> = Vec::new();
        let mut cogs_total = Rupiah::ZERO;
        for u in &phu.by_unit {
            let Some(bu) = u.unit else { continue };
            let revenue =
                Rupiah::try_sum([u.member_revenue, u.non_member_revenue, u.other_revenue])
                    .map_err(CliError::input)?;
            cogs_total = cogs_total
                .checked_add(u.cost_of_sales)
                .map_err(CliError::input)?;
            units.push(ActualUnit::new(unit_kind(bu), revenue, u.cost_of_sales));
        }
        let other = phu
            .expenses
            .current
            .checked_sub(cogs_total)
            .map_err(CliError::input)?;
        months.push(ActualMonth::new(m.period, units, other));
    }
    Ok(Actuals::new(as_of, months))
}
