//! CPU time of the benchmark's workloads, for a machine shared with other jobs (where wall
//! time says little): `perf stat -e task-clock` of `cpu_time R P` minus that of `cpu_time 0 1`,
//! divided by `R` reconciliations (100,000 bank lines, 1,000,000 entries) or `P − 1` MT940
//! imports of 100,000 lines. See docs/performance.md.
#![allow(
    missing_docs,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_possible_wrap
)]

use std::fmt::Write as _;
use std::hint::black_box;

use chrono::NaiveDate;

use koperasi_core::{ActorId, EntryId, Rupiah};
use koperasi_ledger::{ChartOfAccounts, JournalEntry, Ledger, kkmp};
use koperasi_reconcile::{Config, mt940, reconcile};

const BANK_LINES: usize = 100_000;
const ENTRIES: usize = 1_000_000;

struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
}

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()
}

/// (day, signed sen, reference?) of the bank lines of the books.
fn bank_items() -> Vec<(u32, i64, bool)> {
    let mut r = Lcg(42);
    (0..BANK_LINES)
        .map(|k| {
            let day = (k * 360 / BANK_LINES) as u32 + 1;
            let rp = (r.next() % 5_000_000 + 1_000) as i64;
            let sen = if r.next().is_multiple_of(3) {
                -rp * 100
            } else {
                rp * 100
            };
            (day, sen, k.is_multiple_of(2))
        })
        .collect()
}

/// 1,000,000 two-line entries: the 100,000 bank items among 900,000 cash sales.
fn ledger(items: &[(u32, i64, bool)]) -> Ledger {
    let mut l = Ledger::new(ChartOfAccounts::standard_kkmp().unwrap(), start());
    l.reserve(ENTRIES + 1, 2);
    let actor = ActorId::from_u128(1);
    let big = Rupiah::from_rupiah(1_000_000_000_000);
    l.post(
        &JournalEntry::new(EntryId::from_u128(1), start(), actor)
            .debit(kkmp::BANK, big)
            .unwrap()
            .credit(kkmp::HIBAH, big)
            .unwrap(),
    )
    .unwrap();
    let per_item = ENTRIES / BANK_LINES;
    let mut id = 2u128;
    let revenue = kkmp::member_revenue("02");
    for (k, (day, sen, _)) in items.iter().enumerate() {
        let date = start() + chrono::Days::new(u64::from(*day));
        let a = Rupiah::from_sen(sen.abs());
        let e = JournalEntry::new(EntryId::from_u128(id), date, actor)
            .with_source(format!("trx:TRX{k:07}"));
        let e = if *sen > 0 {
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
        id += 1;
        for j in 1..per_item {
            let s = Rupiah::from_rupiah(10_000 + j as i64);
            l.post(
                &JournalEntry::new(EntryId::from_u128(id), date, actor)
                    .with_source("sale")
                    .debit(kkmp::KAS, s)
                    .unwrap()
                    .credit(&revenue, s)
                    .unwrap(),
            )
            .unwrap();
            id += 1;
        }
    }
    l
}

fn mt940_text(items: &[(u32, i64, bool)]) -> String {
    let mut s = String::with_capacity(items.len() * 80);
    s.push_str(":20:BENCH\n:25:0123456789\n:28C:1/1\n:60F:C250101IDR0,00\n:61:2501010101C1000000000000,00NTRFNONREF\n:86:SETORAN AWAL\n");
    let mut lines: Vec<(u32, i64, String)> = Vec::with_capacity(items.len());
    let mut bal: i64 = 0;
    for (k, (day, sen, referenced)) in items.iter().enumerate() {
        let shift = (k % 3) as u32;
        let desc = if *referenced {
            format!("TRANSFER TRX{k:07}")
        } else {
            "MUTASI REKENING".to_owned()
        };
        lines.push((day + shift, *sen, desc));
    }
    lines.sort_by_key(|l| l.0);
    for (day, sen, desc) in &lines {
        bal += sen;
        let d = start() + chrono::Days::new(u64::from(*day));
        let date = d.format("%y%m%d").to_string();
        let mark = if *sen < 0 { 'D' } else { 'C' };
        let _ = writeln!(
            s,
            ":61:{date}{}{mark}{},{:02}NTRFNONREF\n:86:{desc}",
            &date[2..],
            sen.abs() / 100,
            sen.abs() % 100
        );
    }
    let bal = bal + 1_000_000_000_000 * 100;
    let _ = writeln!(s, ":62F:C251231IDR{},{:02}", bal / 100, bal % 100);
    s
}

fn main() {
    let items = bank_items();
    let text = mt940_text(&items);
    let p: usize = std::env::args()
        .nth(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1);
    let t = std::time::Instant::now();
    let mut sts = mt940::parse("bench.sta", text.as_bytes()).unwrap();
    for _ in 1..p {
        sts = black_box(mt940::parse("bench.sta", text.as_bytes()).unwrap());
    }
    eprintln!("parse {:?}", t.elapsed());
    let books = ledger(&items);
    let cfg = Config::default();
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(3);
    for _ in 0..n {
        let t = std::time::Instant::now();
        let r = reconcile(&books, kkmp::BANK, &sts, &cfg).unwrap();
        let e = t.elapsed();
        drop(black_box(r));
        eprintln!("reconcile {:?} (with drop {:?})", e, t.elapsed());
    }
}
