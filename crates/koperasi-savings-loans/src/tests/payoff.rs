//! Paying the payoff amount (pelunasan) closes the loan, whatever the overpayment rule.

use super::*;

/// Repays exactly the quoted payoff on `date` and checks that it closes the loan.
fn pay_off(loan: &mut Loan, date: NaiveDate) -> Repayment {
    let quote = loan.payoff_amount(date).unwrap();
    let rep = loan.repay(date, quote).unwrap();
    let left: Vec<_> = loan
        .installments()
        .iter()
        .filter(|s| s.outstanding().unwrap() != Dues::default())
        .map(|s| (s.number, s.outstanding().unwrap()))
        .collect();
    assert!(left.is_empty(), "still owed after paying {quote}: {left:?}");
    assert!(rep.closes_loan);
    assert_eq!(rep.excess, Rupiah::ZERO);
    assert_eq!(rep.totals.total().unwrap(), quote);
    assert_eq!(loan.status(), LoanStatus::Closed);
    assert_eq!(loan.outstanding_principal().unwrap(), Rupiah::ZERO);
    rep
}

const MODES: [Overpayment; 4] = [
    Overpayment::PayAhead,
    Overpayment::ReduceTenor,
    Overpayment::ReduceInstallment,
    Overpayment::Refund,
];

#[test]
fn paying_the_payoff_closes_a_himbara_loan() {
    let p = HimbaraProfile::pmk_49_2025();
    for grace in [GraceInterest::Paid, GraceInterest::Deferred] {
        let t = p
            .terms(r(1_000_000_000), r(0), 60, 6, grace, d(2025, 8, 20))
            .unwrap();
        // during the grace, on a due date, and after the grace with arrears
        for date in [d(2025, 10, 1), d(2025, 12, 12), d(2026, 6, 20)] {
            let (mut loan, _) = Loan::disburse(t.clone(), LoanOptions::default(), &[]).unwrap();
            pay_off(&mut loan, date);
        }
    }
}

#[test]
fn paying_the_payoff_closes_member_loans_of_every_method_and_overpayment_rule() {
    let penalty = PenaltyRule::PerDay {
        charge: Charge::Percent(pct("0.1")),
        grace_days: 3,
    };
    for method in [Method::Flat, Method::Annuity, Method::EqualPrincipal] {
        for mode in MODES {
            for penalised in [false, true] {
                let t = LoanTerms::new(
                    r(12_000_000),
                    Rate::per_month(Decimal::ONE).unwrap(),
                    12,
                    method,
                    d(2025, 1, 10),
                );
                let mut opts = LoanOptions::default().with_overpayment(mode);
                if penalised {
                    opts = opts.with_penalty(penalty);
                }
                let fee = Fee {
                    kind: FeeKind::Administration,
                    charge: Charge::Fixed(r(50_000)),
                    collection: FeeCollection::WithFirstInstallment,
                };
                // on the disbursement day, between due dates, on a due date, in arrears
                for date in [
                    d(2025, 1, 10),
                    d(2025, 1, 25),
                    d(2025, 2, 10),
                    d(2025, 5, 3),
                ] {
                    let (mut loan, _) = Loan::disburse(t.clone(), opts, &[fee]).unwrap();
                    pay_off(&mut loan, date);
                }
                // after a regular installment and a partial overpayment
                let (mut loan, _) = Loan::disburse(t.clone(), opts, &[fee]).unwrap();
                let first = loan.due_as_of(d(2025, 2, 10)).unwrap().total().unwrap();
                loan.repay(d(2025, 2, 10), first.checked_add(r(1_500_000)).unwrap())
                    .unwrap();
                pay_off(&mut loan, d(2025, 4, 20));
            }
        }
    }
}

#[test]
fn a_payoff_on_a_due_date_owes_nothing_for_the_period_starting_that_day() {
    // Rp1.200.000 flat, 1% a month: installment 1 (pokok 100.000 + bunga 12.000) is due on
    // 10 February; the second period starts that day and has earned nothing yet.
    let mut loan = flat_loan(LoanOptions::default());
    assert_eq!(loan.payoff_amount(d(2025, 1, 10)).unwrap(), r(1_200_000));
    assert_eq!(loan.payoff_amount(d(2025, 1, 20)).unwrap(), r(1_212_000));
    assert_eq!(loan.payoff_amount(d(2025, 2, 10)).unwrap(), r(1_212_000));
    assert_eq!(loan.payoff_amount(d(2025, 2, 11)).unwrap(), r(1_224_000));
    let rep = pay_off(&mut loan, d(2025, 2, 10));
    assert_eq!(rep.totals.interest, r(12_000));
    assert_eq!(rep.totals.principal, r(1_200_000));
}

#[test]
fn paying_more_than_the_payoff_returns_the_difference_as_excess() {
    for mode in MODES {
        let mut loan = flat_loan(LoanOptions::default().with_overpayment(mode));
        let quote = loan.payoff_amount(d(2025, 3, 1)).unwrap();
        let rep = loan
            .repay(d(2025, 3, 1), quote.checked_add(r(7_500)).unwrap())
            .unwrap();
        assert!(rep.closes_loan, "{mode:?}");
        assert_eq!(rep.excess, r(7_500), "{mode:?}");
        assert_eq!(rep.totals.total().unwrap(), quote, "{mode:?}");
        assert_eq!(loan.status(), LoanStatus::Closed);
    }
}

#[test]
fn a_payoff_in_a_deferred_grace_collects_the_interest_earned_so_far() {
    // Rp1.000.000.000 at 6% a year: Rp5.000.000 a month, deferred during the 6-month grace.
    let t = HimbaraProfile::pmk_49_2025()
        .terms(
            r(1_000_000_000),
            r(0),
            60,
            6,
            GraceInterest::Deferred,
            d(2025, 8, 20),
        )
        .unwrap();
    let (mut loan, _) = Loan::disburse(t, LoanOptions::default(), &[]).unwrap();
    // Three periods have ended (due 12 Sep, 12 Oct and 12 Nov) and a fourth is running on
    // 1 Dec: Rp20.000.000 of interest earned and deferred, all owed on a payoff.
    let quote = loan.payoff_amount(d(2025, 12, 1)).unwrap();
    let earned: Vec<Rupiah> = loan
        .installments()
        .iter()
        .take(4)
        .map(|s| s.period_interest)
        .collect();
    let expected = Rupiah::try_sum(earned.into_iter().chain([r(1_000_000_000)])).unwrap();
    assert_eq!(quote, expected);
    assert_eq!(quote, r(1_020_000_000));
    let rep = pay_off(&mut loan, d(2025, 12, 1));
    assert_eq!(rep.totals.principal, r(1_000_000_000));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// For any loan state and date, repaying exactly `payoff_amount(d)` on `d` closes the loan
    /// with nothing outstanding and no excess, and the repayment's allocations (and totals)
    /// add up to the payoff amount; paying more returns the difference as excess. Over random
    /// terms, overpayment rules, allocation orders, penalty rules, a fee with the first
    /// installment and random earlier repayments.
    #[test]
    fn prop_payoff_closes_the_loan(
        t in strategy::loan_terms(),
        payments in prop::collection::vec((0_u64..200, 1_i64..500_000_000), 0..5),
        later in 0_u64..400,
        extra in 0_i64..1_000_000,
        mode in 0_usize..4,
        order in 0_usize..3,
        penalty in 0_u8..3,
        fee in prop::option::of(0_i64..10_000_000),
    ) {
        let allocation = [AllocationOrder::default(), AllocationOrder::interest_first(), AllocationOrder::principal_first()][order];
        let mut opts = LoanOptions::default().with_overpayment(MODES[mode]).with_allocation(allocation);
        opts = match penalty {
            0 => opts,
            1 => opts.with_penalty(PenaltyRule::PerDay { charge: Charge::Percent(pct("0.1")), grace_days: 3 }),
            _ => opts.with_penalty(PenaltyRule::PerLateInstallment { charge: Charge::Fixed(r(25_000)), grace_days: 0 }),
        };
        let fees: Vec<Fee> = fee.into_iter().map(|sen| Fee {
            kind: FeeKind::Administration,
            charge: Charge::Fixed(Rupiah::from_sen(sen)),
            collection: FeeCollection::WithFirstInstallment,
        }).collect();
        let (mut loan, _) = Loan::disburse(t.clone(), opts, &fees).unwrap();
        let mut date = t.disbursement;
        for (days, sen) in payments {
            date = date.checked_add_days(chrono::Days::new(days)).unwrap();
            if loan.repay(date, Rupiah::from_sen(sen)).is_err() {
                break;
            }
        }
        if loan.status() != LoanStatus::Active {
            return Ok(()); // repaid by the earlier payments
        }
        let date = date.checked_add_days(chrono::Days::new(later)).unwrap();
        let quote = loan.payoff_amount(date).unwrap();
        let mut twin = loan.clone();

        let rep = loan.repay(date, quote).unwrap();
        prop_assert!(rep.closes_loan);
        prop_assert_eq!(rep.excess, Rupiah::ZERO);
        prop_assert_eq!(loan.status(), LoanStatus::Closed);
        prop_assert_eq!(loan.outstanding_principal().unwrap(), Rupiah::ZERO);
        for s in loan.installments() {
            prop_assert_eq!(s.outstanding().unwrap(), Dues::default(), "installment {}", s.number);
        }
        let allocated = Rupiah::try_sum(rep.allocations.iter().map(|a| a.parts.total().unwrap())).unwrap();
        prop_assert_eq!(allocated, quote);
        prop_assert_eq!(rep.totals.total().unwrap(), quote);

        let more = quote.checked_add(Rupiah::from_sen(extra)).unwrap();
        let rep = twin.repay(date, more).unwrap();
        prop_assert!(rep.closes_loan);
        prop_assert_eq!(rep.excess, Rupiah::from_sen(extra));
        prop_assert_eq!(rep.totals.total().unwrap(), quote);
    }
}

#[test]
fn the_legacy_repayment_keeps_the_old_pay_ahead_for_replaying_old_records() {
    // The old quote on a due date counted the period starting that day; paying it the old
    // way put the surplus on future installments' interest first and left the loan open.
    let mut loan = flat_loan(LoanOptions::default());
    let old = loan.payoff_amount_legacy(d(2025, 2, 10)).unwrap();
    assert_eq!(old, r(1_224_000));
    let rep = loan.repay_legacy(d(2025, 2, 10), old).unwrap();
    assert!(!rep.closes_loan);
    assert_eq!(loan.status(), LoanStatus::Active);
    assert!(loan.outstanding_principal().unwrap().is_positive());
}
