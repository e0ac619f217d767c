//! The workload shared by the `reconcile` benchmark and the `cpu_time` example: 100,000 bank
//! lines as an MT940 statement and a ledger of 1,000,000 entries that explains them.
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_possible_wrap
)]

use std::fmt::Write as _;

use chrono::NaiveDate;
use koperasi_core::{ActorId, EntryId, Rupiah};
use koperasi_ledger::{ChartOfAccounts, JournalEntry, Ledger, kkmp};

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
pub fn bank_items() -> Vec<(u32, i64, bool)> {
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
pub fn ledger(items: &[(u32, i64, bool)]) -> Ledger {
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

pub fn mt940_text(items: &[(u32, i64, bool)]) -> String {
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
