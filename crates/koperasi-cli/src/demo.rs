//! `koperasi demo`: the city simulation and its reports. Everything it writes is SIMULASI.

use std::collections::BTreeSet;
use std::io::IsTerminal as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
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
    // Each cooperative's ledger and event log (most of the bytes) are written by worker
    // threads while this thread builds and writes the city report.
    let workers = if args.threads == 0 {
        std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
    } else {
        args.threads
    }
    .clamp(1, city.len().max(1));
    let next = AtomicUsize::new(0);
    let (report, mut names) = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| -> Result<(), CliError> {
                    while let Some(c) = city.get(next.fetch_add(1, Ordering::Relaxed)) {
                        write_book(&args.out, c, args.year)?;
                    }
                    Ok(())
                })
            })
            .collect();
        let report = write_report(args, &city);
        for h in handles {
            h.join()
                .map_err(|_| CliError::new("internal", "a writer thread panicked"))??;
        }
        report
    })?;
    for c in &city {
        names.extend(book_files(c, args.year).map(|(rel, _)| rel));
    }
    finish(&args.out, &names)?;
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
            "files": names.len(),
            "seconds": total.as_secs_f64(),
        }),
        || {
            format!(
                "{}\nWaktu: simulasi {:.2} s, total {:.2} s\nLaporan: {} berkas di {} (buka {})",
                report.summary(),
                simulated.as_secs_f64(),
                total.as_secs_f64(),
                names.len(),
                args.out.display(),
                args.out.join("index.html").display()
            )
        },
    );
    Ok(ExitCode::SUCCESS)
}

/// The city report of the simulated `city` as of its books' last day, written under
/// `--out`; returns the report and the paths written.
fn write_report(
    args: &DemoArgs,
    city: &[koperasi_sim::SimulatedCoop],
) -> Result<(CityReport, BTreeSet<String>), CliError> {
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
    let files = report.files().map_err(CliError::input)?;
    let mut names = BTreeSet::new();
    for (rel, contents) in files {
        write(&args.out.join(&rel), contents.as_bytes())?;
        names.insert(rel);
    }
    Ok((report, names))
}

/// The files of one cooperative's books: (relative path, which).
fn book_files(
    c: &koperasi_sim::SimulatedCoop,
    year: i32,
) -> impl Iterator<Item = (String, BookFile)> + use<> {
    let dir = format!("koperasi/{}", c.code);
    [
        (format!("{dir}/ledger.jsonl"), BookFile::Ledger),
        (format!("{dir}/events.jsonl"), BookFile::Events),
        (crate::rat::demo_package_path(&c.code, year), BookFile::Rat),
    ]
    .into_iter()
}

#[derive(Clone, Copy)]
enum BookFile {
    Ledger,
    Events,
    Rat,
}

/// Writes one cooperative's ledger (JSON Lines, streamed record by record: the same bytes as
/// `Ledger::to_jsonl`), event log and RAT package of `year`.
fn write_book(root: &Path, c: &koperasi_sim::SimulatedCoop, year: i32) -> Result<(), CliError> {
    for (rel, which) in book_files(c, year) {
        let path = root.join(&rel);
        match which {
            BookFile::Ledger => {
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir).map_err(|e| CliError::io(dir, &e))?;
                }
                let file = std::fs::File::create(&path).map_err(|e| CliError::io(&path, &e))?;
                let mut w = std::io::BufWriter::with_capacity(1 << 16, file);
                for r in c.book.ledger().records() {
                    serde_json::to_writer(&mut w, &r)
                        .map_err(|e| CliError::new("io", format!("{}: {e}", path.display())))?;
                    w.write_all(b"\n").map_err(|e| CliError::io(&path, &e))?;
                }
                w.flush().map_err(|e| CliError::io(&path, &e))?;
            }
            BookFile::Events => {
                let text = c.book.to_json_lines().map_err(CliError::input)?;
                write(&path, text.as_bytes())?;
            }
            BookFile::Rat => {
                let (_, html) = crate::rat::demo_package(c, year)?;
                write(&path, html.as_bytes())?;
            }
        }
    }
    Ok(())
}

/// Removes the files a previous demo listed in its manifest under `root` and this one did
/// not write (`names`), and the directories that leaves empty, then writes the new
/// manifest. Nothing else in `root` is touched.
fn finish(root: &Path, new: &BTreeSet<String>) -> Result<(), CliError> {
    let old: BTreeSet<String> = std::fs::read_to_string(root.join(MANIFEST))
        .map(|s| s.lines().map(str::to_owned).collect())
        .unwrap_or_default();
    for rel in old.difference(new) {
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
    for r in new {
        manifest.push_str(r);
        manifest.push('\n');
    }
    write(&root.join(MANIFEST), manifest.as_bytes())
}

fn write(path: &Path, contents: &[u8]) -> Result<(), CliError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| CliError::io(dir, &e))?;
    }
    std::fs::write(path, contents).map_err(|e| CliError::io(path, &e))
}
