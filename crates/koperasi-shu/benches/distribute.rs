//! Benchmarks for the SHU distribution (target: 1,000,000 members in ≤ 300 ms).
#![allow(missing_docs)]

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use koperasi_core::{MemberId, Rupiah, uuid::Uuid};
use koperasi_shu::{MemberContribution, ShareRounding, ShuPolicy, ShuYear, distribute};
use std::hint::black_box;

/// Deterministic members in scrambled key order: capital Rp100.000–Rp10.000.000, purchases
/// Rp0–Rp50.000.000 (one in ten buys nothing).
fn members(n: usize) -> Vec<MemberContribution<MemberId>> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    (0..n)
        .map(|_| {
            let id = MemberId::from_uuid(Uuid::from_u128(u128::from(next())));
            let capital =
                Rupiah::from_rupiah(100_000 + i64::try_from(next() % 9_900_000).unwrap_or(0));
            let r = next();
            let purchases = if r % 10 == 0 {
                Rupiah::ZERO
            } else {
                Rupiah::from_sen(i64::try_from(r % 5_000_000_000).unwrap_or(0))
            };
            MemberContribution::simple(id, capital, purchases)
        })
        .collect()
}

fn bench_distribute(c: &mut Criterion) {
    let mut g = c.benchmark_group("distribute");
    g.sample_size(10);
    let year = ShuYear::new(Rupiah::from_sen(12_345_678_901_234));
    let floor = ShuPolicy::typical();
    let exact = ShuPolicy::typical().with_rounding(ShareRounding::EXACT_RUPIAH);
    for n in [1_000usize, 1_000_000] {
        let shuffled = members(n);
        // The book passes its members in id order (a BTreeMap): the usual case.
        let mut sorted = shuffled.clone();
        sorted.sort_by_key(|m| m.id);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("floor_sorted", n), &sorted, |b, m| {
            b.iter(|| distribute(black_box(&floor), black_box(&year), black_box(m)));
        });
        g.bench_with_input(BenchmarkId::new("floor_shuffled", n), &shuffled, |b, m| {
            b.iter(|| distribute(black_box(&floor), black_box(&year), black_box(m)));
        });
        g.bench_with_input(
            BenchmarkId::new("largest_remainder_sorted", n),
            &sorted,
            |b, m| {
                b.iter(|| distribute(black_box(&exact), black_box(&year), black_box(m)));
            },
        );
    }
    // String keys (the CLI's), 1,000,000 members in key order.
    let m: Vec<MemberContribution<String>> = members(1_000_000)
        .into_iter()
        .enumerate()
        .map(|(i, c)| MemberContribution {
            id: format!("A-{i:07}"),
            savings: c.savings,
            transactions: c.transactions,
            left_during_year: false,
        })
        .collect();
    g.bench_with_input(
        BenchmarkId::new("floor_sorted_string_keys", 1_000_000),
        &m,
        |b, m| {
            b.iter(|| distribute(black_box(&floor), black_box(&year), black_box(m)));
        },
    );
    g.finish();
}

criterion_group!(benches, bench_distribute);
criterion_main!(benches);
