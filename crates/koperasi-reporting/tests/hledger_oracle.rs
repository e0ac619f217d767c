//! Oracle test: Debian's `hledger` reads our exported journal and must report exactly our
//! trial balance. `.ci/run` installs hledger; without it the test prints a notice and passes.

use std::process::Command;

use chrono::NaiveDate;
use koperasi_core::{ActorId, EntryId, Rupiah};
use koperasi_ledger::{
    BusinessUnit, ChartOfAccounts, Counterparty, JournalEntry, Ledger, Line, Side, kkmp,
};
use koperasi_reporting::interop;

fn books() -> Ledger {
    use Side::{Credit as C, Debit as D};
    let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    let mut l = Ledger::new(ChartOfAccounts::standard_kkmp().unwrap(), d(1, 1));
    let rp = Rupiah::from_sen;
    let mut id = 0_u128;
    let mut post = |l: &mut Ledger, date, memo: &str, lines: Vec<(&str, Side, i64)>| {
        id += 1;
        let mut e =
            JournalEntry::new(EntryId::from_u128(id), date, ActorId::from_u128(7)).with_memo(memo);
        for (a, s, sen) in lines {
            e = e.with_line(
                Line::new(koperasi_ledger::AccountCode::new(a).unwrap(), s, rp(sen))
                    .unit(BusinessUnit::Sembako)
                    .counterparty(Counterparty::Member),
            );
        }
        l.post(&e).unwrap();
    };
    post(
        &mut l,
        d(1, 5),
        "Setoran simpanan pokok; 40 anggota",
        vec![
            (kkmp::KAS, D, 400_000_000),
            (kkmp::SIMPANAN_POKOK, C, 400_000_000),
        ],
    );
    post(
        &mut l,
        d(1, 6),
        "Pencairan pinjaman Himbara",
        vec![
            (kkmp::BANK, D, 150_000_000_000),
            (kkmp::PINJAMAN_HIMBARA, C, 150_000_000_000),
        ],
    );
    post(
        &mut l,
        d(2, 1),
        "Pembelian sembako",
        vec![
            (kkmp::PERSEDIAAN, D, 2_500_000_050),
            (kkmp::BANK, C, 2_500_000_050),
        ],
    );
    post(
        &mut l,
        d(2, 2),
        "Penjualan sembako \"tunai\"",
        vec![
            (kkmp::KAS, D, 300_000_000),
            (&kkmp::member_revenue("02"), C, 180_000_000),
            (&kkmp::non_member_revenue("02"), C, 120_000_000),
        ],
    );
    post(
        &mut l,
        d(2, 2),
        "HPP",
        vec![
            (&kkmp::cost_of_sales("02"), D, 250_000_000),
            (kkmp::PERSEDIAAN, C, 250_000_000),
        ],
    );
    post(
        &mut l,
        d(3, 12),
        "Angsuran Himbara",
        vec![
            (kkmp::PINJAMAN_HIMBARA, D, 2_000_000_000),
            (kkmp::BEBAN_BUNGA_BANK, D, 750_000_000),
            (kkmp::BANK, C, 2_750_000_000),
        ],
    );
    l
}

fn parse_idr(s: &str) -> i128 {
    let t = s
        .trim()
        .trim_matches('"')
        .replace("IDR", "")
        .replace(',', "");
    let t = t.trim();
    if t == "0" || t.is_empty() {
        return 0;
    }
    let neg = t.starts_with('-');
    let t = t.trim_start_matches('-');
    let (i, f) = t.split_once('.').unwrap_or((t, "0"));
    let f = format!("{f:0<2}");
    let v: i128 = i.parse::<i128>().unwrap() * 100 + f[..2].parse::<i128>().unwrap();
    if neg { -v } else { v }
}

#[test]
fn hledger_bal_equals_our_trial_balance() {
    if Command::new("hledger").arg("--version").output().is_err() {
        println!(
            "notice: hledger is not installed; skipping the hledger oracle test (.ci/run installs it)"
        );
        return;
    }
    let l = books();
    let dir = std::env::temp_dir().join(format!("koperasi-hledger-oracle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("export.journal");
    std::fs::write(&f, interop::to_hledger(&l)).unwrap();
    let out = Command::new("hledger")
        .args([
            "-f",
            f.to_str().unwrap(),
            "balance",
            "--flat",
            "--no-total",
            "-O",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "hledger failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = String::from_utf8(out.stdout).unwrap();
    let mut theirs: Vec<(String, i128)> = csv
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (a, b) = l.split_once("\",\"").unwrap();
            (a.trim_matches('"').to_owned(), parse_idr(b))
        })
        .filter(|(_, v)| *v != 0)
        .collect();
    theirs.sort();
    let end = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
    let chart = l.chart();
    let mut ours: Vec<(String, i128)> = l
        .trial_balance(end)
        .unwrap()
        .rows
        .iter()
        .map(|r| {
            let a = chart.get(r.account.as_str()).unwrap();
            (
                interop::account_name(a),
                r.debit.to_sen() - r.credit.to_sen(),
            )
        })
        .collect();
    ours.sort();
    assert_eq!(theirs, ours, "hledger output:\n{csv}");
    // ledger-cli reads the same file, when present.
    if let Ok(o) = Command::new("ledger")
        .args(["-f", f.to_str().unwrap(), "balance", "--flat", "--no-total"])
        .output()
    {
        assert!(
            o.status.success(),
            "ledger failed: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
}
