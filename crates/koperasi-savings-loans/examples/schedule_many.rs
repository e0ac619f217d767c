//! Builds N full 72-month annuity schedules (Rp150 juta, 9,5% a year): a fixed workload for
//! instruction counts (`valgrind --tool=callgrind`), where wall time on a shared machine is
//! too noisy.
//!
//! `cargo run --release -p koperasi-savings-loans --example schedule_many -- 10000`

use std::hint::black_box;

use koperasi_core::chrono::NaiveDate;
use koperasi_core::{Decimal, Rate, Rupiah};
use koperasi_savings_loans::{LoanTerms, Method};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: u64 = std::env::args()
        .nth(1)
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(10_000);
    let terms = LoanTerms::new(
        Rupiah::from_rupiah(150_000_000),
        Rate::per_year(Decimal::new(95, 1))?,
        72,
        Method::Annuity,
        NaiveDate::from_ymd_opt(2025, 1, 15).ok_or("date")?,
    );
    let mut check = 0_usize;
    for _ in 0..n {
        let s = black_box(&terms).schedule()?;
        check = check.wrapping_add(s.installments().len());
    }
    println!("{n} schedules, {check} rows");
    Ok(())
}
