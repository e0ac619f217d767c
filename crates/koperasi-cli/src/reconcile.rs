//! `koperasi reconcile`: match bank statements to a ledger account (bank reconciliation).
//!
//! Exit codes (issue 18): 0 when everything reconciles; 1 when items remain unmatched or a
//! check failed (the report is printed); 2 when the input is unusable (a file that cannot be
//! read as a ledger or a statement, a mapping that does not fit, an unknown account).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use koperasi::ledger::Ledger;
use koperasi_reconcile::{
    Config, Mapping, MdrSchedule, MerchantCategory, QrisMapping, QrisRule, Statement, mt940,
};

use crate::output::{CliError, Output};

/// Statement formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// SWIFT MT940.
    Mt940,
    /// CSV through a column mapping.
    Csv,
    /// XLSX through a column mapping.
    Xlsx,
    /// A QRIS acquirer's settlement report (CSV, the standard QRIS mapping), reconciled
    /// against the QRIS receivable account (e.g. 1-1-09): sales by RRN, settlements by
    /// amount; MDR checked against the schedule.
    Qris,
}

/// Merchant category for the QRIS MDR schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Category {
    /// Usaha mikro: 0% up to Rp500.000, 0,3% above (since 1 Dec 2024).
    Micro,
    /// Regular merchant: 0,7%.
    Regular,
    /// SPBU, BLU, PSO: 0,4%.
    Special,
    /// G2P, P2G, donations: 0%.
    Zero,
}

#[derive(Debug, Args)]
pub(crate) struct ReconcileArgs {
    /// The ledger (JSON Lines journal, as `koperasi ledger check` reads).
    #[arg(long)]
    ledger: PathBuf,
    /// The ledger account to reconcile (the bank account, e.g. 1-1-02).
    #[arg(long)]
    account: String,
    /// A statement file; repeat for several (duplicate lines across them are skipped).
    #[arg(long, required = true)]
    statement: Vec<PathBuf>,
    /// Statement format (default: from the extension: .sta/.mt940/.940/.txt → mt940,
    /// .csv → csv, .xlsx → xlsx; a QRIS report needs --format qris).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Column mapping for CSV/XLSX: a preset (bri, bni, mandiri) or a TOML mapping file.
    #[arg(long)]
    mapping: Option<String>,
    /// Days a bank line may lie from its book line.
    #[arg(long, default_value_t = 3)]
    window: u32,
    /// Merchant category for QRIS settlements (MDR schedule).
    #[arg(long, value_enum, default_value_t = Category::Micro)]
    qris_category: Category,
    /// Also write the report as HTML to this file.
    #[arg(long)]
    html: Option<PathBuf>,
    /// Also write the report as XLSX to this file.
    #[arg(long)]
    xlsx: Option<PathBuf>,
}

/// Unusable input: exit 2.
fn unusable<E: std::fmt::Debug + std::fmt::Display>(e: E) -> CliError {
    let c = CliError::input(e);
    CliError::usage(c.kind, c.message)
}

fn read(path: &Path) -> Result<Vec<u8>, CliError> {
    std::fs::read(path).map_err(|e| {
        let c = CliError::io(path, &e);
        CliError::usage(c.kind, c.message)
    })
}

fn mapping(spec: Option<&str>) -> Result<Mapping, CliError> {
    let Some(spec) = spec else {
        return Err(CliError::usage(
            "missing_mapping",
            "a CSV or XLSX statement needs --mapping bri|bni|mandiri|FILE.toml",
        ));
    };
    if let Some(m) = Mapping::preset(spec) {
        return Ok(m);
    }
    let path = Path::new(spec);
    let text = String::from_utf8(read(path)?)
        .map_err(|_| CliError::usage("mapping", format!("{spec}: not UTF-8 text")))?;
    toml::from_str::<Mapping>(&text).map_err(|e| CliError::usage("mapping", format!("{spec}: {e}")))
}

fn format_of(path: &Path, given: Option<Format>) -> Result<Format, CliError> {
    if let Some(f) = given {
        return Ok(f);
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "sta" | "mt940" | "940" | "txt" => Ok(Format::Mt940),
        "csv" => Ok(Format::Csv),
        "xlsx" => Ok(Format::Xlsx),
        _ => Err(CliError::usage(
            "unknown_format",
            format!(
                "{}: cannot tell the format from the extension; give --format mt940|csv|xlsx",
                path.display()
            ),
        )),
    }
}

pub(crate) fn run(args: &ReconcileArgs, out: &Output) -> Result<ExitCode, CliError> {
    let text = String::from_utf8(read(&args.ledger)?).map_err(|_| {
        CliError::usage(
            "ledger",
            format!("{}: not UTF-8 text", args.ledger.display()),
        )
    })?;
    let ledger = Ledger::from_jsonl(&text).map_err(unusable)?;
    let category = match args.qris_category {
        Category::Micro => MerchantCategory::Micro,
        Category::Regular => MerchantCategory::Regular,
        Category::Special => MerchantCategory::Special,
        Category::Zero => MerchantCategory::Zero,
    };
    let mut qris_report = false;
    let mut statements: Vec<Statement> = Vec::new();
    for path in &args.statement {
        let bytes = read(path)?;
        let name = path.display().to_string();
        match format_of(path, args.format)? {
            Format::Mt940 => statements.extend(mt940::parse(&name, &bytes).map_err(unusable)?),
            Format::Csv => statements.push(
                mapping(args.mapping.as_deref())?
                    .import_csv(&name, &bytes)
                    .map_err(unusable)?,
            ),
            Format::Xlsx => statements.push(
                mapping(args.mapping.as_deref())?
                    .import_xlsx(&name, &bytes)
                    .map_err(unusable)?,
            ),
            Format::Qris => {
                qris_report = true;
                let report = QrisMapping::standard()
                    .import_csv(&name, &bytes, &MdrSchedule::bank_indonesia(), category)
                    .map_err(unusable)?;
                statements.push(report.to_statement().map_err(unusable)?);
            }
        }
    }
    let mut config = Config::default();
    config.window_days = args.window;
    if qris_report {
        // the receivable: sales and settlements only, no bank rules
        config.rules.clear();
        config.qris = None;
    } else {
        config.qris = Some(QrisRule::standard(category));
    }
    let r = koperasi_reconcile::reconcile(&ledger, &args.account, &statements, &config)
        .map_err(unusable)?;
    if let Some(p) = &args.html {
        std::fs::write(p, r.to_html()).map_err(|e| CliError::io(p, &e))?;
    }
    if let Some(p) = &args.xlsx {
        let bytes = r.to_xlsx().map_err(CliError::input)?;
        std::fs::write(p, bytes).map_err(|e| CliError::io(p, &e))?;
    }
    let json = r.to_json().map_err(CliError::input)?;
    out.emit(&json, || r.to_text().trim_end().to_owned());
    Ok(if r.is_reconciled() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
