//! The `koperasi` command.
//!
//! Every subcommand prints a readable result (Indonesian labels) or, with `--json`, one JSON
//! document on stdout. Errors: one line on stderr and exit code 1; with `--json`, the object
//! `{"error": {"kind": …, "message": …}}` on stdout and exit code 1.

mod output;
// [subcommand modules: one line per crate]
mod demo;
mod health;
mod journal;
mod ledger;
mod loan;
mod nik;
mod qris;
mod serve;
mod shu;

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
    /// Run the HTTP server and live dashboard (`--demo`: the simulated city and demo users).
    Serve(serve::ServeArgs),
    /// Cooperative health assessment: score a cooperative, or the predikat of a score.
    #[command(subcommand)]
    Health(health::HealthCommand),
    /// Plaintext accounting: trial balance of an hledger/ledger-cli journal; export a ledger.
    #[command(subcommand)]
    Journal(journal::JournalCommand),
}

#[derive(Debug, Subcommand)]
enum AmountCommand {
    /// Parse an amount (strict machine form, e.g. 1234567.50) and show it in Indonesian style.
    Format {
        /// The amount.
        amount: String,
    },
    /// Split a total by weights so the parts add up exactly (largest remainder).
    Split {
        /// The total.
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
    let cli = Cli::parse();
    let out = Output::new(cli.json);
    match run(&cli, &out) {
        Ok(code) => code,
        Err(e) => out.fail(&e),
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
        Command::Serve(args) => serve::run(args).map(|()| ExitCode::SUCCESS),
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
