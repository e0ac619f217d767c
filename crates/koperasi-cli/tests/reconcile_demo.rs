//! Round trip with the demo: a simulated cooperative's year produces a bank statement (each
//! bank line of its books shifted 0–2 days, half of them carrying the entry's reference, plus
//! monthly admin fees, interest and tax on interest that the books do not have). The
//! reconciliation proposes exactly the added items; once they are posted everything
//! reconciles, to the rupiah.

use std::collections::HashSet;
use std::fmt::Write as _;

use koperasi::core::chrono::{self, Datelike, NaiveDate};
use koperasi::core::{ActorId, EntryId, FiscalYear, Rupiah};
use koperasi::ledger::{EntryKind, Ledger, Side, YearReopen, kkmp};
use koperasi_reconcile::{Config, mt940, reconcile};
use koperasi_sim::{SimConfig, simulate_cooperative};

fn mt(sen: i128) -> String {
    format!("{},{:02}", sen.abs() / 100, sen.abs() % 100)
}

/// The bank lines of the books: (date, signed sen, source).
fn book_bank_lines(l: &Ledger) -> Vec<(NaiveDate, i128, String)> {
    let mut out = Vec::new();
    for e in l.entries() {
        if e.reversed_by().is_some() || matches!(e.kind(), EntryKind::Reversal { .. }) {
            continue;
        }
        for line in e.lines() {
            if line.account.as_str() == kkmp::BANK {
                let s = line.amount.to_sen();
                out.push((
                    e.date(),
                    if line.side == Side::Debit { s } else { -s },
                    e.source().to_owned(),
                ));
            }
        }
    }
    out
}

fn statement(l: &Ledger, year: i32) -> (String, usize) {
    let book = book_bank_lines(l);
    let amounts: HashSet<i128> = book.iter().map(|b| b.1).collect();
    let mut lines: Vec<(NaiveDate, i128, String)> = Vec::new();
    for (k, (d, sen, source)) in book.iter().enumerate() {
        if d.year() != year {
            continue;
        }
        let shift = (k as u64).wrapping_mul(7919) % 3;
        let desc = if k % 2 == 0 {
            format!("TRANSFER {}", source.to_uppercase())
        } else {
            "MUTASI".to_owned()
        };
        lines.push((*d + chrono::Days::new(shift), *sen, desc));
    }
    // bank-only items: month-end admin fee, interest and tax on interest
    let mut added = 0;
    for m in 1..=12u32 {
        let end = NaiveDate::from_ymd_opt(year, m, 1).unwrap() + chrono::Months::new(1)
            - chrono::Days::new(1);
        let mut fee: i128 = -1_250_000; // Rp12.500
        while amounts.contains(&fee) {
            fee -= 100;
        }
        let interest: i128 = 1_234_567 + i128::from(m) * 1_111; // with sen
        let tax = -(interest / 5);
        lines.push((end, interest, "BUNGA JASA GIRO".to_owned()));
        lines.push((end, tax, "PAJAK BUNGA".to_owned()));
        lines.push((end, fee, "BIAYA ADM BULANAN".to_owned()));
        added += 3;
    }
    lines.sort_by_key(|l| l.0);
    let opening = l.opening_date();
    let mut s = format!(
        ":20:DEMO{year}\n:25:0123456789\n:28C:1/1\n:60F:C{}IDR0,00\n",
        opening.format("%y%m%d")
    );
    let mut bal: i128 = 0;
    for (d, sen, desc) in &lines {
        bal += sen;
        let date = d.format("%y%m%d").to_string();
        let mark = if *sen < 0 { 'D' } else { 'C' };
        let _ = writeln!(
            s,
            ":61:{date}{}{mark}{}NTRFNONREF\n:86:{desc}",
            &date[2..],
            mt(*sen)
        );
    }
    let last = lines.last().map_or(opening, |l| l.0);
    let _ = writeln!(s, ":62F:C{}IDR{}", last.format("%y%m%d"), mt(bal));
    (s, added)
}

#[test]
fn demo_ledger_statement_reconciles_after_the_proposed_entries() {
    let cfg = SimConfig::new(1, 30, 7);
    let coop = simulate_cooperative(&cfg, 0).unwrap();
    let mut books: Ledger = coop.book.ledger().clone();
    let year = books.opening_date().year();
    let (text, added) = statement(&books, year);
    let sts = mt940::parse("demo.sta", text.as_bytes()).unwrap();
    assert!(sts[0].problems.is_empty(), "{:?}", sts[0].problems);
    let n = book_bank_lines(&books).len();
    assert!(n > 50, "the demo's bank account has activity ({n} lines)");

    let r = reconcile(&books, kkmp::BANK, &sts, &Config::default()).unwrap();
    assert_eq!(r.proposed_entries.len(), added, "{}", r.to_text());
    assert!(r.suggestions.is_empty(), "{}", r.to_text());
    assert!(r.unmatched_books.is_empty(), "{}", r.to_text());
    assert!(r.unexplained.is_zero(), "{}", r.to_text());

    // the year was closed by the demo; reopen it to post the adjustments
    if books.is_closed(FiscalYear::calendar(year).unwrap()) {
        books
            .reopen_year(YearReopen::new(
                FiscalYear::calendar(year).unwrap(),
                EntryId::from_u128(u128::MAX - 1),
                ActorId::from_u128(1),
                "rekonsiliasi bank",
            ))
            .unwrap();
    }
    for (k, p) in r.proposed_entries.iter().enumerate() {
        let e = p
            .to_journal_entry(
                EntryId::from_u128(u128::MAX - 1_000 - k as u128),
                ActorId::from_u128(2),
            )
            .unwrap();
        books.post(&e).unwrap();
    }
    let again = reconcile(&books, kkmp::BANK, &sts, &Config::default()).unwrap();
    assert!(again.is_reconciled(), "{}", again.to_text());
    assert_eq!(again.saldo_bank, again.saldo_books);
    assert_ne!(again.saldo_bank, Rupiah::ZERO);
}
