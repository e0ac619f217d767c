//! `koperasi demo`: the city simulation and its reports.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;
use koperasi::city::{CityEntry, CityReport};
use koperasi_sim::{SimConfig, simulate_city};

use crate::output::{CliError, Output};

/// Options of `koperasi demo`.
#[derive(Debug, Args)]
pub(crate) struct DemoArgs {
    /// Number of cooperatives (Kota Probolinggo supervises 29 KKMP).
    #[arg(long, default_value_t = 29)]
    coops: usize,
    /// Members registered per cooperative.
    #[arg(long, default_value_t = 300)]
    members_per_coop: usize,
    /// Seed of the simulation (the same seed gives the same city, byte for byte).
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    /// The fiscal year simulated.
    #[arg(long, default_value_t = 2026)]
    year: i32,
    /// Directory for the reports (created if missing).
    #[arg(long, default_value = "laporan")]
    out: PathBuf,
    /// Worker threads (0 = all cores).
    #[arg(long, default_value_t = 0)]
    threads: usize,
    /// Also write the simulated books into a store: a database file path or a postgres:// URL.
    #[arg(long)]
    db: Option<String>,
}

pub(crate) fn run(args: &DemoArgs, out: &Output) -> Result<ExitCode, CliError> {
    if args.coops == 0 || args.members_per_coop == 0 {
        return Err(CliError::new(
            "invalid_argument",
            "--coops and --members-per-coop must be at least 1",
        ));
    }
    let start = Instant::now();
    let cfg = SimConfig::new(args.coops, args.members_per_coop, args.seed)
        .with_year(args.year)
        .with_threads(args.threads);
    let progress = |done: usize, total: usize| {
        if !out.is_json() {
            eprint!("\rsimulasi: {done}/{total} koperasi");
            if done == total {
                eprintln!();
            }
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
    let report =
        CityReport::build("Kota Probolinggo", &entries, args.year).map_err(CliError::input)?;
    let files = report.files().map_err(CliError::input)?;
    for (rel, contents) in &files {
        write(&args.out.join(rel), contents)?;
    }
    let total = start.elapsed();
    let t = &report.view.totals;
    out.emit(
        &serde_json::json!({
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

fn write(path: &Path, contents: &str) -> Result<(), CliError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| CliError::io(dir, &e))?;
    }
    std::fs::write(path, contents).map_err(|e| CliError::io(path, &e))
}
