//! Ledger benchmarks: posting (validation + audit log), trial balance, proofs.
//!
//! `cargo bench -p koperasi-ledger --bench ledger -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use koperasi_core::{ActorId, EntryId, MemberId, Rupiah};
use koperasi_ledger::{
    BusinessUnit, ChartOfAccounts, Counterparty, JournalEntry, Ledger, Line, kkmp,
};

/// A realistic two-line entry: cash in, member revenue of the sembako unit, with
/// dimensions, memo and source.
fn entry(i: u64) -> JournalEntry {
    let day = NaiveDate::from_ymd_opt(2025, 1, 1)
        .unwrap()
        .checked_add_days(chrono::Days::new(i % 365))
        .unwrap();
    let amount = Rupiah::from_sen(100_000 + i64::try_from(i % 997).unwrap() * 100);
    let member = MemberId::from_u128(u128::from(i % 500) + 1);
    JournalEntry::new(
        EntryId::from_u128(u128::from(i) + 1),
        day,
        ActorId::from_u128(1),
    )
    .with_memo("Penjualan sembako")
    .with_source("sale")
    .with_line(
        Line::debit(kkmp::KAS, amount)
            .unwrap()
            .unit(BusinessUnit::Sembako),
    )
    .with_line(
        Line::credit("4-1-02", amount)
            .unwrap()
            .unit(BusinessUnit::Sembako)
            .counterparty(Counterparty::Member)
            .member(member),
    )
}

fn books(n: u64) -> Ledger {
    let mut l = Ledger::new(
        ChartOfAccounts::standard_kkmp().unwrap(),
        NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
    );
    l.reserve(usize::try_from(n).unwrap(), 2);
    for i in 0..n {
        l.post(&entry(i)).unwrap();
    }
    l
}

fn posting(c: &mut Criterion) {
    const N: u64 = 100_000;
    let entries: Vec<JournalEntry> = (0..N).map(entry).collect();
    let mut g = c.benchmark_group("post");
    g.throughput(Throughput::Elements(N));
    g.sample_size(10);
    g.bench_function("two_line_entries_100k", |b| {
        b.iter_batched(
            || {
                Ledger::new(
                    ChartOfAccounts::standard_kkmp().unwrap(),
                    NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
                )
            },
            |mut l| {
                for e in &entries {
                    l.post(e).unwrap();
                }
                l
            },
            BatchSize::PerIteration,
        );
    });
    // The same, with the volume announced (`Ledger::reserve`): no table or log growth.
    g.bench_function("two_line_entries_100k_reserved", |b| {
        b.iter_batched(
            || {
                let mut l = Ledger::new(
                    ChartOfAccounts::standard_kkmp().unwrap(),
                    NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
                );
                l.reserve(entries.len(), 2);
                l
            },
            |mut l| {
                for e in &entries {
                    l.post(e).unwrap();
                }
                l
            },
            BatchSize::PerIteration,
        );
    });
    g.bench_function("batch_two_line_entries_100k", |b| {
        b.iter_batched(
            || {
                Ledger::new(
                    ChartOfAccounts::standard_kkmp().unwrap(),
                    NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
                )
            },
            |mut l| {
                l.post_batch(&entries).unwrap();
                l
            },
            BatchSize::PerIteration,
        );
    });
    g.finish();
}

fn queries(c: &mut Criterion) {
    let l = books(1_000_000);
    let mut g = c.benchmark_group("ledger_1m_entries");
    g.sample_size(20);
    let last = l.last_date().unwrap();
    let mid = NaiveDate::from_ymd_opt(2025, 6, 30).unwrap();
    g.bench_function("trial_balance_latest", |b| {
        b.iter(|| black_box(l.trial_balance(black_box(last)).unwrap()));
    });
    g.bench_function("trial_balance_mid_year", |b| {
        b.iter(|| black_box(l.trial_balance(black_box(mid)).unwrap()));
    });
    let id = EntryId::from_u128(123_457);
    g.bench_function("inclusion_proof", |b| {
        b.iter(|| black_box(l.inclusion_proof(black_box(id)).unwrap()));
    });
    let size = l.audit().len();
    g.bench_function("balance_proof_current", |b| {
        b.iter(|| black_box(l.balance_proof(kkmp::KAS, black_box(size)).unwrap()));
    });
    g.bench_function("balance_proof_past_size", |b| {
        b.iter(|| {
            black_box(
                l.balance_proof(kkmp::KAS, black_box(size / 2 + 1234))
                    .unwrap(),
            )
        });
    });
    g.bench_function("checkpoint", |b| {
        b.iter(|| black_box(l.checkpoint("kdmp/ledger").unwrap()));
    });
    g.sample_size(10);
    g.bench_function("verify", |b| b.iter(|| l.verify().unwrap()));
    g.finish();
}

criterion_group!(benches, posting, queries);
criterion_main!(benches);
