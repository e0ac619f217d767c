//! Targets (issue 17): a 72-month plan with 7 units ≤ 1 ms; a sensitivity grid of 1,000
//! scenarios ≤ 1 s.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use koperasi_core::chrono::NaiveDate;
use koperasi_core::{Decimal, Rupiah};
use koperasi_planning::{
    Financing, GraceTreatment, Plan, Prepared, Scenario, SchemeId, Staff, UnitKind, UnitPlan,
    assess, grid, sensitivity,
};

fn seven_unit_plan() -> Plan {
    let r = Rupiah::from_rupiah;
    let d = Decimal::from;
    let season = [90, 85, 95, 110, 115, 105, 100, 95, 95, 100, 100, 110]
        .map(d)
        .to_vec();
    let unit = |name: &str, kind, capex, rev, cogs, opex| {
        UnitPlan::new(name, kind, r(capex), 96, r(rev), d(cogs), r(opex))
            .with_staff(vec![Staff::new("staf", 2, r(2_900_000))])
            .with_growth(d(5), d(4))
            .with_seasonality(season.clone())
            .with_working_capital(d(20), d(5), d(14))
    };
    let units = vec![
        unit(
            "Gerai sembako",
            UnitKind::Sembako,
            900_000_000,
            420_000_000,
            82,
            9_000_000,
        ),
        unit(
            "Apotek",
            UnitKind::Apotek,
            400_000_000,
            110_000_000,
            72,
            4_500_000,
        ),
        unit(
            "Klinik",
            UnitKind::Klinik,
            400_000_000,
            80_000_000,
            30,
            15_000_000,
        ),
        unit(
            "Simpan pinjam",
            UnitKind::SimpanPinjam,
            50_000_000,
            12_000_000,
            0,
            2_000_000,
        ),
        unit(
            "Cold storage",
            UnitKind::ColdStorage,
            500_000_000,
            38_000_000,
            10,
            9_500_000,
        ),
        unit(
            "Logistik",
            UnitKind::Logistik,
            600_000_000,
            45_000_000,
            35,
            8_000_000,
        ),
        unit(
            "Kantor koperasi",
            UnitKind::KantorKoperasi,
            150_000_000,
            20_000_000,
            0,
            3_000_000,
        ),
    ];
    Plan::new(
        "KKMP Sukamaju",
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        72,
        units,
    )
    .with_financing(Financing::loan(
        SchemeId::Pmk49_2025,
        r(3_000_000_000),
        d(6),
        72,
        6,
        GraceTreatment::InterestOnly,
    ))
    .with_own_funds(r(150_000_000), r(200_000_000))
}

fn bench(c: &mut Criterion) {
    let plan = seven_unit_plan();
    c.bench_function("plan_72m_7units_project", |b| {
        b.iter(|| {
            Prepared::new(black_box(&plan))
                .and_then(|p| p.project(&Scenario::base()))
                .unwrap()
        });
    });
    c.bench_function("plan_72m_7units_assess_no_sensitivity", |b| {
        b.iter(|| koperasi_planning::assess_with(black_box(&plan), &[]).unwrap());
    });
    c.bench_function("plan_72m_7units_assess_with_5_scenarios", |b| {
        b.iter(|| assess(black_box(&plan)).unwrap());
    });
    let prepared = Prepared::new(&plan).unwrap();
    let steps = |lo: i64| {
        (0..10)
            .map(|k| Decimal::from(lo + 3 * k))
            .collect::<Vec<_>>()
    };
    let scenarios = grid(&steps(-27), &steps(0), &(0..10).collect::<Vec<u32>>());
    assert_eq!(scenarios.len(), 1000);
    c.bench_function("sensitivity_grid_1000", |b| {
        b.iter(|| sensitivity(black_box(&prepared), black_box(&scenarios)).unwrap());
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
