//! The RAT package of a year-old book of 300 members (SIMULASI: one simulated cooperative),
//! built from the book (`koperasi::rat::build`, an officer's package with every member's
//! statement and the health assessment) and rendered (HTML, CSV). Target: the package
//! ≤ 200 ms. Run short on a shared machine:
//! `cargo bench --bench rat -- --warm-up-time 1 --measurement-time 3`.
#![allow(missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use koperasi::rat::{self, RatOptions, Reader};
use koperasi_sim::{SimConfig, simulate_cooperative};

fn rat_package(c: &mut Criterion) {
    let coop = simulate_cooperative(&SimConfig::new(1, 300, 2026), 0).expect("simulated");
    let options = RatOptions::new(Reader::Officer)
        .with_management(coop.management)
        .simulated(true);
    let package = rat::build(&coop.book, 2026, &options).expect("package");
    let mut g = c.benchmark_group("rat");
    g.sample_size(10);
    g.bench_function("build_300_members_year", |b| {
        b.iter(|| rat::build(&coop.book, 2026, &options).expect("package"));
    });
    g.bench_function("html_300_members", |b| {
        b.iter(|| package.html().expect("html"));
    });
    g.bench_function("csv_300_members", |b| {
        b.iter(|| package.csv_files().expect("csv"));
    });
    g.finish();
}

criterion_group!(benches, rat_package);
criterion_main!(benches);
