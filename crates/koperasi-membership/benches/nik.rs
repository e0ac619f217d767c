//! NIK parsing throughput (target: ≥ 10,000,000 parses per second on one core).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use koperasi_membership::Nik;

fn niks(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let province = [11, 32, 33, 35, 51, 73, 93][i % 7];
            let day = 1 + (i % 28) + if i % 2 == 0 { 40 } else { 0 };
            format!(
                "{province:02}{:02}{:02}{day:02}{:02}{:02}{:04}",
                1 + i % 79,
                1 + i % 31,
                1 + i % 12,
                i % 100,
                1 + i % 9999
            )
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let inputs = niks(1024);
    let with_spaces: Vec<String> = inputs
        .iter()
        .map(|s| format!("{} {} {} {}", &s[..4], &s[4..8], &s[8..12], &s[12..]))
        .collect();
    let mut g = c.benchmark_group("nik");
    g.throughput(Throughput::Elements(inputs.len() as u64));
    g.bench_function("parse_16_digits", |b| {
        b.iter(|| {
            let mut ok = 0usize;
            for s in &inputs {
                ok += usize::from(Nik::parse(black_box(s)).is_ok());
            }
            assert_eq!(ok, 1024);
            ok
        });
    });
    g.bench_function("parse_with_spaces", |b| {
        b.iter(|| {
            let mut ok = 0usize;
            for s in &with_spaces {
                ok += usize::from(Nik::parse(black_box(s)).is_ok());
            }
            ok
        });
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
