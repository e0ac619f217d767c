//! The city demo end to end: 29 KKMP × 300 members simulated for a year (every operation
//! validated, computed and posted), then the city view. Run short on a shared machine:
//! `cargo bench --bench city -- --warm-up-time 1 --measurement-time 10`.
#![allow(missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use koperasi_sim::{SimConfig, simulate_city};

fn city(c: &mut Criterion) {
    let mut g = c.benchmark_group("city");
    g.sample_size(10);
    g.bench_function("29_coops_x_300_members_year", |b| {
        b.iter(|| simulate_city(&SimConfig::new(29, 300, 2026), &|_, _| {}));
    });
    g.bench_function("1_coop_x_300_members_year_single_thread", |b| {
        b.iter(|| simulate_city(&SimConfig::new(1, 300, 2026).with_threads(1), &|_, _| {}));
    });
    g.finish();
}

criterion_group!(benches, city);
criterion_main!(benches);
