//! As-of snapshots: a snapshot as of D ignores every operation dated after D.

use std::sync::OnceLock;

use koperasi::core::chrono::{Days, NaiveDate};
use koperasi::savings_loans::{Collectibility, LoanStatus};
use koperasi::{Koperasi, PostingRole};
use koperasi_sim::{SimConfig, SimulatedCoop, simulate_cooperative};
use proptest::prelude::*;

/// A simulated year of a troubled cooperative (late payers, defaulters, a write-off).
fn coop() -> &'static SimulatedCoop {
    static C: OnceLock<SimulatedCoop> = OnceLock::new();
    C.get_or_init(|| simulate_cooperative(&SimConfig::new(6, 40, 17), 5).unwrap())
}

/// The book as it stood at the end of `d`: only the events dated on or before `d`.
fn book_as_of(book: &Koperasi, d: NaiveDate) -> Koperasi {
    Koperasi::replay(
        book.config().clone(),
        book.events().iter().filter(|e| e.date <= d).cloned(),
    )
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// A snapshot as of D of the whole book equals the snapshot of the book replayed from
    /// the events dated on or before D: operations after D change nothing in it.
    #[test]
    fn prop_snapshot_ignores_later_operations(day in 0u64..460) {
        let c = coop();
        let d = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap().checked_add_days(Days::new(day)).unwrap();
        let full = c.book.snapshot(d).unwrap();
        let past = book_as_of(&c.book, d).snapshot(d).unwrap();
        prop_assert_eq!(full, past);
    }
}

#[test]
fn snapshot_loans_agree_with_the_subledger_and_the_control_account() {
    let c = coop();
    let d = c.book.last_date();
    let s = c.book.snapshot(d).unwrap();
    assert_eq!(s.loans.len(), c.book.loans().len());
    for l in &s.loans {
        let account = &c.book.loans()[&l.loan];
        let expected = if account.loan.status() == LoanStatus::Active {
            account.loan.outstanding_principal().unwrap()
        } else {
            koperasi::core::Rupiah::ZERO
        };
        assert_eq!(l.outstanding, expected, "loan {}", l.loan);
        assert_eq!(
            l.written_off,
            account.loan.status() == LoanStatus::WrittenOff
        );
    }
    assert_eq!(
        s.by_class.outstanding().unwrap(),
        c.book.role_balance(PostingRole::LoanReceivable).unwrap()
    );
    // A written-off loan is off the books and macet.
    let off: Vec<_> = s.loans.iter().filter(|l| l.written_off).collect();
    assert!(!off.is_empty());
    assert!(
        off.iter()
            .all(|l| l.class == Collectibility::Loss && l.outstanding.is_zero())
    );
}

/// At every month-end the book classifies its loans from their state on that day; the
/// snapshot as of that day, computed from the schedule and the completed installments,
/// gives each loan on the books the same class and the PPAP the month-end booked.
#[test]
fn snapshot_classes_match_the_month_end_classification() {
    let c = coop();
    let month_ends: Vec<NaiveDate> = c
        .book
        .events()
        .iter()
        .filter(|e| matches!(e.op, koperasi::Operation::MonthEnd))
        .map(|e| e.date)
        .collect();
    assert!(month_ends.len() >= 12);
    let mut classes_seen = std::collections::BTreeSet::new();
    for d in month_ends {
        let then = book_as_of(&c.book, d);
        let s = c.book.snapshot(d).unwrap();
        for l in s.loans.iter().filter(|l| l.outstanding.is_positive()) {
            let stored = then.loans()[&l.loan].class;
            assert_eq!(l.class, stored, "loan {} on {d}", l.loan);
            classes_seen.insert(format!("{stored:?}"));
        }
        assert_eq!(s.reserve_booked, s.reserve_required.total, "PPAP on {d}");
    }
    assert!(classes_seen.len() >= 2, "{classes_seen:?}");
}
