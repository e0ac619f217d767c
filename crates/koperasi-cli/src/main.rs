//! The `koperasi` command.
//!
//! Every subcommand prints a readable result (Indonesian labels) or, with `--json`, one JSON
//! document on stdout (schemas: `docs/cli-json.md`).
//!
//! # The error contract (README "Errors and exit codes", `docs/decisions.md`)
//!
//! * exit 0: success; exit 1: a failure (bad input data, an invalid payload, a failed check,
//!   an I/O error); exit 2: a usage error (the command line cannot be used as given: unknown
//!   option, missing or malformed argument, an option value out of range).
//! * Without `--json`: the result on stdout, errors as one line `error: …` on stderr (usage
//!   errors found by the argument parser add the usage hint below it).
//! * With `--json` anywhere on the command line (before `--`), also for usage errors:
//!   `{"error": {"kind", "message", "class"}}` on stdout. Checking subcommands (`qris parse`,
//!   `nik check`) print their full report with `"valid": false` instead, exit 1.
//! * A closed stdout (`… | head -1`) ends the command quietly with its own exit code.
//!
//! # How a subcommand plugs in
//!
//! 1. Put the code in its own file `src/<name>.rs` with a `clap` `Args`/`Subcommand` type and
//!    `pub(crate) fn run(args: &…, out: &Output) -> Result<ExitCode, CliError>`.
//! 2. Add `mod <name>;`, one variant to [`Command`] and one dispatch arm in [`run`] below (the
//!    marked places; one line each keeps parallel edits mergeable).
//! 3. Print ONLY through [`Output`] (`emit` for the result, `line` for streamed lines, `note`
//!    for stderr notes): `print!`/`println!` are denied in this crate, because the closed-pipe
//!    and write-error handling lives in `output.rs`.
//! 4. Return errors as [`CliError`]: `CliError::input(lib_error)` / `CliError::new(kind, msg)`
//!    for failures (exit 1), `CliError::usage(kind, msg)` for an option value that is out of
//!    range, checked before any work (exit 2). Never exit the process yourself: `main` maps the
//!    error to text or JSON and to the exit code. Messages name what and where, in one line,
//!    without internal type names.

#![deny(clippy::print_stdout)]

mod output;
// [subcommand modules: one line per crate]
mod demo;
mod export;
mod health;
mod journal;
mod ledger;
mod loan;
mod nik;
mod plan;
mod qris;
mod rat;
mod reconcile;
mod serve;
mod shu;
mod store;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::output::{CliError, Output};

/// Cooperative accounting for Indonesian koperasi (Koperasi Desa/Kelurahan Merah Putih).
#[derive(Debug, Parser)]
#[command(name = "koperasi", version, about, long_about = None)]
struct Cli {
    /// Print machine-readable JSON instead of a readable table.
    #[arg(long, global = true)]
    json: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
#[allow(
    clippy::large_enum_variant,
    reason = "command-line arguments, parsed once per process"
)]
enum Command {
    /// Amount utilities: parse and format rupiah amounts, split a total exactly.
    #[command(subcommand)]
    Amount(AmountCommand),
    // [subcommand variants: one per crate]
    /// The city demo: simulate the KKMP of a city for a year and write the monitoring reports.
    Demo(demo::DemoArgs),
    /// QRIS: parse and validate a payload, make it dynamic for one payment, build one.
    #[command(subcommand)]
    Qris(qris::QrisCommand),
    /// NIK: validate and decode a population number (province, birth date, gender, serial).
    #[command(subcommand)]
    Nik(nik::NikCommand),
    /// Loan schedules: flat, annuity and equal-principal (jadwal angsuran).
    #[command(subcommand)]
    Loan(loan::LoanCommand),
    /// Ledger: check a JSON Lines journal and its audit log; print its trial balance.
    #[command(subcommand)]
    Ledger(ledger::LedgerCommand),
    /// SHU: allocate the year's SHU to funds and distribute jasa modal / jasa usaha to members.
    #[command(subcommand)]
    Shu(shu::ShuCommand),
    /// Run the HTTP server and live dashboard over a store (`--admin NAME` creates the first
    /// city administrator of an empty store; `--demo`: the simulated city and demo users).
    Serve(serve::ServeArgs),
    /// Cooperative health assessment: score a cooperative, or the predikat of a score.
    #[command(subcommand)]
    Health(health::HealthCommand),
    /// Plaintext accounting: trial balance of an hledger/ledger-cli journal; export a ledger.
    #[command(subcommand)]
    Journal(journal::JournalCommand),
    /// Business planning: potential mapping, plan feasibility and financing, RAPB, plan versus
    /// actual.
    #[command(subcommand)]
    Plan(plan::PlanCommand),
    /// Bank reconciliation: match a bank statement (MT940, CSV, XLSX) to a ledger account.
    Reconcile(reconcile::ReconcileArgs),
    /// Durable store (a database file or a postgres:// URL): import and export event logs, verify.
    #[command(subcommand)]
    Store(store::StoreCommand),
    /// Exports from a book: `simkopdes` (the fields SIMKOPDES tracks; nothing is uploaded).
    #[command(subcommand)]
    Export(export::ExportCommand),
    /// The RAT package of a closed year from a book: member statements, loan portfolio, SHU,
    /// statements, health — HTML, XLSX, CSV.
    Rat(rat::RatArgs),
}

#[derive(Debug, Subcommand)]
enum AmountCommand {
    /// Parse an amount (strict machine form, e.g. 1234567.50) and show it in Indonesian style.
    Format {
        /// The amount.
        #[arg(allow_negative_numbers = true)]
        amount: String,
    },
    /// Split a total by weights so the parts add up exactly (largest remainder).
    Split {
        /// The total.
        #[arg(allow_negative_numbers = true)]
        total: String,
        /// The weights (non-negative decimals).
        #[arg(required = true, num_args = 1..)]
        weights: Vec<String>,
        /// Granularity of the parts (default Rp1).
        #[arg(long, default_value = "1")]
        unit: String,
    },
}

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let json = output::json_requested(&args);
    let out = Output::new(json);
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => return output::finish(usage_error(&e, out)),
    };
    let code = match run(&cli, &out) {
        Ok(code) => code,
        Err(e) => out.fail(&e),
    };
    output::finish(code)
}

/// Reports an error of the argument parser: `--help`/`--version` print on stdout (exit 0);
/// everything else is a usage error (exit 2), as JSON when `--json` was given.
fn usage_error(e: &clap::Error, out: Output) -> ExitCode {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            out.line(e.render().to_string().trim_end());
            ExitCode::SUCCESS
        }
        kind if out.is_json() => {
            let kind = if kind == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                "missing_subcommand".to_owned()
            } else {
                output::kind_of(&kind)
            };
            out.fail(&CliError::usage(kind, usage_message(e)))
        }
        _ => {
            // Clap's own rendering on stderr: the `error: …` line, then the usage hint.
            let _ = e.print();
            ExitCode::from(output::EXIT_USAGE)
        }
    }
}

/// The one-line message of a parser error: everything before its usage hint, joined.
fn usage_message(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let parts: Vec<&str> = text
        .lines()
        .map(str::trim)
        .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
        .filter(|l| !l.is_empty())
        .map(|l| l.strip_prefix("error: ").unwrap_or(l))
        .collect();
    if parts.is_empty() {
        "a subcommand is required (try --help)".to_owned()
    } else {
        parts.join(" ")
    }
}

fn run(cli: &Cli, out: &Output) -> Result<ExitCode, CliError> {
    match &cli.command {
        Command::Amount(cmd) => amount(cmd, out),
        // [subcommand dispatch: one arm per crate]
        Command::Demo(args) => demo::run(args, out),
        Command::Qris(cmd) => qris::run(cmd, out),
        Command::Nik(cmd) => nik::run(cmd, out),
        Command::Loan(cmd) => loan::run(cmd, out),
        Command::Ledger(cmd) => ledger::run(cmd, out),
        Command::Shu(cmd) => shu::run(cmd, out),
        Command::Health(cmd) => health::run(cmd, out),
        Command::Journal(cmd) => journal::run(cmd, out),
        Command::Plan(cmd) => plan::run(cmd, out),
        Command::Reconcile(args) => reconcile::run(args, out),
        Command::Store(cmd) => store::run(cmd, out),
        Command::Serve(args) => serve::run(args, out).map(|()| ExitCode::SUCCESS),
        Command::Export(cmd) => export::run(cmd, out),
        Command::Rat(args) => rat::run(args, out),
    }
}

fn amount(cmd: &AmountCommand, out: &Output) -> Result<ExitCode, CliError> {
    use koperasi::core::{Decimal, Rupiah, split_exact};
    match cmd {
        AmountCommand::Format { amount } => {
            let r: Rupiah = amount.parse().map_err(CliError::input)?;
            out.emit(
                &serde_json::json!({"amount": r.plain().to_string(), "display": r.to_string()}),
                || r.to_string(),
            );
        }
        AmountCommand::Split {
            total,
            weights,
            unit,
        } => {
            let total: Rupiah = total.parse().map_err(CliError::input)?;
            let unit: Rupiah = unit.parse().map_err(CliError::input)?;
            let w = weights
                .iter()
                .map(|s| {
                    Decimal::from_str_exact(s).map_err(|e| {
                        CliError::new("invalid_weight", format!("invalid weight {s:?}: {e}"))
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let parts = split_exact(total, &w, unit).map_err(CliError::input)?;
            out.emit(
                &serde_json::json!({
                    "total": total.plain().to_string(),
                    "parts": parts.iter().map(|p| p.plain().to_string()).collect::<Vec<_>>(),
                }),
                || {
                    parts
                        .iter()
                        .enumerate()
                        .map(|(i, p)| format!("bagian {}: {p}", i + 1))
                        .collect::<Vec<_>>()
                        .join("\n")
                },
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
