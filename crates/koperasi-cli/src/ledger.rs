//! `koperasi ledger`: check a JSON Lines journal and print its trial balance.
//!
//! The journal format is documented in `koperasi_ledger` ("Journal files"): a chart header
//! record, then one record per entry, close and reopen, then `head` records with the audit
//! log's tree head.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;
use koperasi::ledger::Ledger;

use crate::output::{CliError, Output};

#[derive(Debug, Subcommand)]
pub(crate) enum LedgerCommand {
    /// Validate every entry of a journal file and verify its audit log; exit 0 only if all
    /// is good. `--json`: `{"entries": N, "root": "<hex>", "ok": true}` or the error.
    Check {
        /// The journal (JSON Lines).
        file: PathBuf,
    },
    /// Trial balance (neraca saldo) of a journal file as of a date (default: the latest
    /// entry date). `--json`: `{"as_of", "rows": [{"account","name","debit","credit"}],
    /// "totals": {"debit","credit"}}`, amounts as exact decimal strings.
    TrialBalance {
        /// The journal (JSON Lines).
        file: PathBuf,
        /// Date (YYYY-MM-DD), inclusive.
        #[arg(long)]
        as_of: Option<String>,
    },
}

fn load(path: &Path) -> Result<Ledger, CliError> {
    let text = std::fs::read_to_string(path).map_err(|e| CliError::io(path, &e))?;
    let ledger = Ledger::from_jsonl(&text).map_err(CliError::input)?;
    ledger.verify().map_err(CliError::input)?;
    Ok(ledger)
}

pub(crate) fn run(cmd: &LedgerCommand, out: &Output) -> Result<ExitCode, CliError> {
    match cmd {
        LedgerCommand::Check { file } => {
            let ledger = load(file)?;
            let head = ledger.audit().tree_head();
            out.emit(
                &serde_json::json!({
                    "entries": ledger.len(),
                    "root": head.root.to_string(),
                    "ok": true,
                }),
                || {
                    format!(
                        "OK: {} entri, {} catatan log audit, root {}",
                        ledger.len(),
                        head.size,
                        head.root
                    )
                },
            );
        }
        LedgerCommand::TrialBalance { file, as_of } => {
            let ledger = load(file)?;
            let as_of = match as_of {
                Some(s) => s
                    .parse::<koperasi::core::chrono::NaiveDate>()
                    .map_err(|e| {
                        CliError::new(
                            "invalid_date",
                            format!("invalid date {s:?}: {e} (expected YYYY-MM-DD)"),
                        )
                    })?,
                None => ledger.last_date().unwrap_or_else(|| ledger.opening_date()),
            };
            let tb = ledger.trial_balance(as_of).map_err(CliError::input)?;
            let rows: Vec<serde_json::Value> = tb
                .rows
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "account": r.account.as_str(),
                        "name": r.name,
                        "debit": r.debit.plain().to_string(),
                        "credit": r.credit.plain().to_string(),
                    })
                })
                .collect();
            out.emit(
                &serde_json::json!({
                    "as_of": as_of.to_string(),
                    "rows": rows,
                    "totals": {
                        "debit": tb.total_debit.plain().to_string(),
                        "credit": tb.total_credit.plain().to_string(),
                    },
                }),
                || {
                    use std::fmt::Write as _;
                    let mut s = format!("Neraca saldo per {as_of}\n");
                    let _ = writeln!(
                        s,
                        "{:<10} {:<44} {:>20} {:>20}",
                        "Akun", "Nama", "Debet", "Kredit"
                    );
                    let show = |x: koperasi::core::Rupiah| {
                        if x.is_zero() {
                            String::new()
                        } else {
                            x.to_string()
                        }
                    };
                    for r in &tb.rows {
                        let _ = writeln!(
                            s,
                            "{:<10} {:<44} {:>20} {:>20}",
                            r.account.as_str(),
                            r.name,
                            show(r.debit),
                            show(r.credit)
                        );
                    }
                    let _ = write!(
                        s,
                        "{:<10} {:<44} {:>20} {:>20}",
                        "",
                        "Jumlah",
                        tb.total_debit.to_string(),
                        tb.total_credit.to_string()
                    );
                    s
                },
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
