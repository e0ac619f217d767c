//! A registry of 1,000,000 members: registration (with eligibility and NIK checks) and lookup.

use std::hint::black_box;
use std::time::Duration;

use chrono::NaiveDate;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use koperasi_core::MemberId;
use koperasi_membership::{Applicant, MembershipRules, Nik, Registry, VillageCode};

const N: usize = 1_000_000;

fn nik(i: usize) -> Nik {
    let s = format!(
        "35{:02}{:02}{:02}{:02}{:02}{:04}",
        1 + (i / 9999 / 99) % 99,
        1 + (i / 9999) % 99,
        1 + i % 28,
        1 + i % 12,
        50 + i % 50,
        1 + i % 9999
    );
    Nik::parse(&s).unwrap()
}

fn applicants(village: VillageCode) -> Vec<Applicant> {
    let birth = NaiveDate::from_ymd_opt(1980, 1, 1).unwrap();
    (0..N)
        .map(|i| {
            Applicant::new(
                MemberId::from_u128(i as u128 + 1),
                nik(i),
                format!("Anggota {i}"),
                birth,
                village,
            )
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let village: VillageCode = "35.74.01.1001".parse().unwrap();
    let on = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
    let all = applicants(village);
    let mut g = c.benchmark_group("registry");
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(10));
    g.throughput(Throughput::Elements(N as u64));
    g.bench_function("register_1m", |b| {
        b.iter_batched(
            || all.clone(),
            |apps| {
                let mut reg = Registry::with_capacity(MembershipRules::kdmp(village), N);
                for a in apps {
                    reg.register(a, on).unwrap();
                }
                reg
            },
            BatchSize::PerIteration,
        );
    });
    g.finish();
    let mut reg = Registry::with_capacity(MembershipRules::kdmp(village), N);
    for a in all {
        reg.register(a, on).unwrap();
    }
    let probes: Vec<(MemberId, Nik)> = (0..10_000)
        .map(|k| {
            let i = (k * 7919) % N;
            (MemberId::from_u128(i as u128 + 1), nik(i))
        })
        .collect();
    let mut g = c.benchmark_group("registry_lookup_in_1m");
    g.throughput(Throughput::Elements(probes.len() as u64));
    g.bench_function("by_nik", |b| {
        b.iter(|| {
            probes
                .iter()
                .filter(|(_, n)| reg.by_nik(black_box(n)).is_some())
                .count()
        });
    });
    g.bench_function("by_id", |b| {
        b.iter(|| {
            probes
                .iter()
                .filter(|(id, _)| reg.get(black_box(*id)).is_some())
                .count()
        });
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
