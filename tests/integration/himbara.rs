//! The Himbara loan's interest on the accrual basis: each month-end accrues the interest
//! incurred and not yet paid (bunga pinjaman Himbara yang masih harus dibayar); an installment
//! is expensed in full and the next month-end takes back what was accrued for it.
use proptest::prelude::*;

use koperasi::core::chrono::{Datelike, NaiveDate};
use koperasi::core::{Rupiah, month_end};
use koperasi::ledger::kkmp;
use koperasi::savings_loans::LoanStatus;
use koperasi::{Koperasi, Operation, PostingRole};

use crate::common::*;

fn date(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn bal(b: &Koperasi, role: PostingRole) -> Rupiah {
    b.role_balance(role).unwrap()
}

/// Σ interest, penalties and fees paid to the bank on the Himbara loan (what an installment
/// expenses).
fn paid_to_the_bank(b: &Koperasi) -> Rupiah {
    b.himbara().map_or(Rupiah::ZERO, |l| {
        l.installments().iter().fold(Rupiah::ZERO, |t, i| {
            t.checked_add(i.paid.interest)
                .and_then(|t| t.checked_add(i.paid.penalty))
                .and_then(|t| t.checked_add(i.paid.fee))
                .unwrap()
        })
    })
}

/// The invariants that hold after every operation: the payable is its register and never
/// negative, every control account reconciles, the trial balance balances.
fn check(b: &Koperasi) {
    let payable = bal(b, PostingRole::AccruedHimbaraInterest);
    assert_eq!(payable, b.himbara_accrual());
    assert!(!payable.is_negative(), "payable {payable}");
    for c in b.reconcile().unwrap() {
        assert!(c.reconciles(), "{c:?}");
    }
    let tb = b.ledger().trial_balance(b.last_date()).unwrap();
    assert_eq!(tb.total_debit, tb.total_credit);
}

fn drawdown(b: &mut Koperasi, on: NaiveDate, principal: i64, tenor: u32, grace: u32) {
    b.run(
        on,
        KETUA,
        Operation::HimbaraDrawdown {
            principal: rp(principal),
            operational: rp(100_000_000),
            tenor_months: tenor,
            grace_months: grace,
        },
    )
    .unwrap();
}

#[test]
fn one_month_of_himbara_interest_is_accrued_worked_example() {
    let mut b = book(2);
    drawdown(&mut b, d(1, 12), 2_000_000_000, 36, 6);
    b.run(d(1, 31), BENDAHARA, Operation::MonthEnd).unwrap();
    // By hand: 6% a year is 0,5% a month; 0,5% × Rp2.000.000.000 = Rp10.000.000 for the
    // period 12 January – 12 February (31 days). By 31 January 19 days have run:
    // 10.000.000 × 19 / 31 = 6.129.032,26 → Rp6.129.032 (half-up to the rupiah).
    let jan = rp(6_129_032);
    assert_eq!(b.himbara_accrual(), jan);
    assert_eq!(
        b.ledger()
            .balance(kkmp::UTANG_BUNGA_HIMBARA, d(1, 31))
            .unwrap(),
        jan
    );
    assert_eq!(
        b.ledger()
            .balance(kkmp::BEBAN_BUNGA_BANK, d(1, 31))
            .unwrap(),
        jan
    );
    let entry = b
        .ledger()
        .entries_by_source("month-end:2026-01-31/himbara-accrual");
    assert_eq!(entry.len(), 1);
    assert_eq!(entry[0].memo(), "Akrual bunga pinjaman Himbara");
    check(&b);
    // The PHU of January carries the month's interest (SAK EP, accrual basis).
    let jan_period = koperasi::core::Period::new(d(1, 1), d(1, 31)).unwrap();
    let s = b.statements(jan_period, None).unwrap();
    let bunga = s
        .income_statement
        .sections
        .iter()
        .flat_map(|x| &x.lines)
        .find(|l| l.accounts.iter().any(|a| a == kkmp::BEBAN_BUNGA_BANK))
        .map(|l| l.amounts.current);
    assert_eq!(bunga, Some(jan));
}

/// One month of the Himbara loan's life: what is paid (on which day) and whether the
/// month-end is run.
#[derive(Debug, Clone)]
enum Pay {
    Nothing,
    /// What is due by that day (arrears and the installment due).
    Due(u32),
    /// A part of what is due, in thousands of rupiah.
    Part(u32, i64),
}

fn month() -> impl Strategy<Value = (Pay, bool)> {
    (
        prop_oneof![
            1 => Just(Pay::Nothing),
            4 => (1u32..29).prop_map(Pay::Due),
            1 => (1u32..29, 1i64..20_000).prop_map(|(day, k)| Pay::Part(day, k)),
        ],
        prop::bool::weighted(0.85),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Over a Himbara loan's life — a drawdown, months of installments (on time, late,
    /// partial or skipped), month-ends (some skipped) and the payoff — the interest expensed
    /// equals what was paid to the bank once a month-end follows the payoff; the payable
    /// never goes negative and always equals its register; every control account and the
    /// trial balance hold after each step; the log replays to the same book.
    #[test]
    fn prop_himbara_interest_expense_is_conserved(
        principal in 1i64..=30,
        grace in 6u32..=8,
        tenor in prop_oneof![Just(12u32), Just(24), Just(36)],
        months in prop::collection::vec(month(), 1..16),
    ) {
        let mut b = book(1);
        drawdown(&mut b, d(1, 12), principal * 100_000_000, tenor, grace);
        // Enough in the bank for any installments of the months drawn.
        b.run(
            d(1, 12),
            BENDAHARA,
            Operation::Capital {
                kind: koperasi::CapitalKind::Participation,
                amount: rp(principal * 100_000_000 + 500_000_000),
                via: koperasi::Via::Bank,
            },
        )
        .unwrap();
        let (mut y, mut m) = (2026, 2);
        let mut first = true;
        for (pay, run_month_end) in months {
            // January's month-end first (the drawdown's month).
            if first {
                b.run(d(1, 31), BENDAHARA, Operation::MonthEnd).unwrap();
                check(&b);
                first = false;
            }
            let active = b.himbara().is_some_and(|l| l.status() == LoanStatus::Active);
            let day = |k: u32| date(y, m, k);
            let amount = match pay {
                _ if !active => None,
                Pay::Nothing => None,
                Pay::Due(k) => {
                    let due = b.himbara().unwrap().due_as_of(day(k)).unwrap().total().unwrap();
                    due.is_positive().then_some((k, due))
                }
                Pay::Part(k, thousands) => {
                    let owed = b.himbara().unwrap().payoff_amount(day(k)).unwrap();
                    Some((k, rp(thousands * 1_000).min(owed)))
                }
            };
            if let Some((k, amount)) = amount {
                b.run(day(k), BENDAHARA, Operation::HimbaraInstallment { amount }).unwrap();
                check(&b);
            }
            if run_month_end {
                b.run(month_end(y, m).unwrap(), BENDAHARA, Operation::MonthEnd).unwrap();
                check(&b);
            }
            (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        }
        // The payoff, then a month-end: nothing stays accrued, and over the life the expense
        // is exactly what the bank was paid.
        // (The payoff amount pays ahead under the loan's default overpayment rule, future
        // installments' interest first, so closing the loan may take several payments.)
        let on = date(y, m, 5);
        b.run(
            on,
            BENDAHARA,
            Operation::Capital {
                kind: koperasi::CapitalKind::Participation,
                amount: rp(principal * 100_000_000 + 500_000_000),
                via: koperasi::Via::Bank,
            },
        )
        .unwrap();
        for _ in 0..80 {
            if b.himbara().is_none_or(|l| l.status() != LoanStatus::Active) {
                break;
            }
            let owed = b.himbara().unwrap().payoff_amount(on).unwrap();
            b.run(on, BENDAHARA, Operation::HimbaraInstallment { amount: owed }).unwrap();
            check(&b);
        }
        prop_assert_eq!(b.himbara().unwrap().status(), LoanStatus::Closed);
        let last = month_end(on.year(), on.month()).unwrap();
        b.run(last, BENDAHARA, Operation::MonthEnd).unwrap();
        check(&b);
        prop_assert_eq!(b.himbara_accrual(), Rupiah::ZERO);
        prop_assert_eq!(bal(&b, PostingRole::AccruedHimbaraInterest), Rupiah::ZERO);
        prop_assert_eq!(bal(&b, PostingRole::BankInterestExpense), paid_to_the_bank(&b));
        // Replay and the snapshot give the same book.
        let again = Koperasi::replay(b.config().clone(), b.events().to_vec()).unwrap();
        prop_assert_eq!(fingerprint(&again), fingerprint(&b));
        let back = Koperasi::from_snapshot(&b.to_snapshot().unwrap()).unwrap();
        prop_assert_eq!(fingerprint(&back), fingerprint(&b));
    }
}

/// A log written before the accrual (format 4: a Himbara loan, installments, month-ends) reads
/// back from JSON Lines to the book it was: no accrual entry, the same audit root; the first
/// month-end written now (format 5) catches the accrual up.
#[test]
fn a_format_4_log_with_himbara_month_ends_replays_as_written() {
    let mut old = book(1);
    drawdown(&mut old, d(1, 12), 1_000_000_000, 36, 6);
    let run4 = |b: &mut Koperasi, on: NaiveDate, op: Operation| {
        let mut e = koperasi::Event::new(on, BENDAHARA, op);
        e.format = 4;
        b.apply(e).unwrap();
    };
    run4(&mut old, d(1, 31), Operation::MonthEnd);
    run4(
        &mut old,
        d(2, 12),
        Operation::HimbaraInstallment {
            amount: rp(5_000_000),
        },
    );
    run4(&mut old, d(2, 28), Operation::MonthEnd);
    assert_eq!(old.himbara_accrual(), Rupiah::ZERO);
    assert!(
        old.ledger()
            .entries()
            .all(|e| !e.source().ends_with("/himbara-accrual"))
    );
    // Interest expensed on the cash basis, as before: the one installment.
    assert_eq!(bal(&old, PostingRole::BankInterestExpense), rp(5_000_000));
    let back = Koperasi::from_json_lines(&old.to_json_lines().unwrap()).unwrap();
    assert_eq!(back.audit_head(), old.audit_head());
    assert_eq!(fingerprint(&back), fingerprint(&old));
    let mut now = back;
    now.run(d(3, 31), BENDAHARA, Operation::MonthEnd).unwrap();
    // Installment 2 (due 12 March) unpaid and 19 of the 31 days to 12 April:
    // 5.000.000 + 5.000.000 × 19/31 → Rp8.064.516.
    assert_eq!(now.himbara_accrual(), rp(8_064_516));
    check(&now);
}
