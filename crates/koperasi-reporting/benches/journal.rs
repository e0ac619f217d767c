//! `plaintext::balance` on a generated 100,000-transaction journal (~20 MB).
#![allow(
    clippy::cast_possible_wrap,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "benchmark data generation with small, known ranges"
)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use koperasi_reporting::plaintext;
use std::fmt::Write as _;

fn journal(n: usize) -> String {
    let mut s = String::with_capacity(n * 210);
    s.push_str("commodity IDR 1000.00\n\n");
    let mut seed: u64 = 7;
    for t in 0..n {
        let day = t * 365 / n;
        let (m, d) = (day / 31 % 12 + 1, day % 28 + 1);
        let _ = writeln!(s, "2026-{m:02}-{d:02} * (BKM-{t:06}) Transaksi anggota");
        let mut sum: i64 = 0;
        let np = if t % 10 < 3 { 3 } else { 2 };
        for _ in 1..np {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let a = (seed >> 33) % 4000;
            let amt = ((seed >> 12) % 500_000_000 + 100) as i64;
            sum += amt;
            let _ = writeln!(
                s,
                "    Aset:Lancar:Kios Sembako:Rekening {a:04}    IDR {}.{:02}",
                amt / 100,
                amt % 100
            );
        }
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        let a = (seed >> 33) % 4000;
        let _ = writeln!(
            s,
            "    Beban:Usaha:Kantor Koperasi:Rekening {a:04}    IDR -{}.{:02}\n",
            sum / 100,
            sum % 100
        );
    }
    s
}

fn bench(c: &mut Criterion) {
    let j = journal(100_000);
    let mut g = c.benchmark_group("journal");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(j.len() as u64));
    g.bench_function("balance, 100k transactions", |b| {
        b.iter(|| plaintext::balance(&j).unwrap());
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
