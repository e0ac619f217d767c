//! Statements over a ledger of 1,000,000 two-line entries (target ≤ 200 ms).
#![allow(
    clippy::cast_possible_wrap,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "benchmark data generation with small, known ranges"
)]

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use koperasi_core::{ActorId, EntryId, Period, Rupiah};
use koperasi_ledger::{ChartOfAccounts, JournalEntry, Ledger, kkmp};
use koperasi_reporting::statements::{StatementPolicy, statements};

fn ledger(n: usize) -> Ledger {
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let mut l = Ledger::new(ChartOfAccounts::standard_kkmp().unwrap(), start);
    l.reserve(n, 2);
    let pairs: [(String, String); 6] = [
        (kkmp::KAS.into(), kkmp::SIMPANAN_WAJIB.into()),
        (kkmp::KAS.into(), kkmp::member_revenue("02")),
        (kkmp::KAS.into(), kkmp::non_member_revenue("02")),
        (kkmp::PERSEDIAAN.into(), kkmp::BANK.into()),
        (kkmp::BANK.into(), kkmp::SIMPANAN_SUKARELA.into()),
        (kkmp::BEBAN_GAJI.into(), kkmp::BANK.into()),
    ];
    // Opening capital so that no payment ever overdraws kas or bank (every entry is posted).
    for (k, cash) in [kkmp::KAS, kkmp::BANK].into_iter().enumerate() {
        let e = JournalEntry::new(
            EntryId::from_u128(u128::MAX - k as u128),
            start,
            ActorId::from_u128(1),
        )
        .debit(cash, Rupiah::from_rupiah(1_000_000_000_000))
        .unwrap()
        .credit(kkmp::HIBAH, Rupiah::from_rupiah(1_000_000_000_000))
        .unwrap();
        l.post(&e).unwrap();
    }
    let mut seed: u64 = 42;
    for i in 0..n {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        let (dr, cr) = &pairs[(seed >> 33) as usize % pairs.len()];
        let amt = Rupiah::from_sen(((seed >> 20) % 1_000_000 + 100) as i64);
        let date = start + chrono::Days::new((i * 365 / n) as u64);
        let e = JournalEntry::new(
            EntryId::from_u128(i as u128 + 1),
            date,
            ActorId::from_u128(1),
        )
        .debit(dr, amt)
        .unwrap()
        .credit(cr, amt)
        .unwrap();
        l.post(&e).unwrap();
    }
    l
}

fn bench(c: &mut Criterion) {
    let l = ledger(1_000_000);
    let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
    let cur = Period::new(d(7, 1), d(12, 31)).unwrap();
    let prior = Period::new(d(1, 1), d(6, 30)).unwrap();
    let policy = StatementPolicy::standard_kkmp();
    let mut g = c.benchmark_group("statements");
    g.sample_size(10);
    g.bench_function("four statements, 1M entries, with comparative", |b| {
        b.iter(|| statements(&l, cur, Some(prior), &policy).unwrap());
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
