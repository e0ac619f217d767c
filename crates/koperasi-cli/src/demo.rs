//! `koperasi demo`: the city simulation and its reports. Everything it writes is SIMULASI.

use std::collections::BTreeSet;
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use koperasi::city::{CityEntry, CityReport};
use koperasi::core::chrono::NaiveDate;
use koperasi::reporting::city::ThresholdSchedule;
use koperasi_sim::{SimConfig, simulate_city};

use crate::output::{CliError, Output};

/// Options of `koperasi demo`.
#[derive(Debug, Args)]
pub(crate) struct DemoArgs {
    /// Number of cooperatives, 1–500 (Kota Probolinggo supervises 29 KKMP); at most 200000
    /// members in all.
    #[arg(long, default_value_t = 29)]
    coops: usize,
    /// Members registered per cooperative, 1–5000.
    #[arg(long, default_value_t = 300)]
    members_per_coop: usize,
    /// Seed of the simulation (the same seed gives the same city, byte for byte).
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    /// The fiscal year simulated, 2020–2100.
    #[arg(long, default_value_t = 2026)]
    year: i32,
    /// Directory for the reports (created if missing). Files a previous demo wrote there and
    /// this one does not are removed (only those: the list is kept in `.koperasi-demo`).
    #[arg(long, default_value = "laporan")]
    out: PathBuf,
    /// Worker threads, 0–256 (0 = all cores).
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Also write the simulated books into a store: a database file path or a postgres:// URL.
    #[arg(long)]
    db: Option<String>,
}

/// The accepted range of each numeric option: (option, lowest, highest).
pub(crate) const LIMITS: [(&str, i64, i64); 4] = [
    ("--coops", 1, 500),
    ("--members-per-coop", 1, 5000),
    ("--year", 2020, 2100),
    ("--threads", 0, 256),
];

/// The most members simulated in all (`--coops` × `--members-per-coop`): every book is held
/// in memory until the reports are written (about 23 times the default city).
pub(crate) const MAX_MEMBERS: usize = 200_000;

/// The manifest of the files the demo wrote, relative to `--out`, one per line.
const MANIFEST: &str = ".koperasi-demo";

/// Checks every option against [`LIMITS`] before any work.
fn validate(args: &DemoArgs) -> Result<(), CliError> {
    let values = [
        i64::try_from(args.coops).unwrap_or(i64::MAX),
        i64::try_from(args.members_per_coop).unwrap_or(i64::MAX),
        i64::from(args.year),
        i64::try_from(args.threads).unwrap_or(i64::MAX),
    ];
    for ((name, lo, hi), v) in LIMITS.iter().zip(values) {
        if v < *lo || v > *hi {
            return Err(CliError::new(
                "invalid_argument",
                format!("{name} must be between {lo} and {hi} (got {v})"),
            ));
        }
    }
    let total = args.coops.saturating_mul(args.members_per_coop);
    if total > MAX_MEMBERS {
        return Err(CliError::new(
            "invalid_argument",
            format!(
                "--coops × --members-per-coop must be at most {MAX_MEMBERS} (got {} × {} = {total})",
                args.coops, args.members_per_coop
            ),
        ));
    }
    Ok(())
}

pub(crate) fn run(args: &DemoArgs, out: &Output) -> Result<ExitCode, CliError> {
    validate(args)?;
    let start = Instant::now();
    let cfg = SimConfig::new(args.coops, args.members_per_coop, args.seed)
        .with_year(args.year)
        .with_threads(args.threads);
    let terminal = std::io::stderr().is_terminal();
    let progress = |done: usize, total: usize| {
        if out.is_json() {
            return;
        }
        if terminal {
            eprint!("\rsimulasi: {done}/{total} koperasi");
            if done == total {
                eprintln!();
            }
        } else if done == total {
            eprintln!("simulasi: {done}/{total} koperasi");
        }
    };
    let city = simulate_city(&cfg, &progress).map_err(CliError::input)?;
    if let Some(db) = &args.db {
        crate::store::write_books(db, city.iter().map(|c| &c.book))?;
    }
    let simulated = start.elapsed();
    let entries: Vec<CityEntry<'_>> = city
        .iter()
        .map(|c| {
            CityEntry::new(&c.code, &c.name, &c.book, &c.management).with_label(c.profile.label())
        })
        .collect();
    // The report is made on the books' last day (after the RAT of the year); every figure is
    // as of the year's end.
    let as_of = city
        .iter()
        .map(|c| c.book.last_date())
        .max()
        .or_else(|| NaiveDate::from_ymd_opt(args.year, 12, 31))
        .ok_or_else(|| CliError::new("invalid_argument", "--year out of range"))?;
    let report = CityReport::build(
        "Kota Probolinggo",
        &entries,
        args.year,
        as_of,
        &ThresholdSchedule::default(),
    )
    .map_err(CliError::input)?
    .simulated();
    let mut files = report.files().map_err(CliError::input)?;
    for c in &city {
        let dir = format!("koperasi/{}", c.code);
        files.push((
            format!("{dir}/ledger.jsonl"),
            c.book.ledger().to_jsonl().map_err(CliError::input)?,
        ));
        files.push((
            format!("{dir}/events.jsonl"),
            c.book.to_json_lines().map_err(CliError::input)?,
        ));
        files.push(crate::rat::demo_package(c, args.year)?);
    }
    write_all(&args.out, &files)?;
    let total = start.elapsed();
    let t = &report.view.totals;
    out.emit(
        &serde_json::json!({
            "simulated": true,
            "cooperatives": t.cooperatives,
            "anggota": t.anggota,
            "calon_anggota": t.calon_anggota,
            "savings_total": report.view.total_metrics.savings_total.plain().to_string(),
            "loans_outstanding": report.view.total_metrics.loans_outstanding.plain().to_string(),
            "flags": report.view.flags.len(),
            "entries": report.cooperatives.iter().map(|c| c.entries).sum::<usize>(),
            "controls_reconcile": report.cooperatives.iter().all(|c| c.controls_reconcile),
            "audit_roots": report.cooperatives.iter().map(|c| serde_json::json!({"code": c.code, "size": c.audit_size, "root": c.audit_root})).collect::<Vec<_>>(),
            "out": args.out.display().to_string(),
            "files": files.len(),
            "seconds": total.as_secs_f64(),
        }),
        || {
            format!(
                "{}\nWaktu: simulasi {:.2} s, total {:.2} s\nLaporan: {} berkas di {} (buka {})",
                report.summary(),
                simulated.as_secs_f64(),
                total.as_secs_f64(),
                files.len(),
                args.out.display(),
                args.out.join("index.html").display()
            )
        },
    );
    Ok(ExitCode::SUCCESS)
}

/// Writes `files` under `root`, then removes the files a previous demo listed in its
/// manifest and this one did not write (and the directories that leaves empty), then writes
/// the new manifest. Nothing else in `root` is touched.
fn write_all(root: &Path, files: &[(String, String)]) -> Result<(), CliError> {
    let old: BTreeSet<String> = std::fs::read_to_string(root.join(MANIFEST))
        .map(|s| s.lines().map(str::to_owned).collect())
        .unwrap_or_default();
    let new: BTreeSet<String> = files.iter().map(|(rel, _)| rel.clone()).collect();
    for (rel, contents) in files {
        write(&root.join(rel), contents)?;
    }
    for rel in old.difference(&new) {
        // Only plain relative paths the demo itself writes (no `..`, not absolute).
        let path = Path::new(rel);
        if rel.is_empty()
            || path.is_absolute()
            || path
                .components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)))
        {
            continue;
        }
        let full = root.join(path);
        match std::fs::remove_file(&full) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(CliError::io(&full, &e)),
        }
        // Remove the directories this leaves empty, up to (not including) `root`.
        let mut dir = full.parent();
        while let Some(d) = dir {
            if d == root || std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
    let mut manifest = String::new();
    for r in &new {
        manifest.push_str(r);
        manifest.push('\n');
    }
    write(&root.join(MANIFEST), &manifest)
}

fn write(path: &Path, contents: &str) -> Result<(), CliError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| CliError::io(dir, &e))?;
    }
    std::fs::write(path, contents).map_err(|e| CliError::io(path, &e))
}
