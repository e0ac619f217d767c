//! `koperasi ledger`: check a JSON Lines journal and print its trial balance.
//!
//! The journal format is documented in `koperasi_ledger` ("Journal files"): a chart header
//! record, then one record per entry, close and reopen, then `head` records with the audit
//! log's tree head.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;
use koperasi::ledger::Ledger;
use koperasi::ledger::audit::{Checkpoint, Hash, NoteVerifier};

use crate::output::{CliError, Output};

#[derive(Debug, Subcommand)]
pub(crate) enum LedgerCommand {
    /// Validate every entry of a journal file and verify its audit log; exit 0 only if all
    /// is good. On its own this checks internal consistency only (a file cut short, or
    /// without its `head` lines, is still consistent): pin what you expect with
    /// `--expected-root` or a signed `--checkpoint`.
    Check {
        /// The journal (JSON Lines).
        file: PathBuf,
        /// The audit-log root (64 hex digits) the whole journal must have, e.g. from the
        /// last published tree head.
        #[arg(long, value_name = "HEX")]
        expected_root: Option<String>,
        /// A signed checkpoint (C2SP signed note) the journal must extend: its tree head and
        /// its balances root are recomputed from the entries.
        #[arg(long, value_name = "FILE", requires = "key")]
        checkpoint: Option<PathBuf>,
        /// The checkpoint signer's public key: a C2SP vkey (`name+id+key`) or a file holding
        /// one.
        #[arg(long, value_name = "VKEY|FILE", requires = "checkpoint")]
        key: Option<String>,
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

/// A ledger error as the CLI reports it. A journal line repeating an entry is named as
/// such (the library calls a repeated identical post an idempotent success, which is right
/// for a poster and wrong for a file that must list each entry once).
pub(crate) fn ledger_error(path: &Path, e: &koperasi::ledger::Error) -> CliError {
    use koperasi::ledger::Error;
    if let Error::Journal { line, source } = e
        && let Error::Exists { id } = source.as_ref()
    {
        return CliError::new(
            "duplicate_entry",
            format!(
                "{}: journal line {line}: entry {id} appears a second time (a journal lists each entry once)",
                path.display()
            ),
        );
    }
    CliError::new(crate::output::kind_of(e), e.to_string())
}

fn load(path: &Path) -> Result<Ledger, CliError> {
    let text = std::fs::read_to_string(path).map_err(|e| CliError::io(path, &e))?;
    let ledger = Ledger::from_jsonl(&text).map_err(|e| ledger_error(path, &e))?;
    ledger.verify().map_err(|e| ledger_error(path, &e))?;
    Ok(ledger)
}

/// The pins of `ledger check`, parsed before any work.
struct Pins {
    expected_root: Option<Hash>,
    checkpoint: Option<(PathBuf, NoteVerifier)>,
}

fn pins(
    expected_root: Option<&str>,
    checkpoint: Option<&Path>,
    key: Option<&str>,
) -> Result<Pins, CliError> {
    let expected_root = expected_root
        .map(|h| {
            let h = h.trim();
            if h.len() != 64 || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(CliError::usage(
                    "invalid_root",
                    format!("--expected-root {h:?}: expected 64 hex digits"),
                ));
            }
            h.to_ascii_lowercase()
                .parse::<Hash>()
                .map_err(|e| CliError::usage("invalid_root", format!("--expected-root {h:?}: {e}")))
        })
        .transpose()?;
    let checkpoint = match (checkpoint, key) {
        (Some(file), Some(key)) => {
            let as_path = Path::new(key);
            let vkey = if as_path.is_file() {
                std::fs::read_to_string(as_path).map_err(|e| CliError::io(as_path, &e))?
            } else {
                key.to_owned()
            };
            let verifier = NoteVerifier::parse_vkey(vkey.trim())
                .map_err(|e| CliError::usage("invalid_key", format!("--key: {e}")))?;
            Some((file.to_path_buf(), verifier))
        }
        _ => None,
    };
    Ok(Pins {
        expected_root,
        checkpoint,
    })
}

fn check(
    file: &Path,
    expected_root: Option<&str>,
    checkpoint: Option<&Path>,
    key: Option<&str>,
    out: &Output,
) -> Result<ExitCode, CliError> {
    let pins = pins(expected_root, checkpoint, key)?;
    let ledger = load(file)?;
    let head = ledger.audit().tree_head();
    if let Some(expected) = pins.expected_root
        && expected != head.root
    {
        return Err(CliError::new(
            "root_mismatch",
            format!(
                "{}: the audit log's root is {} ({} records), not the expected {expected}: the journal was changed, cut short or extended",
                file.display(),
                head.root,
                head.size
            ),
        ));
    }
    let mut cp_json = serde_json::Value::Null;
    let mut cp_text = None;
    if let Some((cp_file, verifier)) = &pins.checkpoint {
        let signed = std::fs::read_to_string(cp_file).map_err(|e| CliError::io(cp_file, &e))?;
        let cp = Checkpoint::verify_signed(&signed, verifier).map_err(|e| {
            CliError::new("checkpoint_invalid", format!("{}: {e}", cp_file.display()))
        })?;
        ledger
            .verify_checkpoint(&cp)
            .map_err(|e| checkpoint_error(file, cp_file, &cp, head.size, &e))?;
        cp_json = serde_json::json!({
            "origin": cp.origin(),
            "size": cp.size(),
            "root": cp.root().to_string(),
            "balances_root": cp.balances_root().map(|h| h.to_string()),
            "signer": verifier.name(),
        });
        cp_text = Some(format!(
            "checkpoint {} (ukuran {}, ditandatangani {}): cocok{}",
            cp.origin(),
            cp.size(),
            verifier.name(),
            if cp.balances_root().is_some() {
                "; root saldo dihitung ulang dari entri"
            } else {
                ""
            }
        ));
    }
    let pinned = pins.expected_root.is_some() || pins.checkpoint.is_some();
    let note = (!pinned).then_some(
        "only internal consistency was checked: a journal cut short or without its head lines also passes; pin it with --expected-root or --checkpoint",
    );
    out.emit(
        &serde_json::json!({
            "ok": true,
            "entries": ledger.len(),
            "records": head.size,
            "root": head.root.to_string(),
            "expected_root": pins.expected_root.is_some(),
            "checkpoint": cp_json,
            "note": note,
        }),
        || {
            let mut lines = vec![format!(
                "OK: {} entri, {} catatan log audit, root {}",
                ledger.len(),
                head.size,
                head.root
            )];
            if pins.expected_root.is_some() {
                lines.push("root sesuai --expected-root".to_owned());
            }
            lines.extend(cp_text.clone());
            if !pinned {
                lines.push(
                    "catatan: hanya konsistensi internal yang diperiksa; berkas yang terpotong atau tanpa baris head juga lolos. Pakai --expected-root HEX atau --checkpoint FILE --key KUNCI."
                        .to_owned(),
                );
            }
            lines.join("\n")
        },
    );
    Ok(ExitCode::SUCCESS)
}

/// Why a journal does not match a verified checkpoint, in the reader's terms.
fn checkpoint_error(
    file: &Path,
    cp_file: &Path,
    cp: &Checkpoint,
    records: u64,
    e: &koperasi::ledger::Error,
) -> CliError {
    use koperasi::ledger::Error;
    use koperasi::ledger::audit::Error as AuditError;
    let (kind, why) = match e {
        Error::Audit(AuditError::SizeOutOfRange { .. }) => (
            "checkpoint_size",
            format!(
                "the journal has {records} records but the checkpoint covers {}: records were removed or the file was cut short",
                cp.size()
            ),
        ),
        Error::Audit(AuditError::RootMismatch { .. }) => (
            "checkpoint_root",
            format!(
                "the first {} records do not give the checkpoint's root: records were changed, removed or reordered",
                cp.size()
            ),
        ),
        Error::BalancesRootMismatch { .. } => ("checkpoint_balances", e.to_string()),
        other => return CliError::new(crate::output::kind_of(other), other.to_string()),
    };
    CliError::new(
        kind,
        format!("{} against {}: {why}", file.display(), cp_file.display()),
    )
}

pub(crate) fn run(cmd: &LedgerCommand, out: &Output) -> Result<ExitCode, CliError> {
    match cmd {
        LedgerCommand::Check {
            file,
            expected_root,
            checkpoint,
            key,
        } => {
            return check(
                file,
                expected_root.as_deref(),
                checkpoint.as_deref(),
                key.as_deref(),
                out,
            );
        }
        LedgerCommand::TrialBalance { file, as_of } => {
            let ledger = load(file)?;
            let as_of = match as_of {
                Some(s) => s
                    .parse::<koperasi::core::chrono::NaiveDate>()
                    .map_err(|e| {
                        CliError::usage(
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
