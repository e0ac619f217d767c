//! Property tests of the importers and the matcher.
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_possible_wrap
)]

mod common;

use std::collections::HashSet;
use std::fmt::Write as _;

use chrono::NaiveDate;
use koperasi_core::{ActorId, EntryId, Rupiah};
use koperasi_ledger::{ChartOfAccounts, JournalEntry, Ledger, Side, kkmp};
use koperasi_reconcile::{
    Config, Mapping, MdrSchedule, MerchantCategory, QrisMapping, Reconciliation, mt940, reconcile,
};
use proptest::prelude::*;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + chrono::Days::new(u64::from(d))
}

/// One book line on the bank account: (day offset, signed sen, with reference).
#[derive(Debug, Clone)]
struct Item {
    day: u32,
    sen: i64,
    referenced: bool,
    shift: u32,
}

fn item() -> impl Strategy<Value = Item> {
    // a few repeated amounts make identical lines likely
    let amount = prop_oneof![
        3 => prop::sample::select(vec![50_000_i64, 100_000, 250_000]),
        2 => 1_000_i64..2_000_000,
    ];
    (1u32..25, amount, any::<bool>(), any::<bool>(), 0u32..=2).prop_map(
        |(day, rp, out, referenced, shift)| Item {
            day,
            sen: if out { -rp * 100 } else { rp * 100 },
            referenced,
            shift,
        },
    )
}

const OPENING: i64 = 100_000_000 * 100;

/// Books: a Rp100.000.000 opening transfer on day 1, then the items (sorted by day).
fn books(items: &[Item]) -> Ledger {
    let mut l = Ledger::new(ChartOfAccounts::standard_kkmp().unwrap(), day(0));
    let actor = ActorId::from_u128(1);
    l.post(
        &JournalEntry::new(EntryId::from_u128(1), day(1), actor)
            .with_source("transfer:OPEN000001")
            .debit(kkmp::BANK, Rupiah::from_sen(OPENING))
            .unwrap()
            .credit(kkmp::HIBAH, Rupiah::from_sen(OPENING))
            .unwrap(),
    )
    .unwrap();
    let mut sorted: Vec<(usize, &Item)> = items.iter().enumerate().collect();
    sorted.sort_by_key(|(_, it)| it.day);
    for (k, it) in sorted {
        let a = Rupiah::from_sen(it.sen.abs());
        let e = JournalEntry::new(EntryId::from_u128(10 + k as u128), day(it.day), actor)
            .with_memo("Transaksi bank")
            .with_source(format!("ref:TRX{k:06}"));
        let e = if it.sen > 0 {
            e.debit(kkmp::BANK, a)
                .unwrap()
                .credit(kkmp::SIMPANAN_SUKARELA, a)
                .unwrap()
        } else {
            e.debit(kkmp::BEBAN_LAIN, a)
                .unwrap()
                .credit(kkmp::BANK, a)
                .unwrap()
        };
        l.post(&e).unwrap();
    }
    l
}

fn mt(sen: i64) -> String {
    format!("{},{:02}", sen.abs() / 100, sen.abs() % 100)
}

/// A statement of the books' bank lines, each shifted 0–2 days, plus extra bank-only lines
/// (fees and interest, amounts with sen so they never equal a book line), as MT940.
fn statement(items: &[Item], extras: &[(u32, i64)]) -> String {
    let mut lines: Vec<(u32, i64, String)> = vec![(1, OPENING, "TRANSFER OPEN000001".to_owned())];
    for (k, it) in items.iter().enumerate() {
        let desc = if it.referenced {
            format!("TRANSFER TRX{k:06}")
        } else {
            "SETORAN/TARIKAN".to_owned()
        };
        lines.push((it.day + it.shift, it.sen, desc));
    }
    for (d, sen) in extras {
        let desc = if *sen < 0 { "BIAYA ADM" } else { "BUNGA" };
        lines.push((*d, *sen, desc.to_owned()));
    }
    lines.sort_by_key(|l| l.0);
    let mut s = String::from(":20:PROP\n:25:0001\n:28C:1/1\n:60F:C250101IDR0,00\n");
    let mut bal = 0i64;
    for (d, sen, desc) in &lines {
        bal += sen;
        let date = day(*d).format("%y%m%d").to_string();
        let mark = if *sen < 0 { 'D' } else { 'C' };
        let _ = writeln!(
            s,
            ":61:{date}{}{mark}{}NTRFNONREF\n:86:{desc}",
            &date[2..],
            mt(*sen)
        );
    }
    let last = lines.last().map_or(1, |l| l.0);
    let mark = if bal < 0 { 'D' } else { 'C' };
    let _ = writeln!(s, ":62F:{mark}{}IDR{}", day(last).format("%y%m%d"), mt(bal));
    s
}

fn check_partition(r: &Reconciliation, n_bank: usize) {
    let mut bank_seen = HashSet::new();
    let mut book_seen = HashSet::new();
    for m in &r.matched {
        let b = Rupiah::try_sum(m.bank.iter().map(|x| x.amount)).unwrap();
        let k = Rupiah::try_sum(m.books.iter().map(|x| x.amount)).unwrap();
        assert_eq!(b, k, "match {m:?}");
        assert!(!m.bank.is_empty() && !m.books.is_empty());
        for x in &m.bank {
            assert!(bank_seen.insert(x.fingerprint), "bank line matched twice");
        }
        for x in &m.books {
            assert!(
                book_seen.insert((x.entry, x.line)),
                "book line matched twice"
            );
        }
    }
    for u in &r.unmatched_bank {
        assert!(
            bank_seen.insert(u.line.fingerprint),
            "unmatched bank line also matched"
        );
    }
    for u in &r.unmatched_books {
        assert!(
            book_seen.insert((u.line.entry, u.line.line)),
            "unmatched book line also matched"
        );
    }
    assert_eq!(
        bank_seen.len(),
        n_bank,
        "every bank line is matched or listed once"
    );
}

fn extras() -> impl Strategy<Value = Vec<(u32, i64)>> {
    prop::collection::vec(
        (
            2u32..27,
            prop_oneof![
                (-5_000_i64..-1).prop_map(|r| r * 100 - 50),
                (1_i64..5_000).prop_map(|r| r * 100 + 37)
            ],
        ),
        0..4,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn prop_matches_are_one_to_one_and_exact(
        items in prop::collection::vec(item(), 0..30),
        drop_mask in any::<u32>(),
        extra in extras(),
        pair in any::<bool>(),
    ) {
        let l = books(&items);
        // drop some bank lines so that book lines stay outstanding and candidates compete
        let kept: Vec<Item> = items.iter().enumerate().filter(|(k, _)| drop_mask >> (k % 32) & 1 == 0).map(|(_, i)| i.clone()).collect();
        let text = statement(&kept, &extra);
        let sts = mt940::parse("p.sta", text.as_bytes()).unwrap();
        let n_bank = sts[0].lines.len();
        let mut cfg = Config::default();
        cfg.pair_identical_in_date_order = pair;
        let r = reconcile(&l, kkmp::BANK, &sts, &cfg).unwrap();
        check_partition(&r, n_bank);
        // the identity: adjusted bank − adjusted books = the opening difference (zero here)
        prop_assert!(r.unexplained.is_zero(), "{}", r.to_text());
    }

    #[test]
    fn prop_generated_statement_reconciles(
        items in prop::collection::vec(item(), 0..30),
        extra in extras(),
    ) {
        let mut l = books(&items);
        let text = statement(&items, &extra);
        let sts = mt940::parse("p.sta", text.as_bytes()).unwrap();
        let r = reconcile(&l, kkmp::BANK, &sts, &Config::default()).unwrap();
        prop_assert!(r.unexplained.is_zero());
        prop_assert!(r.suggestions.is_empty(), "{}", r.to_text());
        prop_assert_eq!(r.proposed_entries.len(), extra.len());
        for (k, p) in r.proposed_entries.iter().enumerate() {
            l.post(&p.to_journal_entry(EntryId::from_u128(1_000_000 + k as u128), ActorId::from_u128(2)).unwrap()).unwrap();
        }
        let again = reconcile(&l, kkmp::BANK, &sts, &Config::default()).unwrap();
        prop_assert!(again.is_reconciled(), "{}", again.to_text());
        prop_assert_eq!(again.saldo_bank, again.saldo_books);
    }

    #[test]
    fn prop_reimport_is_idempotent(items in prop::collection::vec(item(), 0..20), extra in extras()) {
        let l = books(&items);
        let sts = mt940::parse("p.sta", statement(&items, &extra).as_bytes()).unwrap();
        let once = reconcile(&l, kkmp::BANK, &sts, &Config::default()).unwrap();
        let twice: Vec<_> = sts.iter().chain(sts.iter()).cloned().collect();
        let twice = reconcile(&l, kkmp::BANK, &twice, &Config::default()).unwrap();
        prop_assert_eq!(&once.matched, &twice.matched);
        prop_assert_eq!(&once.unmatched_bank, &twice.unmatched_bank);
        prop_assert_eq!(&once.proposed_entries, &twice.proposed_entries);
        prop_assert_eq!(twice.problems.len(), once.problems.len() + sts[0].lines.len());
    }

    #[test]
    fn prop_proposed_entries_balance(items in prop::collection::vec(item(), 0..20), extra in extras()) {
        let l = books(&items);
        let sts = mt940::parse("p.sta", statement(&items, &extra).as_bytes()).unwrap();
        let r = reconcile(&l, kkmp::BANK, &sts, &Config::default()).unwrap();
        for p in &r.proposed_entries {
            let side = |s: Side| Rupiah::try_sum(p.lines.iter().filter(|x| x.side == s).map(|x| x.amount)).unwrap();
            prop_assert_eq!(side(Side::Debit), side(Side::Credit));
            let bank = Rupiah::try_sum(p.bank.iter().map(|b| b.amount)).unwrap();
            let on_bank = p.lines.iter().find(|x| x.account == kkmp::BANK).unwrap();
            prop_assert_eq!(bank.abs(), on_bank.amount);
        }
    }
}

/// MT940-looking noise: fragments of valid records cut and spliced.
fn mt940ish() -> impl Strategy<Value = Vec<u8>> {
    let parts = prop::sample::select(vec![
        ":20:", ":25:", ":28C:", ":60F:", ":60M:", ":61:", ":86:", ":62F:", ":62M:", "C", "D",
        "RC", "RD", "250102", "0102", "IDR", "USD", "1000,00", ",", "NTRF", "NONREF", "//", "\n",
        "\r\n", "{1:", "{4:", "-}", " ", "9",
    ]);
    prop::collection::vec(parts, 0..60).prop_map(|v| v.concat().into_bytes())
}

fn csvish() -> impl Strategy<Value = Vec<u8>> {
    let parts = prop::sample::select(vec![
        "Tanggal Transaksi;Uraian Transaksi;Teller;Debet;Kredit;Saldo\n",
        "02/01/25",
        ";",
        "\"",
        "1.500,00",
        "-",
        "Saldo Awal",
        "Saldo Akhir",
        "Total",
        "\n",
        "31/02/25",
        "9999999999999999999",
        ",",
        "(",
        ")",
        "Rp",
    ]);
    prop::collection::vec(parts, 0..40).prop_map(|v| v.concat().into_bytes())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn prop_importers_never_panic(bytes in prop_oneof![any::<Vec<u8>>(), mt940ish(), csvish()]) {
        let _ = mt940::parse("x", &bytes);
        for m in [Mapping::bri(), Mapping::bni(), Mapping::mandiri()] {
            let _ = m.import_csv("x", &bytes);
            let _ = m.import_xlsx("x", &bytes);
        }
        let _ = QrisMapping::standard().import_csv("x", &bytes, &MdrSchedule::bank_indonesia(), MerchantCategory::Micro);
    }
}
