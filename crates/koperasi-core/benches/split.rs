//! Benchmarks for the exact splits (target: 1,000,000 weights in ≤ 100 ms).
#![allow(missing_docs)]

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use koperasi_core::{Decimal, RoundingPolicy, Rupiah, split_exact, split_exact_into, split_floor};
use std::hint::black_box;

fn weights(n: usize) -> Vec<Decimal> {
    // Deterministic, varied weights: capital balances between Rp100.000 and Rp10.000.000.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            Decimal::from(100_000 + (x % 9_900_000))
        })
        .collect()
}

fn bench_split(c: &mut Criterion) {
    let mut g = c.benchmark_group("split");
    g.sample_size(20);
    for n in [1_000usize, 1_000_000] {
        let w = weights(n);
        let total = Rupiah::from_rupiah(1_234_567_891);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("split_exact", n), &w, |b, w| {
            b.iter(|| split_exact(black_box(total), black_box(w), Rupiah::ONE));
        });
        g.bench_with_input(BenchmarkId::new("split_exact_into", n), &w, |b, w| {
            let mut out = Vec::new();
            b.iter(|| split_exact_into(black_box(total), black_box(w), Rupiah::ONE, &mut out));
        });
        g.bench_with_input(BenchmarkId::new("split_floor", n), &w, |b, w| {
            b.iter(|| split_floor(black_box(total), black_box(w), Rupiah::ONE));
        });
    }
    g.finish();
}

fn bench_rounding(c: &mut Criterion) {
    let v = Decimal::new(100_499_504_321, 6);
    c.bench_function("rounding/half_up_to_rupiah", |b| {
        b.iter(|| RoundingPolicy::WHOLE_RUPIAH.round_decimal(black_box(v)));
    });
    c.bench_function("rupiah/parse", |b| {
        b.iter(|| black_box("1234567.50").parse::<Rupiah>());
    });
    c.bench_function("rupiah/display", |b| {
        b.iter(|| black_box(Rupiah::from_sen(123_456_750)).to_string());
    });
}

criterion_group!(benches, bench_split, bench_rounding);
criterion_main!(benches);
