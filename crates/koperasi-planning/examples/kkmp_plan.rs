//! A KKMP plan with three units (gerai sembako, apotek, cold storage) financed by a Himbara
//! loan under PMK 49/2025: the feasibility summary, the findings and the first year's RAPB.
//!
//! `cargo run -p koperasi-planning --example kkmp_plan`

use koperasi_core::chrono::NaiveDate;
use koperasi_core::{Decimal, FiscalYear, Rupiah};
use koperasi_planning::rapb::rapb;
use koperasi_planning::report::{markdown, rapb_report};
use koperasi_planning::{
    Financing, GraceTreatment, Plan, Prepared, Scenario, SchemeId, Staff, UnitKind, UnitPlan,
    assess,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let r = Rupiah::from_rupiah;
    let d = Decimal::from;
    let harvest = [90, 85, 95, 110, 115, 105, 100, 95, 95, 100, 100, 110]
        .map(d)
        .to_vec();
    let units = vec![
        UnitPlan::new(
            "Gerai sembako",
            UnitKind::Sembako,
            r(1_600_000_000),
            120,
            r(420_000_000),
            d(82),
            r(9_000_000),
        )
        .with_staff(vec![
            Staff::new("kasir", 3, r(2_800_000)),
            Staff::new("kepala gerai", 1, r(4_000_000)),
        ])
        .with_growth(d(5), d(4))
        .with_seasonality(harvest)
        .with_working_capital(d(20), d(3), d(14)),
        UnitPlan::new(
            "Apotek desa",
            UnitKind::Apotek,
            r(700_000_000),
            96,
            r(110_000_000),
            d(72),
            r(4_500_000),
        )
        .with_staff(vec![
            Staff::new("apoteker", 1, r(5_500_000)),
            Staff::new("asisten", 1, r(3_000_000)),
        ])
        .with_working_capital(d(45), d(0), d(30))
        .with_start_month(3),
        UnitPlan::new(
            "Cold storage ikan",
            UnitKind::ColdStorage,
            r(500_000_000),
            96,
            r(38_000_000),
            d(10),
            r(9_500_000),
        )
        .with_staff(vec![Staff::new("operator", 2, r(2_900_000))])
        .with_start_month(4),
    ];
    let plan = Plan::new(
        "KKMP Sukamaju",
        NaiveDate::from_ymd_opt(2026, 1, 1).ok_or("date")?,
        72,
        units,
    )
    .with_financing(
        Financing::loan(
            SchemeId::Pmk49_2025,
            r(3_000_000_000),
            d(6),
            72,
            6,
            GraceTreatment::InterestOnly,
        )
        .with_operational(r(250_000_000)),
    )
    .with_own_funds(r(100_000_000), r(175_000_000));

    let a = assess(&plan)?;
    println!(
        "Angsuran reguler: {}",
        a.installment.map_or_else(|| "–".into(), |i| i.to_string())
    );
    println!("DSCR terendah {:?}, rata-rata {:?}", a.dscr_min, a.dscr_avg);
    println!(
        "NPV {} · IRR {:?}% per tahun · kembali modal bulan ke-{:?}",
        a.npv, a.irr, a.payback_months
    );
    println!("Layak: {}", if a.feasible { "ya" } else { "tidak" });
    for f in &a.findings {
        println!("  [{}] {}: {}", f.severity.label(), f.rule, f.message);
    }
    let projection = Prepared::new(&plan)?.project(&Scenario::base())?;
    let budget = rapb(&projection, FiscalYear::calendar(2026)?)?;
    println!("\n{}", markdown(&rapb_report(&budget, &plan.name)));
    Ok(())
}
