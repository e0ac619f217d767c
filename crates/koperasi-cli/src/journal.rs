//! `koperasi journal`: plaintext-accounting interop (hledger / ledger-cli / beancount).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use koperasi::reporting::{interop, plaintext, render};

use crate::output::{CliError, Output};

/// Output format of `journal export`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum Format {
    /// hledger / ledger-cli journal.
    Hledger,
    /// Beancount.
    Beancount,
}

#[derive(Debug, Subcommand)]
pub(crate) enum JournalCommand {
    /// Export a ledger (JSON Lines journal file of koperasi-ledger) as an hledger/ledger-cli
    /// journal or a beancount file, on stdout.
    Export {
        /// Output format.
        #[arg(long, value_enum)]
        format: Format,
        /// The ledger's JSON Lines journal file.
        ledger: PathBuf,
    },
    /// Read an hledger/ledger-cli journal and print its trial balance: one row per account,
    /// exact amounts (balance assertions are checked; unsupported syntax is rejected with its
    /// line number).
    Balance {
        /// The journal file.
        journal: PathBuf,
    },
}

pub(crate) fn run(cmd: &JournalCommand, out: &Output) -> Result<ExitCode, CliError> {
    match cmd {
        JournalCommand::Export { format, ledger } => {
            let text = std::fs::read_to_string(ledger).map_err(|e| CliError::io(ledger, &e))?;
            let books = koperasi::ledger::Ledger::from_jsonl(&text).map_err(|e| {
                let mut err = crate::ledger::ledger_error(ledger, &e);
                if err.kind != "duplicate_entry" {
                    err.message = format!("{}: {}", ledger.display(), err.message);
                }
                err
            })?;
            let body = match format {
                Format::Hledger => interop::to_hledger(&books),
                Format::Beancount => interop::to_beancount(&books),
            };
            let fmt = match format {
                Format::Hledger => "hledger",
                Format::Beancount => "beancount",
            };
            out.emit(
                &serde_json::json!({"format": fmt, "entries": books.len(), "journal": body}),
                || body.trim_end().to_owned(),
            );
        }
        JournalCommand::Balance { journal } => {
            let text = std::fs::read_to_string(journal).map_err(|e| CliError::io(journal, &e))?;
            let tb = plaintext::balance(&text).map_err(|e| {
                CliError::new(
                    crate::output::kind_of(&e),
                    format!("{}: {e}", journal.display()),
                )
            })?;
            if out.is_json() {
                let rows: Vec<serde_json::Value> = tb
                    .rows
                    .iter()
                    .map(|r| serde_json::json!({"account": r.account, "balance": r.balance.plain().to_string()}))
                    .collect();
                out.emit(
                    &serde_json::json!({
                        "accounts": rows,
                        "total": tb.total.plain().to_string(),
                        "transactions": tb.transactions,
                        "postings": tb.postings,
                    }),
                    String::new,
                );
            } else {
                let text = render::text(&tb.document());
                out.emit(&serde_json::Value::Null, || text.trim_end().to_owned());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
