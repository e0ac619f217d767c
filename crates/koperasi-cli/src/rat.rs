//! `koperasi rat`: the RAT package (laporan pertanggungjawaban) of a closed fiscal year from a
//! book's event log — member statements, the loan portfolio with its PPAP, the SHU report,
//! the statements with the prior year, the health assessment — as one HTML file, an XLSX
//! workbook and/or CSV files (one per table).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use koperasi::Koperasi;
use koperasi::city::ManagementAnswers;
use koperasi::core::MemberId;
use koperasi::rat::{self, RatOptions, Reader};

use crate::output::{CliError, Output};

#[derive(Debug, Args)]
pub(crate) struct RatArgs {
    /// The book's event log (JSON Lines, `Koperasi::to_json_lines`).
    #[arg(long)]
    events: PathBuf,
    /// The closed fiscal year (named by the calendar year it starts in).
    #[arg(long)]
    year: i32,
    /// Directory for the files (created if missing): `rat_<year>.html`, `rat_<year>.xlsx`,
    /// `rat_<year>_csv/NN_<part>_<table>.csv`.
    #[arg(long)]
    out: PathBuf,
    /// Formats, comma-separated: html, xlsx, csv.
    #[arg(long, value_delimiter = ',', default_value = "html,xlsx,csv")]
    format: Vec<String>,
    /// Who reads it: `officer` (every member's statement), `member:<ID>` (their own, NIK in
    /// full), `public` (no member statements, no borrowers). NIKs are masked for anyone but
    /// the member themself.
    #[arg(long, default_value = "officer")]
    reader: String,
    /// Leave members' names out (member numbers only).
    #[arg(long)]
    no_names: bool,
    /// The management questionnaires of the health assessment (JSON:
    /// `{"umum":{"questions":12,"yes":10},"kelembagaan":…,"permodalan":…,"aktiva":…,"likuiditas":…}`);
    /// without it the package has no health assessment.
    #[arg(long)]
    management: Option<PathBuf>,
    /// The book is simulated: every file says SIMULASI.
    #[arg(long)]
    simulated: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Html,
    Xlsx,
    Csv,
}

fn formats(list: &[String]) -> Result<Vec<Format>, CliError> {
    let mut out = Vec::new();
    for f in list {
        let f = match f.trim().to_ascii_lowercase().as_str() {
            "html" => Format::Html,
            "xlsx" => Format::Xlsx,
            "csv" => Format::Csv,
            other => {
                return Err(CliError::usage(
                    "format",
                    format!("--format: unknown format {other:?} (html, xlsx, csv)"),
                ));
            }
        };
        if !out.contains(&f) {
            out.push(f);
        }
    }
    if out.is_empty() {
        return Err(CliError::usage("format", "--format: no format given"));
    }
    Ok(out)
}

fn reader(s: &str) -> Result<Reader, CliError> {
    match s.trim() {
        "officer" => Ok(Reader::Officer),
        "public" => Ok(Reader::Public),
        other => {
            let id = other
                .strip_prefix("member:")
                .and_then(|id| id.parse::<MemberId>().ok())
                .ok_or_else(|| {
                    CliError::usage(
                        "reader",
                        format!("--reader: {other:?} is not officer, public or member:<ID>"),
                    )
                })?;
            Ok(Reader::Member(id))
        }
    }
}

fn management(path: &Path) -> Result<ManagementAnswers, CliError> {
    let text = std::fs::read_to_string(path).map_err(|e| CliError::io(path, &e))?;
    let m: ManagementAnswers = serde_json::from_str(&text).map_err(|e| {
        CliError::new(
            "management",
            format!("{}: not management answers: {e}", path.display()),
        )
    })?;
    for ((key, q), max) in m.by_key().iter().zip(ManagementAnswers::QUESTIONS) {
        if q.questions == 0 || q.questions > max || q.yes > q.questions {
            return Err(CliError::new(
                "management",
                format!(
                    "{}: {key}: {} ya of {} questions (the worksheet has {max}; ya at most the questions)",
                    path.display(),
                    q.yes,
                    q.questions
                ),
            ));
        }
    }
    Ok(m)
}

fn write(path: &Path, body: &[u8]) -> Result<(), CliError> {
    std::fs::write(path, body).map_err(|e| CliError::io(path, &e))
}

pub(crate) fn run(args: &RatArgs, out: &Output) -> Result<ExitCode, CliError> {
    let formats = formats(&args.format)?;
    let reader = reader(&args.reader)?;
    let mut options = RatOptions::new(reader).simulated(args.simulated);
    if args.no_names {
        options = options.with_names(false);
    }
    if let Some(p) = &args.management {
        options = options.with_management(management(p)?);
    }
    let text = std::fs::read_to_string(&args.events).map_err(|e| CliError::io(&args.events, &e))?;
    let book = Koperasi::from_json_lines(&text).map_err(CliError::input)?;
    let package = rat::build(&book, args.year, &options).map_err(CliError::input)?;
    std::fs::create_dir_all(&args.out).map_err(|e| CliError::io(&args.out, &e))?;
    let mut files = Vec::new();
    let stem = format!("rat_{}", args.year);
    for f in formats {
        match f {
            Format::Html => {
                let p = args.out.join(format!("{stem}.html"));
                write(&p, package.html().map_err(CliError::input)?.as_bytes())?;
                files.push(p);
            }
            Format::Xlsx => {
                let p = args.out.join(format!("{stem}.xlsx"));
                write(&p, &package.xlsx().map_err(CliError::input)?)?;
                files.push(p);
            }
            Format::Csv => {
                let dir = args.out.join(format!("{stem}_csv"));
                std::fs::create_dir_all(&dir).map_err(|e| CliError::io(&dir, &e))?;
                for (name, body) in package.csv_files().map_err(CliError::input)? {
                    let p = dir.join(name);
                    write(&p, body.as_bytes())?;
                    files.push(p);
                }
            }
        }
    }
    let names: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    out.emit(
        &serde_json::json!({
            "cooperative": package.cooperative,
            "year": package.year,
            "reader": package.reader,
            "simulated": package.simulated,
            "members": package.members.len(),
            "loans": package.portfolio.loans.len(),
            "ppap_required": package.portfolio.reserve_required.total.plain().to_string(),
            "shu": package.shu.shu.plain().to_string(),
            "health": package.health.as_ref().map(|a| a.total.to_string()),
            "files": names,
        }),
        || {
            format!(
                "{}Paket RAT tahun buku {} — {} (untuk {}): {} laporan anggota, {} pinjaman, PPAP {}, SHU {} → {} berkas di {}",
                if package.simulated { "SIMULASI — " } else { "" },
                package.year,
                package.cooperative,
                package.reader,
                package.members.len(),
                package.portfolio.loans.len(),
                package.portfolio.reserve_required.total,
                package.shu.shu,
                files.len(),
                args.out.display()
            )
        },
    );
    Ok(ExitCode::SUCCESS)
}

/// The demo's RAT package of one simulated cooperative: `koperasi/<code>/rat_<year>.html`, an
/// officer's package with the simulated management answers, labelled SIMULASI.
pub(crate) fn demo_package(
    c: &koperasi_sim::SimulatedCoop,
    year: i32,
) -> Result<(String, String), CliError> {
    let options = RatOptions::new(Reader::Officer)
        .with_management(c.management)
        .simulated(true);
    let package = rat::build(&c.book, year, &options).map_err(CliError::input)?;
    Ok((
        demo_package_path(&c.code, year),
        package.html().map_err(CliError::input)?,
    ))
}

/// Where the demo writes a cooperative's RAT package, relative to `--out`.
pub(crate) fn demo_package_path(code: &str, year: i32) -> String {
    format!("koperasi/{code}/rat_{year}.html")
}
