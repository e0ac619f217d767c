//! Benchmarks of the targets: import an MT940 file of 100,000 statement lines
//! (≤ 200 ms) and reconcile 100,000 bank lines against a ledger of 1,000,000 entries (≤ 1 s).
#![allow(missing_docs)]

mod workload;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use koperasi_ledger::kkmp;
use koperasi_reconcile::{Config, mt940, reconcile};
use workload::{bank_items, ledger, mt940_text};

fn benches(c: &mut Criterion) {
    let items = bank_items();
    let text = mt940_text(&items);
    let mut g = c.benchmark_group("reconcile");
    g.sample_size(10);
    g.bench_function("mt940_import_100k_lines", |b| {
        b.iter(|| black_box(mt940::parse("bench.sta", black_box(text.as_bytes())).unwrap()));
    });
    let books = ledger(&items);
    let sts = mt940::parse("bench.sta", text.as_bytes()).unwrap();
    let cfg = Config::default();
    let r = reconcile(&books, kkmp::BANK, &sts, &cfg).unwrap();
    assert!(r.unexplained.is_zero());
    eprintln!(
        "check: {} bank lines, {} matches, {} unmatched bank, {} unmatched books, {} suggestions",
        sts[0].lines.len(),
        r.matched.len(),
        r.unmatched_bank.len(),
        r.unmatched_books.len(),
        r.suggestions.len()
    );
    g.bench_function("reconcile_100k_bank_lines_1m_entries", |b| {
        b.iter(|| black_box(reconcile(&books, kkmp::BANK, black_box(&sts), &cfg).unwrap()));
    });
    g.finish();
}

criterion_group!(group, benches);
criterion_main!(group);
