//! `koperasi export simkopdes`: the fields SIMKOPDES tracks, from a book's event log, as CSV
//! files (one table each, English `snake_case` headers) and one JSON file. It mirrors the
//! published fields for copying by hand and uploads nothing.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use koperasi::Koperasi;
use koperasi::core::chrono::NaiveDate;
use koperasi::simkopdes::SimkopdesExport;

use crate::output::{CliError, Output};

#[derive(Debug, Subcommand)]
pub(crate) enum ExportCommand {
    /// SIMKOPDES: members, pengurus/pengawas/karyawan, savings bills per member and business
    /// units, as of a date, into `--out` (`members.csv`, `officers.csv`, `savings_bills.csv`,
    /// `units.csv`, `simkopdes.json`). NIKs are masked unless `--full-nik`. Nothing is
    /// uploaded. `--json`: `{"as_of","members","officers","savings_bills","units","files"}`.
    Simkopdes {
        /// The book's event log (JSON Lines, `Koperasi::to_json_lines`).
        #[arg(long)]
        book: PathBuf,
        /// Date (YYYY-MM-DD), inclusive; default the book's last day.
        #[arg(long)]
        as_of: Option<NaiveDate>,
        /// Directory for the files (created if missing).
        #[arg(long)]
        out: PathBuf,
        /// Write NIKs in full (the files then hold personal data).
        #[arg(long)]
        full_nik: bool,
    },
}

fn csv(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut w = Vec::new();
    {
        let mut push = |fields: &[String]| {
            let line: Vec<String> = fields
                .iter()
                .map(|f| {
                    if f.contains([',', '"', '\n', '\r']) {
                        format!("\"{}\"", f.replace('"', "\"\""))
                    } else {
                        f.clone()
                    }
                })
                .collect();
            w.push(line.join(","));
        };
        push(&header.iter().map(|h| (*h).to_owned()).collect::<Vec<_>>());
        for r in rows {
            push(r);
        }
    }
    let mut s = w.join("\n");
    s.push('\n');
    s
}

fn files(e: &SimkopdesExport) -> Result<Vec<(&'static str, String)>, CliError> {
    let d = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let members = csv(
        &["nik", "name", "status", "registered_on", "admitted_on"],
        &e.members
            .iter()
            .map(|m| {
                vec![
                    m.nik.clone(),
                    m.name.clone(),
                    m.status.clone(),
                    m.registered_on.to_string(),
                    d(m.admitted_on),
                ]
            })
            .collect::<Vec<_>>(),
    );
    let officers = csv(
        &["actor", "organ", "office"],
        &e.officers
            .iter()
            .map(|o| vec![o.actor.clone(), o.organ.clone(), o.office.clone()])
            .collect::<Vec<_>>(),
    );
    let bills = csv(
        &[
            "nik", "name", "kind", "amount", "bills", "billed", "balance", "arrears", "paid",
        ],
        &e.savings_bills
            .iter()
            .map(|b| {
                vec![
                    b.nik.clone(),
                    b.name.clone(),
                    b.kind.clone(),
                    b.amount.plain().to_string(),
                    b.bills.to_string(),
                    b.billed.plain().to_string(),
                    b.balance.plain().to_string(),
                    b.arrears.plain().to_string(),
                    b.paid.to_string(),
                ]
            })
            .collect::<Vec<_>>(),
    );
    let units = csv(
        &["number", "name", "revenue", "status"],
        &e.units
            .iter()
            .map(|u| {
                vec![
                    u.number.clone(),
                    u.name.clone(),
                    u.revenue.plain().to_string(),
                    u.status.clone(),
                ]
            })
            .collect::<Vec<_>>(),
    );
    let json = serde_json::to_string_pretty(e)
        .map_err(|err| CliError::new("internal", format!("simkopdes.json: {err}")))?;
    Ok(vec![
        ("members.csv", members),
        ("officers.csv", officers),
        ("savings_bills.csv", bills),
        ("units.csv", units),
        ("simkopdes.json", json),
    ])
}

pub(crate) fn run(cmd: &ExportCommand, out: &Output) -> Result<ExitCode, CliError> {
    match cmd {
        ExportCommand::Simkopdes {
            book,
            as_of,
            out: dir,
            full_nik,
        } => {
            let text = std::fs::read_to_string(book).map_err(|e| CliError::io(book, &e))?;
            let k = Koperasi::from_json_lines(&text).map_err(CliError::input)?;
            let date = as_of.unwrap_or_else(|| k.last_date());
            let e = k
                .simkopdes_export(date, *full_nik)
                .map_err(CliError::input)?;
            let files = files(&e)?;
            std::fs::create_dir_all(dir).map_err(|err| CliError::io(dir, &err))?;
            for (name, body) in &files {
                let p = dir.join(name);
                std::fs::write(&p, body).map_err(|err| CliError::io(&p, &err))?;
            }
            out.emit(
                &serde_json::json!({
                    "as_of": date.to_string(),
                    "members": e.members.len(),
                    "officers": e.officers.len(),
                    "savings_bills": e.savings_bills.len(),
                    "units": e.units.len(),
                    "files": files.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
                }),
                || {
                    format!(
                        "{}\nSIMKOPDES per {date}: {} anggota, {} pengurus/pengawas/karyawan, {} tagihan simpanan, {} unit usaha → {}",
                        e.notice,
                        e.members.len(),
                        e.officers.len(),
                        e.savings_bills.len(),
                        e.units.len(),
                        dir.display()
                    )
                },
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
