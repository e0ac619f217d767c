//! The city demo end to end: 29 KKMP × 300 members simulated for a year (every operation
//! validated, computed and posted), then the city view; and the reports read from books:
//! an as-of snapshot of one year-old book and the city report over 29 books. Run short on
//! a shared machine, one bench at a time:
//! `cargo bench --bench city -- reports --warm-up-time 1 --measurement-time 3`. The `reports`
//! group also times the statements and the health inputs of one book, and the city report
//! read on two threads; the demo's whole pipeline (without the disk):
//! `cargo bench --bench city -- demo`.
#![allow(missing_docs)]

use criterion::{Criterion, criterion_group, criterion_main};
use koperasi::city::{CityEntry, CityReport};
use koperasi::core::chrono::NaiveDate;
use koperasi::reporting::city::ThresholdSchedule;
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

fn reports(c: &mut Criterion) {
    let coops = simulate_city(&SimConfig::new(29, 300, 2026), &|_, _| {}).expect("simulated");
    let dec31 = NaiveDate::from_ymd_opt(2026, 12, 31).expect("date");
    let as_of = coops
        .iter()
        .map(|c| c.book.last_date())
        .max()
        .expect("books");
    let entries: Vec<CityEntry<'_>> = coops
        .iter()
        .map(|c| CityEntry::new(&c.code, &c.name, &c.book, &c.management))
        .collect();
    let schedule = ThresholdSchedule::default();
    let mut g = c.benchmark_group("reports");
    g.sample_size(10);
    g.bench_function("snapshot_one_book_300_members_year_end", |b| {
        b.iter(|| coops[0].book.snapshot(dec31).expect("snapshot"));
    });
    let year = koperasi::core::FiscalYear::calendar(2026).expect("year");
    g.bench_function("statements_one_book_year", |b| {
        b.iter(|| {
            coops[0]
                .book
                .statements(year.period().expect("period"), None)
                .expect("statements")
        });
    });
    g.bench_function("health_inputs_one_book_year", |b| {
        b.iter(|| {
            koperasi::city::health_inputs(&coops[0].book, year, &coops[0].management)
                .expect("health")
        });
    });
    g.bench_function("city_report_29_books", |b| {
        b.iter(|| {
            CityReport::build("Kota Probolinggo", &entries, 2026, as_of, &schedule).expect("city")
        });
    });
    g.bench_function("city_report_29_books_two_threads", |b| {
        b.iter(|| {
            CityReport::build_with_threads("Kota Probolinggo", &entries, 2026, as_of, &schedule, 2)
                .expect("city")
        });
    });
    g.finish();
}

/// The demo's whole pipeline without the disk: simulate the city, build the city report and
/// its files, serialise every ledger (record by record, as `koperasi demo` streams it) and
/// every event log. Serial: `koperasi demo` spreads the serialisation over its threads.
fn demo_pipeline(c: &mut Criterion) {
    let mut g = c.benchmark_group("demo");
    g.sample_size(10);
    g.bench_function("29_coops_x_300_members_simulate_report_serialise", |b| {
        b.iter(|| {
            let coops =
                simulate_city(&SimConfig::new(29, 300, 2026), &|_, _| {}).expect("simulated");
            let entries: Vec<CityEntry<'_>> = coops
                .iter()
                .map(|c| CityEntry::new(&c.code, &c.name, &c.book, &c.management))
                .collect();
            let as_of = coops
                .iter()
                .map(|c| c.book.last_date())
                .max()
                .expect("books");
            let report = CityReport::build(
                "Kota Probolinggo",
                &entries,
                2026,
                as_of,
                &ThresholdSchedule::default(),
            )
            .expect("city")
            .simulated();
            let mut bytes: usize = report
                .files()
                .expect("files")
                .iter()
                .map(|(_, s)| s.len())
                .sum();
            for c in &coops {
                let mut w = Vec::new();
                for r in c.book.ledger().records() {
                    serde_json::to_writer(&mut w, &r).expect("ledger");
                    w.push(b'\n');
                }
                bytes += w.len() + c.book.to_json_lines().expect("events").len();
            }
            bytes
        });
    });
    g.finish();
}

criterion_group!(benches, city, reports, demo_pipeline);
criterion_main!(benches);
