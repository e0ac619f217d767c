//! The same workload through koperasi-ledger and doubleentry 0.8's in-memory `Journal`:
//! two-line cash sales (validation + Merkle log in both), a trial balance over the posted
//! entries, and an inclusion proof.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use doubleentry::prelude::*;
use koperasi_core::{ActorId, EntryId, Rupiah};
use koperasi_ledger::{ChartOfAccounts, JournalEntry, Ledger, kkmp};

const N: u64 = 20_000;
const TB_N: u64 = 100_000;

fn ours_entry(i: u64) -> JournalEntry {
    let day = NaiveDate::from_ymd_opt(2026, 6, 15).unwrap();
    JournalEntry::new(
        EntryId::from_u128(u128::from(i) + 1),
        day,
        ActorId::from_u128(1),
    )
    .debit(kkmp::KAS, Rupiah::from_rupiah(1))
    .unwrap()
    .credit("4-1-02", Rupiah::from_rupiah(1))
    .unwrap()
}

fn ours(n: u64) -> Ledger {
    let mut l = Ledger::new(
        ChartOfAccounts::standard_kkmp().unwrap(),
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
    );
    for i in 0..n {
        l.post(&ours_entry(i)).unwrap();
    }
    l
}

fn idr() -> Currency {
    Currency::new("IDR").unwrap()
}

fn theirs_books() -> Journal {
    let mut books = Journal::new(LedgerId::new("example.com/kdmp").unwrap());
    books
        .declare_currency(idr(), 2, date!("2026-01-01"))
        .unwrap();
    books
        .open("Assets:Cash", AccountKind::Asset, date!("2026-01-01"))
        .unwrap();
    books
        .open("Income:Sales", AccountKind::Income, date!("2026-01-01"))
        .unwrap();
    books.define_months(2026, 1..=12).unwrap();
    books
}

fn theirs_entry(i: u64) -> Entry {
    Entry::new(format!("sale-{i}"), date!("2026-06-15"))
        .debit("Assets:Cash", amount!("1.00"), idr())
        .credit("Income:Sales", amount!("1.00"), idr())
}

fn theirs(n: u64) -> Journal {
    let mut books = theirs_books();
    for i in 0..n {
        books.record(theirs_entry(i)).unwrap();
    }
    books
}

fn posting(c: &mut Criterion) {
    let mut g = c.benchmark_group("peer/post_two_line");
    g.throughput(Throughput::Elements(N));
    g.sample_size(10);
    let ours_entries: Vec<_> = (0..N).map(ours_entry).collect();
    g.bench_function("koperasi-ledger", |b| {
        b.iter_batched(
            || {
                Ledger::new(
                    ChartOfAccounts::standard_kkmp().unwrap(),
                    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
                )
            },
            |mut l| {
                for e in &ours_entries {
                    l.post(e).unwrap();
                }
                l
            },
            BatchSize::PerIteration,
        );
    });
    g.bench_function("doubleentry-0.8", |b| {
        b.iter_batched(
            || (theirs_books(), (0..N).map(theirs_entry).collect::<Vec<_>>()),
            |(mut books, entries)| {
                for e in entries {
                    books.record(e).unwrap();
                }
                books
            },
            BatchSize::PerIteration,
        );
    });
    g.finish();
}

fn queries(c: &mut Criterion) {
    let mut g = c.benchmark_group("peer/queries_100k");
    g.sample_size(10);
    let l = ours(TB_N);
    let day = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
    g.bench_function("koperasi-ledger/trial_balance", |b| {
        b.iter(|| black_box(l.trial_balance(day).unwrap()));
    });
    let mid = NaiveDate::from_ymd_opt(2026, 6, 14).unwrap();
    g.bench_function("koperasi-ledger/trial_balance_scan", |b| {
        b.iter(|| black_box(l.trial_balance(mid).unwrap()));
    });
    let id = EntryId::from_u128(12_345);
    g.bench_function("koperasi-ledger/inclusion_proof", |b| {
        b.iter(|| black_box(l.inclusion_proof(id).unwrap()));
    });
    let mut books = theirs(TB_N);
    let q = BalanceQuery::through(date!("2026-12-31"));
    g.bench_function("doubleentry-0.8/trial_balance", |b| {
        b.iter(|| black_box(books.trial_balance(&q).unwrap()));
    });
    let rec = books.record(theirs_entry(12_344));
    let their_id = match rec {
        Ok(r) => r.id,
        Err(e) => panic!("{e}"),
    };
    g.bench_function("doubleentry-0.8/inclusion_proof", |b| {
        b.iter(|| black_box(books.prove_entry(their_id).unwrap()));
    });
    g.finish();
}

criterion_group!(benches, posting, queries);
criterion_main!(benches);
