//! Unit tests: worked examples, every error variant, property tests.

use super::*;
use chrono::NaiveDate;
use koperasi_core::{
    Decimal, HolidayCalendar, Holidays, Rate, RoundingMode, Rupiah, SavingsAccountId,
};
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn r(x: i64) -> Rupiah {
    Rupiah::from_rupiah(x)
}

fn pct(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn rows(s: &Schedule) -> Vec<(i64, i64, i64, i64)> {
    s.installments()
        .iter()
        .map(|x| {
            (
                i64::try_from(x.principal.to_sen() / 100).unwrap(),
                i64::try_from(x.interest.to_sen() / 100).unwrap(),
                i64::try_from(x.installment.to_sen() / 100).unwrap(),
                i64::try_from(x.balance.to_sen() / 100).unwrap(),
            )
        })
        .collect()
}

// ---------------------------------------------------------------- published worked examples

/// Anuitas: Rp5.000.000, 1% a month, 10 months: A = 527.910,38, rounded up to Rp1.000 =
/// 528.000, the last installment absorbing the difference (≈ Rp527.062 in the handbook
/// example quoted in domain.md §3.2, which rounds its rows slightly differently; here the
/// interest is rounded half-up per row, giving Rp527.060).
#[test]
fn annuity_handbook_example_rounded_up_to_thousand() {
    let t = LoanTerms::new(
        r(5_000_000),
        Rate::per_month(Decimal::ONE).unwrap(),
        10,
        Method::Annuity,
        d(2025, 1, 1),
    )
    .with_installment_multiple(r(1_000), InstallmentRounding::Up);
    let s = t.schedule().unwrap();
    let got = rows(&s);
    assert_eq!(got[0], (478_000, 50_000, 528_000, 4_522_000));
    assert_eq!(got[1], (482_780, 45_220, 528_000, 4_039_220));
    assert_eq!(got[9], (521_842, 5_218, 527_060, 0));
    assert!(got[..9].iter().all(|x| x.2 == 528_000));
    // Without the multiple: the exact annuity rounded to the rupiah.
    let t = LoanTerms::new(
        r(5_000_000),
        Rate::per_month(Decimal::ONE).unwrap(),
        10,
        Method::Annuity,
        d(2025, 1, 1),
    );
    assert_eq!(
        t.schedule().unwrap().installments()[0].installment,
        r(527_910)
    );
}

/// Flat: installment P/n + P·i = 447.777,78 rounded up to 448.000 (domain.md §3.2); Rp10.000.000
/// over 36 months at 1,7% a month flat reproduces that installment.
#[test]
fn flat_handbook_example_rounded_up_to_thousand() {
    let t = LoanTerms::new(
        r(10_000_000),
        Rate::per_month(pct("1.7")).unwrap(),
        36,
        Method::Flat,
        d(2025, 1, 1),
    )
    .with_installment_multiple(r(1_000), InstallmentRounding::Up);
    let s = t.schedule().unwrap();
    let got = rows(&s);
    assert!(
        got[..35]
            .iter()
            .all(|x| *x == (278_000, 170_000, 448_000, x.3))
    );
    assert_eq!(got[35], (270_000, 170_000, 440_000, 0));
    assert_eq!(s.totals().unwrap().interest, r(6_120_000));
}

/// Bunga efektif (equal principal), the classic handbook example: Rp12.000.000, 12% a year,
/// 12 months: pokok Rp1.000.000 each month, bunga Rp120.000, Rp110.000, … Rp10.000;
/// total bunga Rp780.000.
#[test]
fn equal_principal_handbook_example() {
    let t = LoanTerms::new(
        r(12_000_000),
        Rate::per_year(Decimal::from(12)).unwrap(),
        12,
        Method::EqualPrincipal,
        d(2025, 1, 1),
    );
    let s = t.schedule().unwrap();
    for (k, row) in s.installments().iter().enumerate() {
        let k = i64::try_from(k).unwrap();
        assert_eq!(row.principal, r(1_000_000));
        assert_eq!(row.interest, r(120_000 - 10_000 * k));
    }
    assert_eq!(s.totals().unwrap().interest, r(780_000));
}

/// Bunga flat, the classic handbook example: Rp12.000.000, 1% a month, 12 months: angsuran
/// Rp1.120.000 (pokok 1.000.000 + bunga 120.000); effective ≈ 21,46% a year.
#[test]
fn flat_effective_rate_disclosure() {
    let t = LoanTerms::new(
        r(12_000_000),
        Rate::per_month(Decimal::ONE).unwrap(),
        12,
        Method::Flat,
        d(2025, 1, 1),
    );
    let s = t.schedule().unwrap();
    assert!(
        s.installments()
            .iter()
            .all(|x| x.installment == r(1_120_000))
    );
    let e = s.effective_rate().unwrap();
    // numpy-financial: rate(12, -1120000, 12000000) × 1200 = 21.457184…
    assert_eq!(e.annual_percent, pct("21.4572"));
    assert_eq!(e.periodic_percent, pct("1.788099"));
    // An annuity's effective rate is its nominal rate.
    let a = LoanTerms::new(
        r(120_000_000),
        Rate::per_year(Decimal::from(12)).unwrap(),
        12,
        Method::Annuity,
        d(2025, 1, 1),
    )
    .with_precision(Precision::Sen);
    assert_eq!(
        a.schedule()
            .unwrap()
            .effective_rate()
            .unwrap()
            .annual_percent,
        pct("12")
    );
    // Zero interest: zero effective rate.
    let z = LoanTerms::new(r(1_000), Rate::ZERO, 3, Method::Flat, d(2025, 1, 1));
    assert_eq!(
        z.schedule()
            .unwrap()
            .effective_rate()
            .unwrap()
            .annual_percent,
        Decimal::ZERO
    );
}

#[test]
fn himbara_schedule_grace_then_annuity_due_on_the_12th() {
    let p = HimbaraProfile::pmk_49_2025();
    let t = p
        .terms(
            r(3_000_000_000),
            r(500_000_000),
            72,
            6,
            GraceInterest::Paid,
            d(2025, 8, 20),
        )
        .unwrap();
    let cal = Holidays::weekends();
    let s = t.schedule_with(&cal).unwrap();
    assert_eq!(s.installments().len(), 72);
    for row in &s.installments()[..6] {
        assert_eq!(row.principal, Rupiah::ZERO);
        assert_eq!(row.interest, r(15_000_000));
    }
    // 66 equal installments of 3 miliar at 0,5% a month (numpy-financial pmt = 53.478.818,34)
    assert_eq!(s.installments()[6].installment, r(53_478_818));
    for row in s.installments() {
        assert!(!cal.is_holiday(row.due_date));
        assert!((12..=15).contains(&chrono::Datelike::day(&row.due_date)));
    }
    assert_eq!(s.totals().unwrap().principal, r(3_000_000_000));
    // Deferred grace interest is collected with installment 7.
    let t = p
        .terms(
            r(1_000_000_000),
            r(0),
            72,
            8,
            GraceInterest::Deferred,
            d(2025, 8, 20),
        )
        .unwrap();
    let s = t.schedule().unwrap();
    assert_eq!(s.installments()[0].installment, Rupiah::ZERO);
    assert_eq!(s.installments()[8].interest, r(5_000_000 * 9));
}

#[test]
fn himbara_rejects_terms_outside_pmk_49() {
    let p = HimbaraProfile::pmk_49_2025();
    let day = d(2025, 8, 20);
    let e = |principal, op, tenor, grace| {
        p.terms(principal, op, tenor, grace, GraceInterest::Paid, day)
            .unwrap_err()
    };
    assert!(matches!(
        e(r(3_000_000_001), r(0), 72, 6),
        Error::Himbara(HimbaraViolation::Ceiling { .. })
    ));
    assert!(matches!(
        e(r(1_000_000_000), r(500_000_001), 72, 6),
        Error::Himbara(HimbaraViolation::Operational { .. })
    ));
    assert!(matches!(
        e(r(1_000_000_000), r(0), 73, 6),
        Error::Himbara(HimbaraViolation::Tenor { .. })
    ));
    assert!(matches!(
        e(r(1_000_000_000), r(0), 72, 5),
        Error::Himbara(HimbaraViolation::Grace { .. })
    ));
    assert!(matches!(
        e(r(1_000_000_000), r(0), 72, 9),
        Error::Himbara(HimbaraViolation::Grace { .. })
    ));
    let ok = p
        .terms(r(1_000_000_000), r(0), 72, 6, GraceInterest::Paid, day)
        .unwrap();
    let mut t = ok.clone();
    t.rate = Rate::per_year(Decimal::from(7)).unwrap();
    assert!(matches!(
        p.check(&t, r(0)),
        Err(Error::Himbara(HimbaraViolation::Rate { .. }))
    ));
    // 0,5% a month is 6% a year: accepted.
    t.rate = Rate::per_month(pct("0.5")).unwrap();
    assert!(p.check(&t, r(0)).is_ok());
    let mut t = ok.clone();
    t.every_months = 3;
    assert!(matches!(
        p.check(&t, r(0)),
        Err(Error::Himbara(HimbaraViolation::NotMonthly { .. }))
    ));
    let mut t = ok.clone();
    t.first_due = FirstDue::AfterDisbursement;
    assert!(matches!(
        p.check(&t, r(0)),
        Err(Error::Himbara(HimbaraViolation::DueDay))
    ));
    let mut t = ok.clone();
    t.method = Method::Flat;
    assert!(matches!(
        p.check(&t, r(0)),
        Err(Error::Himbara(HimbaraViolation::Method))
    ));
    let msg = e(r(3_000_000_001), r(0), 72, 6).to_string();
    assert!(msg.contains("PMK 49/2025"), "{msg}");
}

// ---------------------------------------------------------------- schedule features

#[test]
fn due_dates_from_disbursement_clamp_and_never_drift() {
    let t = LoanTerms::new(
        r(3_000_000),
        Rate::per_year(Decimal::from(12)).unwrap(),
        3,
        Method::Annuity,
        d(2025, 1, 31),
    );
    let s = t.schedule().unwrap();
    let due: Vec<_> = s.installments().iter().map(|x| x.due_date).collect();
    assert_eq!(due, [d(2025, 2, 28), d(2025, 3, 31), d(2025, 4, 30)]);
    // every 3 months
    let s = t.clone().with_every_months(3).schedule().unwrap();
    assert_eq!(s.installments()[0].due_date, d(2025, 4, 30));
    // 3-monthly interest = 3% of the balance
    assert_eq!(s.installments()[0].interest, r(90_000));
}

#[test]
fn fixed_due_day_with_holidays() {
    // Due on the 31st: clamped to month ends, then past weekends and a holiday.
    let cal = Holidays::weekends().with_holidays([d(2025, 3, 31), d(2025, 4, 1)]);
    let t = LoanTerms::new(
        r(3_000_000),
        Rate::per_year(Decimal::from(12)).unwrap(),
        3,
        Method::EqualPrincipal,
        d(2025, 1, 15),
    )
    .with_first_due(FirstDue::DayOfMonth(31));
    let s = t.schedule_with(&cal).unwrap();
    let due: Vec<_> = s.installments().iter().map(|x| x.due_date).collect();
    assert_eq!(due, [d(2025, 2, 28), d(2025, 4, 2), d(2025, 4, 30)]);
    assert_eq!(s.installments()[1].period_start, d(2025, 2, 28));
}

#[test]
fn daily_interest_day_counts() {
    let base = LoanTerms::new(
        r(10_000_000),
        Rate::per_year(Decimal::from(12)).unwrap(),
        2,
        Method::EqualPrincipal,
        d(2025, 1, 1),
    );
    // January has 31 days: 10.000.000 × 12% × 31/365 = 101.917,8 → 101.918
    let s = base
        .clone()
        .with_interest_period(InterestPeriod::Daily(DayCount::Actual365))
        .schedule()
        .unwrap();
    assert_eq!(s.installments()[0].interest, r(101_918));
    // 30/360: 10.000.000 × 12% × 30/360 = 100.000
    let s = base
        .clone()
        .with_interest_period(InterestPeriod::Daily(DayCount::Thirty360))
        .schedule()
        .unwrap();
    assert_eq!(s.installments()[0].interest, r(100_000));
    // actual/actual across a leap year boundary: 2023-12-17 → 2024-01-17 = 15/365 + 16/366
    let t = LoanTerms::new(
        r(36_500_000),
        Rate::per_year(Decimal::from(10)).unwrap(),
        1,
        Method::Flat,
        d(2023, 12, 17),
    )
    .with_interest_period(InterestPeriod::Daily(DayCount::ActualActual))
    .with_precision(Precision::Sen);
    let s = t.schedule().unwrap();
    // 3.650.000 × (15/365 + 16/366) = 150.000 + 159.562,84 = 309.562,84
    assert_eq!(s.installments()[0].interest, "309562.84".parse().unwrap());
}

#[test]
fn grace_on_principal_interest_and_interest_free() {
    let rate = Rate::per_month(Decimal::ONE).unwrap();
    let t = LoanTerms::new(r(1_200_000), rate, 6, Method::EqualPrincipal, d(2025, 1, 1))
        .with_grace(Grace::new(2, 0, 0));
    let g = rows(&t.schedule().unwrap());
    assert_eq!(g[0], (0, 12_000, 12_000, 1_200_000));
    assert_eq!(g[2], (300_000, 12_000, 312_000, 900_000));
    // interest deferred for 2 periods, collected in the 3rd
    let t = LoanTerms::new(r(1_200_000), rate, 6, Method::EqualPrincipal, d(2025, 1, 1))
        .with_grace(Grace::new(0, 2, 0));
    let g = rows(&t.schedule().unwrap());
    assert_eq!(g[0], (200_000, 0, 200_000, 1_000_000));
    assert_eq!(g[2], (200_000, 12_000 + 10_000 + 8_000, 230_000, 600_000));
    // interest-free 3 periods
    let t = LoanTerms::new(r(1_200_000), rate, 6, Method::Flat, d(2025, 1, 1))
        .with_grace(Grace::new(0, 0, 3));
    let s = t.schedule().unwrap();
    assert_eq!(s.totals().unwrap().interest, r(36_000));
    // all combined, annuity
    let t = LoanTerms::new(r(1_200_000), rate, 12, Method::Annuity, d(2025, 1, 1))
        .with_grace(Grace::new(3, 2, 1));
    let s = t.schedule().unwrap();
    let g = rows(&s);
    assert_eq!(g[0], (0, 0, 0, 1_200_000));
    assert_eq!(g[1], (0, 0, 0, 1_200_000));
    assert_eq!(g[2], (0, 24_000, 24_000, 1_200_000));
    assert_eq!(s.totals().unwrap().principal, r(1_200_000));
}

#[test]
fn rounding_modes_and_precision() {
    let rate = Rate::per_year(Decimal::from(10)).unwrap();
    let t = LoanTerms::new(r(1_000_000), rate, 3, Method::EqualPrincipal, d(2025, 1, 1));
    // 1.000.000 / 3 = 333.333,33…
    let down = t
        .clone()
        .with_rounding_mode(RoundingMode::Down)
        .schedule()
        .unwrap();
    assert_eq!(down.installments()[0].principal, r(333_333));
    assert_eq!(down.installments()[2].principal, r(333_334));
    let up = t
        .clone()
        .with_rounding_mode(RoundingMode::Up)
        .schedule()
        .unwrap();
    assert_eq!(up.installments()[0].principal, r(333_334));
    assert_eq!(up.installments()[2].principal, r(333_332));
    let sen = t.clone().with_precision(Precision::Sen).schedule().unwrap();
    assert_eq!(
        sen.installments()[0].principal,
        "333333.33".parse().unwrap()
    );
    assert_eq!(
        sen.installments()[2].principal,
        "333333.34".parse().unwrap()
    );
    // interest 1.000.000 × 10%/12 = 8.333,33…: half-even and half-up agree off the midpoint
    let he = t
        .clone()
        .with_rounding_mode(RoundingMode::HalfEven)
        .schedule()
        .unwrap();
    assert_eq!(he.installments()[0].interest, r(8_333));
    // nearest multiple
    let n = t
        .clone()
        .with_installment_multiple(r(500), InstallmentRounding::Nearest)
        .schedule()
        .unwrap();
    assert_eq!(n.installments()[0].installment, r(341_500));
}

#[test]
fn extreme_rates_and_long_tenors() {
    for (rate, n) in [
        (Rate::per_month(Decimal::from(50)).unwrap(), 360),
        (Rate::per_year(Decimal::from(10_000)).unwrap(), 360),
        (Rate::per_year(pct("0.0000000001")).unwrap(), 360),
        (Rate::ZERO, 1),
    ] {
        for m in [Method::Flat, Method::Annuity, Method::EqualPrincipal] {
            let t = LoanTerms::new(r(2_000_000_000), rate, n, m, d(2025, 1, 1));
            let s = t.schedule().unwrap();
            assert_eq!(s.totals().unwrap().principal, r(2_000_000_000));
            assert_eq!(s.installments().last().unwrap().balance, Rupiah::ZERO);
        }
    }
}

// ---------------------------------------------------------------- every error variant

#[test]
fn error_variants_of_terms() {
    let ok = LoanTerms::new(
        r(1_000_000),
        Rate::per_year(Decimal::from(12)).unwrap(),
        12,
        Method::Annuity,
        d(2025, 1, 1),
    );
    assert!(ok.validate().is_ok());
    let mut t = ok.clone();
    t.principal = Rupiah::ZERO;
    assert!(matches!(t.schedule(), Err(Error::InvalidPrincipal { .. })));
    t.principal = "1000.50".parse().unwrap();
    assert!(matches!(t.schedule(), Err(Error::InvalidPrincipal { .. })));
    assert!(t.clone().with_precision(Precision::Sen).schedule().is_ok());
    let mut t = ok.clone();
    t.installments = 0;
    assert_eq!(
        t.validate(),
        Err(Error::InvalidTenor {
            installments: 0,
            max: MAX_INSTALLMENTS
        })
    );
    t.installments = 601;
    assert!(matches!(t.validate(), Err(Error::InvalidTenor { .. })));
    assert_eq!(
        ok.clone().with_every_months(0).validate(),
        Err(Error::InvalidFrequency { every_months: 0 })
    );
    assert_eq!(
        ok.clone().with_every_months(13).validate(),
        Err(Error::InvalidFrequency { every_months: 13 })
    );
    assert_eq!(
        ok.clone()
            .with_first_due(FirstDue::DayOfMonth(0))
            .validate(),
        Err(Error::InvalidDueDay { day: 0 })
    );
    assert_eq!(
        ok.clone()
            .with_first_due(FirstDue::DayOfMonth(32))
            .validate(),
        Err(Error::InvalidDueDay { day: 32 })
    );
    let mut t = ok.clone();
    t.rate = Rate::per_year(Decimal::from(10_001)).unwrap();
    assert!(matches!(t.validate(), Err(Error::RateOutOfRange { .. })));
    t.rate = Rate::per_year(pct("1.00000000001")).unwrap();
    assert!(matches!(t.validate(), Err(Error::RateOutOfRange { .. })));
    assert!(matches!(
        ok.clone().with_grace(Grace::new(12, 0, 0)).validate(),
        Err(Error::InvalidGrace {
            what: "grace on principal",
            ..
        })
    ));
    assert!(matches!(
        ok.clone().with_grace(Grace::new(0, 12, 0)).validate(),
        Err(Error::InvalidGrace {
            what: "grace on interest",
            ..
        })
    ));
    assert!(matches!(
        ok.clone().with_grace(Grace::new(0, 0, 13)).validate(),
        Err(Error::InvalidGrace {
            what: "interest-free period",
            ..
        })
    ));
    assert!(
        ok.clone()
            .with_grace(Grace::new(0, 0, 12))
            .validate()
            .is_ok()
    );
    assert!(matches!(
        ok.clone()
            .with_installment_multiple(Rupiah::ZERO, InstallmentRounding::Up)
            .validate(),
        Err(Error::InvalidInstallmentMultiple { .. })
    ));
    assert!(matches!(
        ok.clone()
            .with_installment_multiple("0.50".parse().unwrap(), InstallmentRounding::Up)
            .validate(),
        Err(Error::InvalidInstallmentMultiple { .. })
    ));
    // A calendar without working days: the core error, wrapped.
    assert!(matches!(
        ok.schedule_with(&Never),
        Err(Error::Core(koperasi_core::Error::NoBusinessDay { .. }))
    ));
}

struct Never;
impl HolidayCalendar for Never {
    fn is_holiday(&self, _: NaiveDate) -> bool {
        true
    }
}

fn flat_loan(options: LoanOptions) -> Loan {
    let t = LoanTerms::new(
        r(1_200_000),
        Rate::per_month(Decimal::ONE).unwrap(),
        12,
        Method::Flat,
        d(2025, 1, 10),
    );
    Loan::disburse(t, options, &[]).unwrap().0
}

#[test]
fn error_variants_of_loans() {
    let mut loan = flat_loan(LoanOptions::default());
    assert_eq!(
        loan.repay(d(2025, 2, 10), Rupiah::ZERO),
        Err(Error::NonPositiveAmount {
            what: "repayment",
            amount: Rupiah::ZERO
        })
    );
    assert!(matches!(
        loan.repay(d(2025, 1, 9), r(1)),
        Err(Error::DateOutOfOrder { .. })
    ));
    assert_eq!(loan.recover(d(2025, 3, 1), r(1)), Err(Error::NotWrittenOff));
    assert!(matches!(
        loan.interest_accrued_between(d(2025, 3, 1), d(2025, 2, 1)),
        Err(Error::DateOutOfOrder { .. })
    ));
    loan.write_off(d(2025, 6, 1)).unwrap();
    assert_eq!(
        loan.repay(d(2025, 7, 1), r(1)),
        Err(Error::LoanNotActive {
            status: "written off"
        })
    );
    assert!(matches!(
        loan.recover(d(2025, 7, 1), Rupiah::ZERO),
        Err(Error::NonPositiveAmount { .. })
    ));
    assert_eq!(
        AllocationOrder::new(
            AllocationStrategy::InstallmentByInstallment,
            [Component::Fee; 4]
        ),
        Err(Error::InvalidAllocationOrder)
    );
    // bad fee / penalty percentages
    let t = LoanTerms::new(r(1_000_000), Rate::ZERO, 2, Method::Flat, d(2025, 1, 1));
    let fee = Fee {
        kind: FeeKind::Provision,
        charge: Charge::Percent(Decimal::from(101)),
        collection: FeeCollection::Deducted,
    };
    assert!(matches!(
        Loan::disburse(t.clone(), LoanOptions::default(), &[fee]),
        Err(Error::InvalidPercent { what: "fee", .. })
    ));
    let fee = Fee {
        kind: FeeKind::Administration,
        charge: Charge::Fixed(r(-1)),
        collection: FeeCollection::Deducted,
    };
    assert!(matches!(
        Loan::disburse(t.clone(), LoanOptions::default(), &[fee]),
        Err(Error::NonPositiveAmount { what: "fee", .. })
    ));
    let fee = Fee {
        kind: FeeKind::Other,
        charge: Charge::Fixed(r(1_000_000)),
        collection: FeeCollection::Deducted,
    };
    assert!(matches!(
        Loan::disburse(t.clone(), LoanOptions::default(), &[fee]),
        Err(Error::NonPositiveAmount {
            what: "net disbursement",
            ..
        })
    ));
    let bad = LoanOptions::default().with_penalty(PenaltyRule::PerDay {
        charge: Charge::Percent(Decimal::from(-1)),
        grace_days: 0,
    });
    assert!(matches!(
        Loan::disburse(t, bad, &[]),
        Err(Error::InvalidPercent { .. })
    ));
    assert!(matches!(
        allocate(r(-1), &[], &AllocationOrder::default()),
        Err(Error::NonPositiveAmount { .. })
    ));
    assert!(matches!(
        ReserveRates::new(Decimal::ONE, Decimal::from(101), Decimal::ONE, Decimal::ONE),
        Err(Error::InvalidPercent { .. })
    ));
}

#[test]
fn error_variants_of_savings() {
    let id = SavingsAccountId::from_u128(7);
    let mut pokok =
        SavingsAccount::open(id, SavingsProduct::principal(r(100_000)), d(2025, 1, 1)).unwrap();
    assert_eq!(
        pokok.deposit(d(2025, 1, 2), r(50_000)),
        Err(Error::PrincipalSavingsAmount {
            expected: r(100_000),
            amount: r(50_000)
        })
    );
    pokok.deposit(d(2025, 1, 2), r(100_000)).unwrap();
    assert!(matches!(
        pokok.deposit(d(2025, 1, 3), r(100_000)),
        Err(Error::PrincipalSavingsAmount { .. })
    ));
    assert_eq!(
        pokok.withdraw(d(2025, 1, 3), r(1), MemberStanding::Active),
        Err(Error::NotWithdrawable {
            kind: SavingsKind::Principal
        })
    );
    assert!(matches!(
        pokok.deposit(d(2024, 1, 3), r(1)),
        Err(Error::DateOutOfOrder { .. })
    ));
    assert!(matches!(
        pokok.deposit(d(2025, 1, 3), Rupiah::ZERO),
        Err(Error::NonPositiveAmount { .. })
    ));
    assert!(matches!(
        pokok.mandatory_arrears(d(2025, 1, 3)),
        Err(Error::WrongSavingsKind { .. })
    ));
    assert!(matches!(
        pokok.withdraw_time_deposit(d(2025, 1, 3)),
        Err(Error::WrongSavingsKind { .. })
    ));
    pokok.close_on_exit(d(2025, 2, 1)).unwrap();
    assert_eq!(
        pokok.deposit(d(2025, 2, 2), r(1)),
        Err(Error::AccountClosed)
    );
    let mut suk = SavingsAccount::open(
        id,
        SavingsProduct::voluntary(r(10_000), None),
        d(2025, 1, 1),
    )
    .unwrap();
    suk.deposit(d(2025, 1, 1), r(50_000)).unwrap();
    assert_eq!(
        suk.withdraw(d(2025, 1, 2), r(40_001), MemberStanding::Active),
        Err(Error::InsufficientBalance {
            balance: r(50_000),
            requested: r(40_001),
            minimum: r(10_000)
        })
    );
    let td = SavingsProduct::time_deposit(
        6,
        Rate::per_year(Decimal::from(6)).unwrap(),
        EarlyWithdrawal {
            forfeit_interest: true,
            penalty: Charge::Fixed(r(0)),
        },
    );
    assert!(matches!(
        SavingsAccount::open_time_deposit(id, SavingsProduct::principal(r(1)), d(2025, 1, 1), r(1)),
        Err(Error::WrongSavingsKind { .. })
    ));
    assert!(matches!(
        SavingsAccount::open_time_deposit(id, td, d(2025, 1, 1), r(0)),
        Err(Error::NonPositiveAmount { .. })
    ));
    let (mut acc, _) =
        SavingsAccount::open_time_deposit(id, td, d(2025, 1, 1), r(1_000_000)).unwrap();
    assert!(matches!(
        acc.deposit(d(2025, 1, 2), r(1)),
        Err(Error::WrongSavingsKind { .. })
    ));
    assert!(matches!(
        acc.withdraw(d(2025, 1, 2), r(1), MemberStanding::Exited),
        Err(Error::WrongSavingsKind { .. })
    ));
    assert!(matches!(
        acc.close_on_exit(d(2025, 1, 2)),
        Err(Error::WrongSavingsKind { .. })
    ));
    let mut bad = SavingsProduct::time_deposit(
        0,
        Rate::ZERO,
        EarlyWithdrawal {
            forfeit_interest: true,
            penalty: Charge::Fixed(r(0)),
        },
    );
    assert!(matches!(
        SavingsAccount::open(id, bad, d(2025, 1, 1)),
        Err(Error::InvalidTenor { .. })
    ));
    bad.term_months = 3;
    bad.early_withdrawal = Some(EarlyWithdrawal {
        forfeit_interest: true,
        penalty: Charge::Fixed(r(-5)),
    });
    assert!(matches!(
        SavingsAccount::open(id, bad, d(2025, 1, 1)),
        Err(Error::NonPositiveAmount { .. })
    ));
    assert!(matches!(
        SavingsAccount::open(id, SavingsProduct::principal(Rupiah::ZERO), d(2025, 1, 1)),
        Err(Error::NonPositiveAmount { .. })
    ));
    let tax = WithholdingTax {
        percent: Decimal::from(120),
        threshold: Rupiah::ZERO,
    };
    let p = SavingsProduct::voluntary(
        r(0),
        Some(InterestPolicy::new(Rate::ZERO, BalanceMethod::Daily).with_tax(tax)),
    );
    assert!(matches!(
        SavingsAccount::open(id, p, d(2025, 1, 1)),
        Err(Error::InvalidPercent { .. })
    ));
}

// ---------------------------------------------------------------- repayments

#[test]
fn allocation_orders() {
    let o = |amount| {
        Dues {
            penalty: r(5_000),
            fee: r(1_000),
            interest: r(10_000),
            principal: r(100_000),
        }
        .clone_with(amount)
    };
    let lines = [o(0), o(0)];
    let std = allocate(r(20_000), &lines, &AllocationOrder::default()).unwrap();
    assert_eq!(
        std.parts[0],
        Dues {
            penalty: r(5_000),
            fee: r(1_000),
            interest: r(10_000),
            principal: r(4_000)
        }
    );
    let int = allocate(r(25_000), &lines, &AllocationOrder::interest_first()).unwrap();
    assert_eq!(int.parts[0].interest, r(10_000));
    assert_eq!(int.parts[1].interest, r(10_000));
    assert_eq!(int.parts[0].principal, r(5_000));
    let pr = allocate(r(230_000), &lines, &AllocationOrder::principal_first()).unwrap();
    assert_eq!(pr.parts[1].principal, r(100_000));
    assert_eq!(pr.parts[0].interest, r(10_000));
    assert_eq!(pr.parts[1].interest, r(10_000));
    assert_eq!(pr.parts[0].fee, r(1_000));
    assert_eq!(pr.parts[1].fee, r(1_000));
    assert_eq!(pr.parts[0].penalty, r(5_000));
    assert_eq!(pr.parts[1].penalty, r(3_000));
    assert_eq!(pr.remainder, Rupiah::ZERO);
    let all = allocate(r(300_000), &lines, &AllocationOrder::default()).unwrap();
    assert_eq!(all.remainder, r(68_000));
}

trait CloneWith {
    fn clone_with(&self, _x: i64) -> Self;
}
impl CloneWith for Dues {
    fn clone_with(&self, _x: i64) -> Self {
        *self
    }
}

#[test]
fn partial_payment_and_days_past_due() {
    let mut loan = flat_loan(LoanOptions::default());
    // installment: 100.000 + 12.000, due 10 Feb
    let rep = loan.repay(d(2025, 2, 10), r(50_000)).unwrap();
    assert_eq!(rep.totals.interest, r(12_000));
    assert_eq!(rep.totals.principal, r(38_000));
    assert_eq!(loan.days_past_due(d(2025, 3, 1)), 19);
    assert_eq!(loan.installments()[0].days_past_due(d(2025, 3, 1)), 19);
    assert_eq!(loan.arrears(d(2025, 3, 1)).unwrap().principal, r(62_000));
    assert_eq!(loan.arrears(d(2025, 3, 11)).unwrap().principal, r(162_000));
    let rep = loan.repay(d(2025, 3, 12), r(174_000)).unwrap();
    assert_eq!(rep.allocations.len(), 2);
    assert_eq!(loan.days_past_due(d(2025, 3, 12)), 0);
    assert_eq!(loan.installments()[0].days_paid_late(), 30);
    assert_eq!(loan.installments()[1].completed_on, Some(d(2025, 3, 12)));
}

#[test]
fn penalties_per_day_and_per_installment() {
    let opts = LoanOptions::default().with_penalty(PenaltyRule::PerDay {
        charge: Charge::Percent(pct("0.1")),
        grace_days: 0,
    });
    let mut loan = flat_loan(opts);
    // 10 days late on 112.000: 0,1% × 10 = 1.120
    let ch = loan.charge_penalties(d(2025, 2, 20)).unwrap();
    assert_eq!(
        ch,
        [PenaltyCharge {
            installment: 1,
            amount: r(1_120),
            days: 10
        }]
    );
    // idempotent for the same date
    assert!(loan.charge_penalties(d(2025, 2, 20)).unwrap().is_empty());
    let rep = loan.repay(d(2025, 2, 25), r(120_000)).unwrap();
    assert_eq!(rep.penalties_charged[0].amount, r(560));
    assert_eq!(rep.totals.penalty, r(1_680));
    let opts = LoanOptions::default().with_penalty(PenaltyRule::PerLateInstallment {
        charge: Charge::Fixed(r(10_000)),
        grace_days: 5,
    });
    let mut loan = flat_loan(opts);
    assert!(loan.charge_penalties(d(2025, 2, 15)).unwrap().is_empty());
    let ch = loan.charge_penalties(d(2025, 3, 20)).unwrap();
    assert_eq!(ch.len(), 2);
    assert!(loan.charge_penalties(d(2025, 3, 25)).unwrap().is_empty());
    let opts = LoanOptions::default().with_penalty(PenaltyRule::PerLateInstallment {
        charge: Charge::Percent(Decimal::from(5)),
        grace_days: 0,
    });
    let mut loan = flat_loan(opts);
    assert_eq!(
        loan.charge_penalties(d(2025, 2, 11)).unwrap()[0].amount,
        r(5_600)
    );
}

#[test]
fn fees_deducted_and_with_first_installment() {
    let t = LoanTerms::new(
        r(10_000_000),
        Rate::per_month(Decimal::ONE).unwrap(),
        10,
        Method::Flat,
        d(2025, 1, 1),
    );
    let fees = [
        Fee {
            kind: FeeKind::Provision,
            charge: Charge::Percent(Decimal::ONE),
            collection: FeeCollection::Deducted,
        },
        Fee {
            kind: FeeKind::Administration,
            charge: Charge::Fixed(r(50_000)),
            collection: FeeCollection::WithFirstInstallment,
        },
    ];
    let (mut loan, disb) = Loan::disburse(t, LoanOptions::default(), &fees).unwrap();
    assert_eq!(disb.net_cash, r(9_900_000));
    assert_eq!(disb.fees_deducted, [(FeeKind::Provision, r(100_000))]);
    assert_eq!(loan.installments()[0].due.fee, r(50_000));
    let rep = loan.repay(d(2025, 2, 1), r(1_150_000)).unwrap();
    assert_eq!(
        rep.totals,
        Dues {
            penalty: r(0),
            fee: r(50_000),
            interest: r(100_000),
            principal: r(1_000_000)
        }
    );
}

#[test]
fn overpayment_modes() {
    let terms = LoanTerms::new(
        r(12_000_000),
        Rate::per_year(Decimal::from(12)).unwrap(),
        12,
        Method::Annuity,
        d(2025, 1, 1),
    );
    // pay ahead: the next installment is paid in advance
    let (mut a, _) = Loan::disburse(terms.clone(), LoanOptions::default(), &[]).unwrap();
    let inst = a.installments()[0].due.total().unwrap();
    let rep = a
        .repay(d(2025, 2, 1), inst.checked_mul_int(2).unwrap())
        .unwrap();
    assert_eq!(rep.allocations.len(), 2);
    assert!(a.installments()[1].completed_on.is_some());
    // refund
    let (mut a, _) = Loan::disburse(
        terms.clone(),
        LoanOptions::default().with_overpayment(Overpayment::Refund),
        &[],
    )
    .unwrap();
    let rep = a
        .repay(d(2025, 2, 1), inst.checked_add(r(5)).unwrap())
        .unwrap();
    assert_eq!(rep.excess, r(5));
    // reduce tenor: prepay 3.000.000 → fewer installments, same installment
    let (mut a, _) = Loan::disburse(
        terms.clone(),
        LoanOptions::default().with_overpayment(Overpayment::ReduceTenor),
        &[],
    )
    .unwrap();
    let rep = a
        .repay(d(2025, 2, 1), inst.checked_add(r(3_000_000)).unwrap())
        .unwrap();
    assert_eq!(rep.allocations.last().unwrap().installment, None);
    assert_eq!(
        rep.allocations.last().unwrap().parts.principal,
        r(3_000_000)
    );
    assert!(a.installments().len() < 12);
    assert_eq!(a.installments()[2].due.total().unwrap(), inst);
    assert_eq!(
        a.current_schedule().unwrap().totals().unwrap().principal,
        r(9_000_000)
    );
    // reduce installment: same count, smaller installments
    let (mut b, _) = Loan::disburse(
        terms.clone(),
        LoanOptions::default().with_overpayment(Overpayment::ReduceInstallment),
        &[],
    )
    .unwrap();
    b.repay(d(2025, 2, 1), inst.checked_add(r(3_000_000)).unwrap())
        .unwrap();
    assert_eq!(b.installments().len(), 12);
    assert!(b.installments()[3].due.total().unwrap() < inst);
    assert_eq!(
        b.outstanding_principal().unwrap(),
        a.outstanding_principal().unwrap()
    );
    // full payoff
    let payoff = b.payoff_amount(d(2025, 2, 15)).unwrap();
    let rep = b.repay(d(2025, 2, 15), payoff).unwrap();
    assert!(rep.closes_loan);
    assert_eq!(rep.excess, Rupiah::ZERO);
    assert_eq!(b.status(), LoanStatus::Closed);
    assert_eq!(
        b.repay(d(2025, 3, 1), r(1)),
        Err(Error::LoanNotActive { status: "closed" })
    );
}

#[test]
fn accrual_write_off_and_recovery() {
    let mut loan = flat_loan(LoanOptions::default());
    // 12.000 a month; half of February's period (10 Jan → 10 Feb, 31 days) after 15 days
    assert_eq!(loan.accrued_interest(d(2025, 1, 25)).unwrap(), r(5_806));
    assert_eq!(loan.accrued_interest(d(2025, 2, 10)).unwrap(), r(12_000));
    assert_eq!(
        loan.interest_accrued_between(d(2025, 2, 10), d(2025, 3, 10))
            .unwrap(),
        r(12_000)
    );
    let w = loan.write_off(d(2025, 12, 31)).unwrap();
    assert_eq!(w.amounts.principal, r(1_200_000));
    assert_eq!(w.amounts.interest, r(144_000));
    let rec = loan.recover(d(2026, 1, 5), r(1_000_000)).unwrap();
    assert_eq!(rec.remaining, r(344_000));
    let rec = loan.recover(d(2026, 2, 5), r(400_000)).unwrap();
    assert_eq!(
        (rec.recovered, rec.excess, rec.remaining),
        (r(344_000), r(56_000), r(0))
    );
}

// ---------------------------------------------------------------- collectibility and PPAP

#[test]
fn cooperative_four_classes() {
    let base = CollectibilityFacts::new(d(2025, 12, 31), Some(1), r(10_000_000));
    let with = |due: NaiveDate| {
        let mut f = base;
        f.oldest_unpaid_principal = Some(due);
        f
    };
    assert_eq!(classify(&base).unwrap(), Collectibility::Current);
    assert_eq!(
        classify(&with(d(2025, 10, 1))).unwrap(),
        Collectibility::Current
    ); // 3 months
    assert_eq!(
        classify(&with(d(2025, 9, 1))).unwrap(),
        Collectibility::Substandard
    );
    let mut f = with(d(2025, 5, 1)); // > 6 months
    assert_eq!(classify(&f).unwrap(), Collectibility::Loss);
    f.collateral = r(7_500_000);
    assert_eq!(classify(&f).unwrap(), Collectibility::Doubtful);
    f.salvageable = false;
    assert_eq!(classify(&f).unwrap(), Collectibility::Loss);
    f.collateral = r(10_000_000);
    assert_eq!(classify(&f).unwrap(), Collectibility::Doubtful);
    // D for 12 months without repayment ⇒ M (Dec 2006 → Dec 2007 example)
    f.doubtful_since = Some(d(2024, 12, 31));
    assert_eq!(classify(&f).unwrap(), Collectibility::Loss);
    f.last_repayment = Some(d(2025, 6, 1));
    assert_eq!(classify(&f).unwrap(), Collectibility::Doubtful);
    f.legal_or_insurance = true;
    assert_eq!(classify(&f).unwrap(), Collectibility::Loss);
    // weekly installments: principal arrears > 1 month is KL; interest > 3 months beyond
    let mut w = CollectibilityFacts::new(d(2025, 12, 31), Some(0), r(1));
    w.oldest_unpaid_principal = Some(d(2025, 11, 15));
    assert_eq!(classify(&w).unwrap(), Collectibility::Substandard);
    // semi-annual: > 6 months KL
    let mut s = CollectibilityFacts::new(d(2025, 12, 31), Some(6), r(1));
    s.oldest_unpaid_principal = Some(d(2025, 6, 1));
    assert_eq!(classify(&s).unwrap(), Collectibility::Substandard);
    // non-installment: past due ≤ 3 months KL, not yet due with interest arrears > 3 months KL
    let mut b = CollectibilityFacts::new(d(2025, 12, 31), None, r(1));
    b.maturity = Some(d(2025, 11, 30));
    assert_eq!(classify(&b).unwrap(), Collectibility::Substandard);
    b.maturity = Some(d(2026, 6, 30));
    b.oldest_unpaid_interest = Some(d(2025, 8, 31));
    assert_eq!(classify(&b).unwrap(), Collectibility::Substandard);
    b.oldest_unpaid_interest = Some(d(2025, 11, 30));
    assert_eq!(classify(&b).unwrap(), Collectibility::Current);
    assert_eq!(Collectibility::Substandard.indonesian(), "Kurang Lancar");
}

#[test]
fn loan_classification_tracks_time_in_doubtful() {
    let mut loan = flat_loan(LoanOptions::default());
    let col = CollateralInfo {
        value: r(2_000_000),
        ..CollateralInfo::default()
    };
    assert_eq!(
        loan.classify(d(2025, 3, 1), &col).unwrap(),
        Collectibility::Current
    );
    assert_eq!(
        loan.classify(d(2025, 6, 1), &col).unwrap(),
        Collectibility::Substandard
    );
    assert_eq!(
        loan.classify(d(2025, 9, 1), &col).unwrap(),
        Collectibility::Doubtful
    );
    assert_eq!(loan.doubtful_since(), Some(d(2025, 9, 1)));
    assert_eq!(
        loan.classify(d(2026, 9, 1), &col).unwrap(),
        Collectibility::Loss
    );
    assert_eq!(bank_collectibility(0), BankCollectibility::Current);
    assert_eq!(bank_collectibility(90), BankCollectibility::SpecialMention);
    assert_eq!(bank_collectibility(91), BankCollectibility::Substandard);
    assert_eq!(bank_collectibility(270), BankCollectibility::Doubtful);
    assert_eq!(bank_collectibility(271), BankCollectibility::Loss);
}

#[test]
fn reserve_and_problem_loan_risk() {
    let lines = [
        PortfolioLine {
            class: Collectibility::Current,
            outstanding: r(100_000_000),
            eligible_collateral: r(50_000_000),
        },
        PortfolioLine {
            class: Collectibility::Substandard,
            outstanding: r(10_000_000),
            eligible_collateral: r(4_000_000),
        },
        PortfolioLine {
            class: Collectibility::Doubtful,
            outstanding: r(4_000_000),
            eligible_collateral: r(0),
        },
        PortfolioLine {
            class: Collectibility::Loss,
            outstanding: r(1_000_000),
            eligible_collateral: r(5_000_000),
        },
    ];
    let req = required_reserve(&lines, &ReserveRates::default()).unwrap();
    assert_eq!(req.by_class.current, r(500_000));
    assert_eq!(req.total, r(500_000 + 1_000_000 + 2_000_000 + 1_000_000));
    let net = required_reserve(&lines, &ReserveRates::default().net_of_collateral(true)).unwrap();
    assert_eq!(net.by_class.substandard, r(600_000));
    assert_eq!(net.by_class.loss, r(0));
    assert_eq!(req.adjustment(r(5_000_000)).unwrap(), r(-500_000));
    let b = portfolio_by_class(&lines).unwrap();
    let (risk, ratio) = problem_loan_risk(&b).unwrap();
    assert_eq!(risk, r(5_000_000 + 3_000_000 + 1_000_000));
    assert_eq!(ratio, pct("7.8261"));
    assert_eq!(
        problem_loan_risk(&ByClass::default()).unwrap().1,
        Decimal::ZERO
    );
}

// ---------------------------------------------------------------- savings

#[test]
fn savings_interest_methods() {
    let id = SavingsAccountId::from_u128(1);
    let rate = Rate::per_year(Decimal::from(6)).unwrap();
    let product = |m| {
        SavingsProduct::voluntary(
            r(0),
            Some(InterestPolicy::new(rate, m).with_minimum_for_interest(r(100_000))),
        )
    };
    let run = |m| {
        let mut a = SavingsAccount::open(id, product(m), d(2025, 4, 1)).unwrap();
        a.deposit(d(2025, 4, 1), r(1_000_000)).unwrap();
        a.deposit(d(2025, 4, 11), r(2_000_000)).unwrap();
        a.withdraw(d(2025, 4, 21), r(2_950_000), MemberStanding::Active)
            .unwrap();
        a.close_interest_period(d(2025, 4, 30)).unwrap()
    };
    // daily: 10 days × 1 jt + 10 days × 3 jt (the 10 days at 50.000 are below the minimum)
    // = 40.000.000 balance-days × 6% / 365 = 6.575,34
    assert_eq!(run(BalanceMethod::Daily).earned, "6575.34".parse().unwrap());
    // average: (10×1jt + 10×3jt + 10×50rb)/30 ≥ 100rb → 40.500.000 × 6%/365 = 6.657,53
    assert_eq!(
        run(BalanceMethod::AverageDaily).earned,
        "6657.53".parse().unwrap()
    );
    // lowest: 50.000 < minimum → nothing
    assert_eq!(run(BalanceMethod::LowestMonthly).earned, Rupiah::ZERO);
    let mut a = SavingsAccount::open(
        id,
        SavingsProduct::voluntary(
            r(0),
            Some(InterestPolicy::new(rate, BalanceMethod::LowestMonthly)),
        ),
        d(2025, 4, 1),
    )
    .unwrap();
    a.deposit(d(2025, 4, 1), r(1_200_000)).unwrap();
    let p = a.close_interest_period(d(2025, 4, 30)).unwrap();
    assert_eq!(
        (p.earned, p.net, a.balance()),
        (r(6_000), r(6_000), r(1_206_000))
    );
}

#[test]
fn savings_tax_and_yearly_posting() {
    let id = SavingsAccountId::from_u128(2);
    let pol = InterestPolicy::new(
        Rate::per_year(Decimal::from(12)).unwrap(),
        BalanceMethod::LowestMonthly,
    );
    let mut a = SavingsAccount::open(
        id,
        SavingsProduct::voluntary(r(0), Some(pol)),
        d(2025, 1, 1),
    )
    .unwrap();
    a.deposit(d(2025, 1, 1), r(30_000_000)).unwrap();
    let p = a.close_interest_period(d(2025, 1, 31)).unwrap();
    assert_eq!(
        (p.gross, p.tax_withheld, p.net),
        (r(300_000), r(30_000), r(270_000))
    );
    let pol = pol.with_posting(Posting::Yearly);
    let mut a = SavingsAccount::open(
        id,
        SavingsProduct::voluntary(r(0), Some(pol)),
        d(2025, 11, 1),
    )
    .unwrap();
    a.deposit(d(2025, 11, 1), r(1_000_000)).unwrap();
    let nov = a.close_interest_period(d(2025, 11, 30)).unwrap();
    assert!(!nov.posted);
    assert_eq!(a.accrued_interest(), r(10_000));
    let dec = a.close_interest_period(d(2025, 12, 31)).unwrap();
    assert!(dec.posted);
    assert_eq!(dec.gross, r(20_000));
    assert_eq!(a.balance(), r(1_020_000));
    // no interest product
    let mut w =
        SavingsAccount::open(id, SavingsProduct::mandatory(r(50_000)), d(2025, 1, 1)).unwrap();
    assert_eq!(
        w.close_interest_period(d(2025, 1, 31)).unwrap().earned,
        Rupiah::ZERO
    );
}

#[test]
fn time_deposit_maturity_and_early_withdrawal() {
    let id = SavingsAccountId::from_u128(3);
    let rate = Rate::per_year(Decimal::from(6)).unwrap();
    let td = SavingsProduct::time_deposit(
        12,
        rate,
        EarlyWithdrawal {
            forfeit_interest: true,
            penalty: Charge::Percent(Decimal::ONE),
        },
    );
    let (mut a, tx) =
        SavingsAccount::open_time_deposit(id, td, d(2025, 1, 15), r(10_000_000)).unwrap();
    assert_eq!(tx.balance, r(10_000_000));
    assert_eq!(a.maturity(), Some(d(2026, 1, 15)));
    let p = a.clone().withdraw_time_deposit(d(2026, 1, 15)).unwrap();
    assert_eq!(
        (p.early, p.interest, p.tax_withheld, p.penalty, p.net),
        (false, r(600_000), r(60_000), r(0), r(10_540_000))
    );
    let p = a.withdraw_time_deposit(d(2025, 7, 15)).unwrap();
    assert_eq!(
        (p.early, p.interest, p.penalty, p.net),
        (true, r(0), r(100_000), r(9_900_000))
    );
    assert!(a.is_closed());
    let td = SavingsProduct::time_deposit(
        12,
        rate,
        EarlyWithdrawal {
            forfeit_interest: false,
            penalty: Charge::Fixed(r(25_000)),
        },
    );
    let (mut a, _) =
        SavingsAccount::open_time_deposit(id, td, d(2025, 1, 1), r(3_650_000)).unwrap();
    let p = a.withdraw_time_deposit(d(2025, 1, 11)).unwrap();
    assert_eq!((p.interest, p.penalty), (r(6_000), r(25_000)));
}

#[test]
fn exit_settlement_with_set_off_and_shortfall() {
    let id = SavingsAccountId::from_u128(4);
    let mut pokok =
        SavingsAccount::open(id, SavingsProduct::principal(r(100_000)), d(2025, 1, 1)).unwrap();
    pokok.deposit(d(2025, 1, 1), r(100_000)).unwrap();
    let mut wajib =
        SavingsAccount::open(id, SavingsProduct::mandatory(r(50_000)), d(2025, 1, 1)).unwrap();
    wajib.deposit(d(2025, 1, 1), r(300_000)).unwrap();
    let loan = flat_loan(LoanOptions::default());
    let payoff = loan.payoff_amount(d(2025, 1, 20)).unwrap();
    assert_eq!(payoff, r(1_212_000));
    let s = exit_settlement(
        &[&pokok, &wajib],
        &[Obligation::Loan(
            koperasi_core::LoanId::from_u128(1),
            payoff,
        )],
    )
    .unwrap();
    assert_eq!(
        (s.savings_total, s.set_off, s.refund, s.shortfall),
        (r(400_000), r(400_000), r(0), r(812_000))
    );
    let s = exit_settlement(
        &[&pokok, &wajib],
        &[
            Obligation::Other(r(150_000)),
            Obligation::MandatoryArrears(r(50_000)),
        ],
    )
    .unwrap();
    assert_eq!((s.refund, s.shortfall), (r(200_000), r(0)));
    let t = wajib
        .withdraw(d(2025, 2, 1), r(300_000), MemberStanding::Exited)
        .unwrap();
    assert_eq!(t.amount, r(-300_000));
    let t = pokok.close_on_exit(d(2025, 2, 1)).unwrap();
    assert_eq!((t.amount, t.balance), (r(-100_000), r(0)));
}

// ---------------------------------------------------------------- properties

fn check_schedule(t: &LoanTerms) -> Result<(), TestCaseError> {
    let s = t
        .schedule()
        .map_err(|e| TestCaseError::fail(format!("{e}: {t:?}")))?;
    prop_assert_eq!(
        s.installments().len(),
        usize::try_from(t.installments).unwrap()
    );
    let totals = s.totals().unwrap();
    prop_assert_eq!(totals.principal, t.principal);
    for row in s.installments() {
        prop_assert!(!row.balance.is_negative());
        prop_assert!(!row.principal.is_negative());
        prop_assert!(!row.interest.is_negative());
        prop_assert_eq!(
            row.installment,
            row.principal.checked_add(row.interest).unwrap()
        );
    }
    prop_assert_eq!(s.installments().last().unwrap().balance, Rupiah::ZERO);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// DESIGN §5 invariant 7: Σ principal = loan amount, for any terms.
    #[test]
    fn prop_schedule_principal_sums_to_loan(t in strategy::loan_terms()) {
        let s = t.schedule().unwrap();
        prop_assert_eq!(s.totals().unwrap().principal, t.principal);
    }

    /// DESIGN §5 invariant 7: balances never negative, the last is zero.
    #[test]
    fn prop_balance_never_negative_and_ends_at_zero(t in strategy::loan_terms()) {
        check_schedule(&t)?;
    }

    /// installment = principal + interest on every row.
    #[test]
    fn prop_installment_is_principal_plus_interest(t in strategy::loan_terms()) {
        check_schedule(&t)?;
    }

    /// DESIGN §5 invariant 8: a repayment's allocations + excess = the payment, nothing is
    /// paid beyond what is owed, and the loan's paid amounts grow by exactly the allocation.
    #[test]
    fn prop_allocation_sums_to_payment(
        t in strategy::loan_terms(),
        payments in prop::collection::vec((0_i64..400, 1_i64..5_000_000_000), 1..6),
        mode in 0_u8..4,
        order in 0_u8..3,
        penalty in any::<bool>(),
    ) {
        let overpayment = [Overpayment::PayAhead, Overpayment::ReduceTenor, Overpayment::ReduceInstallment, Overpayment::Refund][usize::from(mode)];
        let allocation = [AllocationOrder::default(), AllocationOrder::interest_first(), AllocationOrder::principal_first()][usize::from(order)];
        let mut opts = LoanOptions::default().with_overpayment(overpayment).with_allocation(allocation);
        if penalty {
            opts = opts.with_penalty(PenaltyRule::PerDay { charge: Charge::Percent(pct("0.1")), grace_days: 3 });
        }
        let (mut loan, _) = Loan::disburse(t.clone(), opts, &[]).unwrap();
        let mut date = t.disbursement;
        let mut paid_principal = Rupiah::ZERO;
        for (days, sen) in payments {
            date = date.checked_add_days(chrono::Days::new(u64::try_from(days).unwrap())).unwrap();
            let amount = Rupiah::from_sen(sen);
            match loan.repay(date, amount) {
                Ok(rep) => {
                    let mut sum = rep.excess;
                    for a in &rep.allocations {
                        prop_assert!(!a.parts.penalty.is_negative() && !a.parts.principal.is_negative());
                        sum = sum.checked_add(a.parts.total().unwrap()).unwrap();
                    }
                    prop_assert_eq!(sum, amount);
                    prop_assert_eq!(rep.totals.total().unwrap().checked_add(rep.excess).unwrap(), amount);
                    paid_principal = paid_principal.checked_add(rep.totals.principal).unwrap();
                    for s in loan.installments() {
                        let o = s.outstanding().unwrap();
                        prop_assert!(!o.principal.is_negative() && !o.interest.is_negative() && !o.fee.is_negative() && !o.penalty.is_negative());
                    }
                }
                Err(Error::LoanNotActive { .. }) => break,
                Err(e) => return Err(TestCaseError::fail(format!("{e}"))),
            }
        }
        // principal paid + outstanding = loan amount
        prop_assert_eq!(paid_principal.checked_add(loan.outstanding_principal().unwrap()).unwrap(), t.principal);
    }

    /// Prepaying and paying off: the principal received is exactly the loan amount.
    #[test]
    fn prop_prepayment_keeps_principal_exact(t in strategy::loan_terms(), extra in 1_i64..1_000_000_000, tenor in any::<bool>()) {
        let o = if tenor { Overpayment::ReduceTenor } else { Overpayment::ReduceInstallment };
        let (mut loan, _) = Loan::disburse(t.clone(), LoanOptions::default().with_overpayment(o), &[]).unwrap();
        let first = loan.installments()[0].due_date;
        let due = loan.due_as_of(first).unwrap().total().unwrap();
        let r1 = loan.repay(first, due.checked_add(Rupiah::from_sen(extra)).unwrap()).unwrap();
        let mut principal = r1.totals.principal;
        if loan.status() == LoanStatus::Active {
            let payoff = loan.payoff_amount(first).unwrap();
            let r2 = loan.repay(first, payoff).unwrap();
            prop_assert!(r2.closes_loan, "{:?}", loan);
            prop_assert_eq!(r2.excess, Rupiah::ZERO);
            principal = principal.checked_add(r2.totals.principal).unwrap();
        }
        prop_assert_eq!(principal, t.principal);
    }

    /// `allocate` never pays a component more than it owes, and conserves the amount.
    #[test]
    fn prop_allocate_never_exceeds_dues(
        lines in prop::collection::vec((0_i64..1_000_000, 0_i64..1_000_000, 0_i64..1_000_000, 0_i64..1_000_000), 0..8),
        amount in 0_i64..10_000_000,
        order in 0_u8..3,
    ) {
        let dues: Vec<Dues> = lines.iter().map(|&(a, b, c, e)| Dues { penalty: Rupiah::from_sen(a), fee: Rupiah::from_sen(b), interest: Rupiah::from_sen(c), principal: Rupiah::from_sen(e) }).collect();
        let o = [AllocationOrder::default(), AllocationOrder::interest_first(), AllocationOrder::principal_first()][usize::from(order)];
        let plan = allocate(Rupiah::from_sen(amount), &dues, &o).unwrap();
        let mut sum = plan.remainder;
        for (p, due) in plan.parts.iter().zip(&dues) {
            prop_assert!(p.penalty <= due.penalty && p.fee <= due.fee && p.interest <= due.interest && p.principal <= due.principal);
            sum = sum.checked_add(p.total().unwrap()).unwrap();
        }
        prop_assert_eq!(sum, Rupiah::from_sen(amount));
    }

    /// A rejected repayment changes nothing.
    #[test]
    fn prop_rejected_repayment_changes_nothing(t in strategy::loan_terms(), back in 1_u64..100) {
        let (mut loan, _) = Loan::disburse(t.clone(), LoanOptions::default(), &[]).unwrap();
        let day = t.disbursement.checked_add_days(chrono::Days::new(40)).unwrap();
        loan.repay(day, Rupiah::from_rupiah(1)).unwrap();
        let before = loan.clone();
        let early = day.checked_sub_days(chrono::Days::new(back)).unwrap();
        prop_assert!(loan.repay(early, Rupiah::from_rupiah(1)).is_err());
        prop_assert!(loan.repay(day, Rupiah::ZERO).is_err());
        prop_assert_eq!(loan, before);
    }

    /// DESIGN §5 invariant 9: no withdrawal leaves less than the product minimum, and a
    /// rejected withdrawal changes nothing.
    #[test]
    fn prop_withdrawal_never_overdraws(
        minimum in 0_i64..1_000_000,
        ops in prop::collection::vec((any::<bool>(), 1_i64..2_000_000, 0_u64..40), 1..30),
    ) {
        let mut a = SavingsAccount::open(SavingsAccountId::from_u128(9), SavingsProduct::voluntary(Rupiah::from_rupiah(minimum), None), d(2025, 1, 1)).unwrap();
        let mut date = d(2025, 1, 1);
        for (deposit, amount, days) in ops {
            date = date.checked_add_days(chrono::Days::new(days)).unwrap();
            let amount = Rupiah::from_rupiah(amount);
            if deposit {
                a.deposit(date, amount).unwrap();
            } else {
                let before = a.clone();
                match a.withdraw(date, amount, MemberStanding::Active) {
                    Ok(tx) => prop_assert!(tx.balance >= Rupiah::from_rupiah(minimum)),
                    Err(Error::InsufficientBalance { .. }) => prop_assert_eq!(&a, &before),
                    Err(e) => return Err(TestCaseError::fail(format!("{e}"))),
                }
            }
            prop_assert!(a.balance() >= Rupiah::ZERO);
        }
    }

    /// DESIGN §5 invariant 9: pokok and wajib cannot be withdrawn by an active member, whatever
    /// the balance and amount; after exit they can, down to zero and no further.
    #[test]
    fn prop_pokok_wajib_not_withdrawable_by_active_member(
        pokok in any::<bool>(),
        amount in 1_i64..10_000_000,
        deposits in 1_u32..24,
        take in 1_i64..100_000_000,
    ) {
        let product = if pokok { SavingsProduct::principal(Rupiah::from_rupiah(amount)) } else { SavingsProduct::mandatory(Rupiah::from_rupiah(amount)) };
        let mut a = SavingsAccount::open(SavingsAccountId::from_u128(3), product, d(2025, 1, 1)).unwrap();
        let n = if pokok { 1 } else { deposits };
        for _ in 0..n {
            a.deposit(d(2025, 1, 2), Rupiah::from_rupiah(amount)).unwrap();
        }
        let before = a.clone();
        let err = a.withdraw(d(2025, 6, 1), Rupiah::from_rupiah(take), MemberStanding::Active).unwrap_err();
        prop_assert!(matches!(err, Error::NotWithdrawable { .. }), "{}", err);
        prop_assert_eq!(&a, &before);
        let r = a.withdraw(d(2025, 6, 1), Rupiah::from_rupiah(take), MemberStanding::Exited);
        prop_assert_eq!(r.is_ok(), Rupiah::from_rupiah(take) <= before.balance());
    }
}

/// State and results round-trip through serde (amounts as exact strings).
#[cfg(feature = "serde")]
#[test]
fn serde_round_trip_of_state() {
    let mut loan = flat_loan(LoanOptions::default());
    let rep = loan.repay(d(2025, 2, 10), r(112_000)).unwrap();
    let json = serde_json::to_string(&loan).unwrap();
    assert!(json.contains("\"1200000.00\""), "{json}");
    let back: Loan = serde_json::from_str(&json).unwrap();
    assert_eq!(back, loan);
    let rep_back: Repayment = serde_json::from_str(&serde_json::to_string(&rep).unwrap()).unwrap();
    assert_eq!(rep_back, rep);
    let mut acc = SavingsAccount::open(
        SavingsAccountId::from_u128(5),
        SavingsProduct::mandatory(r(50_000)),
        d(2025, 1, 1),
    )
    .unwrap();
    acc.deposit(d(2025, 1, 2), r(50_000)).unwrap();
    let back: SavingsAccount = serde_json::from_str(&serde_json::to_string(&acc).unwrap()).unwrap();
    assert_eq!(back, acc);
    let terms: LoanTerms =
        serde_json::from_str(&serde_json::to_string(loan.terms()).unwrap()).unwrap();
    assert_eq!(&terms, loan.terms());
}

// ---- fast paths of the schedule engine against their straightforward references ----

/// Rates as the engine sees them: a periodic ratio from an annual or monthly percent with up
/// to 10 decimals (tiny and huge rates included) and a payment frequency.
fn periodic_ratio() -> impl Strategy<Value = money::Ratio> {
    (
        prop_oneof![
            (1_i64..=600_000).prop_map(|m| Decimal::new(m, 3)),
            (1_i64..=10_000_000_000).prop_map(|m| Decimal::new(m, 10)),
            (1_i64..=1_000_000).prop_map(|m| Decimal::new(m, 2)),
        ],
        any::<bool>(),
        1_i128..=12,
    )
        .prop_filter_map("rate in range", |(p, monthly, every)| {
            let rate = if monthly {
                Rate::per_month(p).ok()?
            } else {
                Rate::per_year(p).ok()?
            };
            terms::annual_ratio(rate)
                .ok()?
                .mul(money::Ratio {
                    num: every,
                    den: 12,
                })
                .ok()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// The interval fast path of the annuity installment returns exactly the 28-digit
    /// `Decimal` reference's amount whenever it returns one.
    #[test]
    fn prop_annuity_fast_path_equals_decimal(
        bal in prop_oneof![1_i128..=10_000_000_000_000, 1_i128..=i128::from(u64::MAX)],
        periodic in periodic_ratio(),
        rows in prop_oneof![1_i128..=600, 1_i128..=4],
        step in prop_oneof![Just(1_i128), Just(100_i128)],
        mode in koperasi_core::strategy::rounding_mode(),
    ) {
        let reference = schedule::annuity_reference(bal, periodic, rows, step, mode);
        if let Some(fast) = annuity::annuity_rounded(bal, periodic, rows, step, mode) {
            prop_assert_eq!(Ok(fast), reference);
        }
    }
}

/// Realistic loans take the fast path; loans exactly on a rounding boundary (where 28-digit
/// `Decimal` can land on either side) do not, and get the reference's amount.
#[test]
fn annuity_fast_path_declines_on_a_boundary() {
    let periodic = |pct: &str| {
        terms::annual_ratio(Rate::per_year(pct.parse().unwrap()).unwrap())
            .unwrap()
            .mul(money::Ratio { num: 1, den: 12 })
            .unwrap()
    };
    let i = periodic("9.5"); // 95 / 12000
    for mode in [
        RoundingMode::HalfUp,
        RoundingMode::HalfEven,
        RoundingMode::Down,
        RoundingMode::Up,
    ] {
        // Rp150 juta over 72 months, the benchmark loan
        assert_eq!(
            annuity::annuity_rounded(15_000_000_000, i, 72, 100, mode),
            Some(schedule::annuity_reference(15_000_000_000, i, 72, 100, mode).unwrap())
        );
        // one row: V = bal × (1 + i) exactly; 1,209,500 sen is a multiple of Rp1 (the boundary
        // of rounding down or up), 604,750 sen lies half-way between two (that of half-up and
        // half-even)
        let (boundary, inside) = match mode {
            RoundingMode::Down | RoundingMode::Up => (1_200_000, 600_000),
            _ => (600_000, 1_200_000),
        };
        assert_eq!(annuity::annuity_rounded(boundary, i, 1, 100, mode), None);
        assert_eq!(
            annuity::annuity_rounded(inside, i, 1, 100, mode),
            Some(schedule::annuity_reference(inside, i, 1, 100, mode).unwrap())
        );
    }
    // a grid of ordinary loans: always the reference's amount, and nearly always decided by
    // the fast path
    let (mut fast, mut all) = (0_u32, 0_u32);
    for tenth in (1..=480).step_by(12) {
        let i = periodic(&format!("{}.{}", tenth / 10, tenth % 10));
        for rows in (1..=600).step_by(21) {
            for bal in [10_000_000, 98_765_432_100, 1_234_567] {
                for mode in [
                    RoundingMode::HalfUp,
                    RoundingMode::HalfEven,
                    RoundingMode::Down,
                    RoundingMode::Up,
                ] {
                    let want = schedule::annuity_reference(bal, i, rows, 100, mode).unwrap();
                    all += 1;
                    if let Some(got) = annuity::annuity_rounded(bal, i, rows, 100, mode) {
                        assert_eq!(got, want, "{bal} {i:?} {rows} {mode:?}");
                        fast += 1;
                    }
                }
            }
        }
    }
    assert!(fast * 100 >= all * 99, "fast path taken {fast} of {all}");
    // outside the domain (i < 10⁻⁶ per period): the reference decides
    let tiny = periodic("0.00001");
    assert_eq!(
        annuity::annuity_rounded(15_000_000_000, tiny, 72, 100, RoundingMode::HalfUp),
        None
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Due dates advanced month by month equal due dates recomputed from the disbursement,
    /// with and without a holiday calendar.
    #[test]
    fn prop_incremental_due_dates_equal_recomputed(t in strategy::loan_terms(), weekends in any::<bool>()) {
        let cal: &dyn HolidayCalendar = if weekends { &Holidays::weekends().with_holidays([d(2025, 3, 31), d(2025, 4, 1)]) } else { &schedule::NoHolidays };
        prop_assert_eq!(schedule::periods(&t, cal), schedule::periods_reference(&t, cal));
        prop_assert_eq!(schedule::periods(&t, &schedule::NoHolidays), schedule::periods_reference(&t, &schedule::NoHolidays));
    }

    /// A prepared ratio rounds exactly as `Ratio::apply`.
    #[test]
    fn prop_prepared_ratio_equals_apply(
        periodic in periodic_ratio(),
        sen in prop_oneof![0_i128..=10_000_000_000_000, -1_000_000_i128..=0, 0_i128..=i128::from(u64::MAX)],
        step in prop_oneof![Just(1_i128), Just(100_i128)],
        mode in koperasi_core::strategy::rounding_mode(),
    ) {
        prop_assert_eq!(
            periodic.prepared(step, mode).apply(sen),
            periodic.apply(sen, step, mode)
        );
    }

    /// The 64-bit schedule of loans without grace equals the general engine's, row for row,
    /// with and without a holiday calendar.
    #[test]
    fn prop_plain_schedule_equals_general(
        t in strategy::loan_terms(),
        big in prop::option::of(1_i64..=i64::MAX / 100),
        weekends in any::<bool>(),
    ) {
        let mut t = t.with_grace(Grace::NONE).with_interest_period(InterestPeriod::Repayment);
        if let Some(p) = big {
            t.principal = Rupiah::from_rupiah(p);
        }
        let holidays = Holidays::weekends().with_holidays([d(2025, 3, 31), d(2025, 4, 1)]);
        let cal: &dyn HolidayCalendar = if weekends { &holidays } else { &schedule::NoHolidays };
        let general = t.params().and_then(|params| {
            let periods = schedule::periods_reference(&t, cal)?;
            t.schedule_general(&params, &periods)
        });
        let fast = if weekends { t.schedule_with(cal) } else { t.schedule() };
        if let Err(Error::InstallmentMultipleTooLarge { .. }) = fast {
            // The check runs after either engine: the general rows are degenerate too.
            let rows = general.map(|g| g.installments().iter().map(|r| (r.principal.to_sen(), r.balance.to_sen())).collect::<Vec<_>>());
            prop_assert!(rows.is_ok_and(|r| schedule::degenerate_row(0, r.into_iter()).is_some()));
        } else {
            prop_assert_eq!(fast, general);
        }
    }
}

/// Regression (issue 19): `--installment-multiple` larger than the loan silently gave
/// interest-only rows and one balloon. Now the schedule is rejected, naming the multiple.
#[test]
fn regression_installment_multiple_larger_than_loan_is_rejected() {
    let t = LoanTerms::new(
        r(1_000_000),
        Rate::per_month(Decimal::ONE).unwrap(),
        12,
        Method::Annuity,
        d(2025, 1, 1),
    );
    assert!(t.clone().schedule().is_ok());
    for how in [InstallmentRounding::Nearest, InstallmentRounding::Up] {
        let big = t.clone().with_installment_multiple(r(5_000_000), how);
        match big.schedule() {
            Err(Error::InstallmentMultipleTooLarge {
                multiple,
                installments: 12,
                row: 1,
                ..
            }) => assert_eq!(multiple, r(5_000_000)),
            other => panic!("{how:?}: {other:?}"),
        }
        // A loan is refused too.
        assert!(matches!(
            Loan::disburse(big.clone(), LoanOptions::default(), &[]),
            Err(Error::InstallmentMultipleTooLarge { .. })
        ));
    }
    // A multiple the loan can use still works: Rp1.000 on a Rp1.000.000 loan.
    let ok = t.with_installment_multiple(r(1_000), InstallmentRounding::Up);
    assert!(ok.schedule().is_ok());
}

mod payoff;
