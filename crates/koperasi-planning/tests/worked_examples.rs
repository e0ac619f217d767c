//! Published worked examples (docs/system.md §4.3) and hand-computed cases.

use koperasi_core::chrono::NaiveDate;
use koperasi_core::{Decimal, Rupiah};
use koperasi_planning::{
    Error, Financing, GraceTreatment, Plan, Prepared, Scenario, SchemeId, Severity, UnitKind,
    UnitPlan, assess,
};

fn r(x: i64) -> Rupiah {
    Rupiah::from_rupiah(x)
}

fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
}

/// A plan whose units earn a constant Rp`ebitda` a month (no HPP, no working capital).
fn constant_plan(ebitda: i64, financing: Financing) -> Plan {
    let unit = UnitPlan::new(
        "Gerai sembako",
        UnitKind::Sembako,
        r(3_000_000_000),
        120,
        r(ebitda + 10_000_000),
        Decimal::ZERO,
        r(10_000_000),
    );
    Plan::new("KKMP Sukamaju", start(), 72, vec![unit])
        .with_financing(financing)
        .with_own_funds(r(100_000_000), r(0))
}

fn himbara(grace: GraceTreatment) -> Financing {
    Financing::loan(
        SchemeId::Pmk49_2025,
        r(3_000_000_000),
        Decimal::from(6),
        72,
        6,
        grace,
    )
}

#[test]
fn interest_only_grace_installment_is_53_478_818() {
    let a = assess(&constant_plan(
        80_000_000,
        himbara(GraceTreatment::InterestOnly),
    ))
    .unwrap();
    assert_eq!(a.installment, Some(r(53_478_818)));
    // Six months of interest only: 0,5% of Rp3 miliar.
    for m in &a.months[..6] {
        assert_eq!(m.debt_service, r(15_000_000));
        assert_eq!(m.principal_paid, r(0));
    }
    assert_eq!(a.months[6].debt_service, r(53_478_818));
    // The loan is repaid within the 72 months.
    assert_eq!(a.months[71].loan_balance, r(0));
    let principal: i128 = a.months.iter().map(|m| m.principal_paid.to_sen()).sum();
    assert_eq!(principal, r(3_000_000_000).to_sen());
    // Interest = what was paid − the principal (system.md §4.3 gives Rp619.602.010 with
    // unrounded monthly interest; the schedule rounds each month's interest to the rupiah).
    let interest: i128 = a.months.iter().map(|m| m.interest_paid.to_sen()).sum();
    let paid: i128 = a.months.iter().map(|m| m.debt_service.to_sen()).sum();
    assert_eq!(interest, paid - r(3_000_000_000).to_sen());
    assert!((interest - r(619_602_010).to_sen()).abs() <= r(10).to_sen());
}

#[test]
fn capitalised_grace_installment_is_55_103_372() {
    let a = assess(&constant_plan(
        80_000_000,
        himbara(GraceTreatment::Capitalised),
    ))
    .unwrap();
    assert_eq!(a.capitalised_principal, Some(r(3_091_132_528)));
    assert_eq!(a.installment, Some(r(55_103_372)));
    for m in &a.months[..6] {
        assert_eq!(m.debt_service, r(0));
        assert!(m.interest.is_positive());
    }
    assert_eq!(a.months[5].loan_balance, r(3_091_132_528));
    assert_eq!(a.months[6].debt_service, r(55_103_372));
    assert_eq!(a.months[71].loan_balance, r(0));
}

#[test]
fn constant_cash_plan_dscr_is_the_hand_computed_ratio() {
    // Operating cash Rp80.000.000 a month; after the grace the debt service is Rp53.478.818
    // (the last installment absorbs the rounding), in the grace Rp15.000.000.
    let a = assess(&constant_plan(
        80_000_000,
        himbara(GraceTreatment::InterestOnly),
    ))
    .unwrap();
    // 80.000.000 / 15.000.000 = 5,3333…
    assert_eq!(a.months[0].dscr, Some(Decimal::new(53_333, 4)));
    // 80.000.000 / 53.478.818 = 1,49592…
    assert_eq!(a.months[6].dscr, Some(Decimal::new(14_959, 4)));
    let last = a.months[71].debt_service;
    let expected_last = Decimal::from(80_000_000) / last.to_decimal();
    let diff = (a.months[71].dscr.unwrap() - expected_last).abs();
    assert!(diff <= Decimal::new(5, 5));
    assert_eq!(
        a.dscr_min,
        Some(Decimal::new(14_959, 4)).min(a.months[71].dscr)
    );
}

#[test]
fn pmk_limits_are_enforced() {
    let mut f = himbara(GraceTreatment::InterestOnly);
    f.tenor_months = 84;
    let e = assess(&constant_plan(80_000_000, f)).unwrap_err();
    assert!(
        matches!(e, Error::SchemeLimit { ref rule, .. } if rule == "scheme.tenor"),
        "{e}"
    );
    let mut f = himbara(GraceTreatment::InterestOnly);
    f.principal = r(3_500_000_000);
    let e = assess(&constant_plan(80_000_000, f)).unwrap_err();
    assert!(
        matches!(e, Error::SchemeLimit { ref rule, .. } if rule == "scheme.plafon"),
        "{e}"
    );
    let mut f = himbara(GraceTreatment::InterestOnly);
    f.grace_months = 3;
    let e = assess(&constant_plan(80_000_000, f)).unwrap_err();
    assert!(
        matches!(e, Error::SchemeLimit { ref rule, .. } if rule == "scheme.grace"),
        "{e}"
    );
    let f = himbara(GraceTreatment::InterestOnly).with_operational(r(600_000_000));
    let e = assess(&constant_plan(80_000_000, f)).unwrap_err();
    assert!(
        matches!(e, Error::SchemeLimit { ref rule, .. } if rule == "scheme.operational-share"),
        "{e}"
    );
}

#[test]
fn the_draft_scheme_reports_instead_of_rejecting() {
    let mut f = himbara(GraceTreatment::InterestOnly);
    f.scheme = SchemeId::KdmpRevisedDraft;
    f.tenor_months = 84;
    let a = assess(&constant_plan(80_000_000, f)).unwrap();
    assert!(
        a.findings
            .iter()
            .any(|x| x.rule == "scheme.tenor" && x.severity == Severity::Violation)
    );
    assert!(!a.feasible);
    // The builder borrows: nothing on the cooperative's books, transfers pay.
    assert!(a.months.iter().all(|m| m.debt_service.is_zero()));
    assert!(a.months[0].transfer_debt_service.is_positive());
    assert_eq!(a.opening.loan, r(0));
    assert_eq!(a.opening.capex_built_by_others, r(3_000_000_000));
}

#[test]
fn bank_loan_has_no_scheme_limits() {
    let f = Financing::loan(
        SchemeId::BankLoan,
        r(3_000_000_000),
        Decimal::new(105, 1),
        96,
        0,
        GraceTreatment::InterestOnly,
    );
    let mut p = constant_plan(120_000_000, f);
    p.months = 96;
    let a = assess(&p).unwrap();
    assert!(!a.findings.iter().any(|x| x.rule.starts_with("scheme.")));
    assert_eq!(a.months[95].loan_balance, r(0));
}

#[test]
fn negative_cash_months_are_reported() {
    let a = assess(&constant_plan(
        10_000_000,
        himbara(GraceTreatment::InterestOnly),
    ))
    .unwrap();
    assert!(!a.feasible);
    assert!(!a.negative_cash_months.is_empty());
    assert!(
        a.findings
            .iter()
            .any(|x| x.rule == "feasibility.cash-negative")
    );
    assert!(
        a.findings
            .iter()
            .any(|x| x.rule == "feasibility.dscr-min" && x.severity == Severity::Violation)
    );
}

#[test]
fn delayed_start_moves_revenue() {
    let p = constant_plan(80_000_000, Financing::none());
    let prepared = Prepared::new(&p).unwrap();
    let late = prepared
        .project(&Scenario::new("late", Decimal::ZERO, Decimal::ZERO, 3))
        .unwrap();
    assert!(late.months[..3].iter().all(|m| m.revenue.is_zero()));
    assert!(late.months[3].revenue.is_positive());
}

#[test]
fn no_scheme_means_no_principal() {
    let mut f = Financing::none();
    f.principal = r(1_000_000);
    let e = assess(&constant_plan(80_000_000, f)).unwrap_err();
    assert!(
        matches!(e, Error::OutOfRange { ref field, .. } if field == "financing.principal"),
        "{e}"
    );
}

#[test]
fn warm_started_irr_finds_the_same_root() {
    use koperasi_planning::metrics::{irr, irr_from};
    let mut flows = vec![Decimal::from(-3_000_000_000_i64)];
    flows.extend((0..72).map(|k| Decimal::from(60_000_000 + 500_000 * k)));
    let cold = irr(&flows).unwrap().unwrap();
    for guess in [
        Decimal::new(-2, 1),
        Decimal::ZERO,
        Decimal::new(5, 2),
        Decimal::new(9, 1),
    ] {
        let warm = irr_from(&flows, guess).unwrap().unwrap();
        assert!(
            (warm - cold).abs() <= Decimal::new(1, 15),
            "{guess}: {warm} vs {cold}"
        );
    }
}

#[test]
fn loan_larger_than_the_capex_is_flagged() {
    // Rp3 miliar borrowed, Rp3 miliar of capex, no operating part: fine.
    let a = assess(&constant_plan(
        80_000_000,
        himbara(GraceTreatment::InterestOnly),
    ))
    .unwrap();
    assert!(!a.findings.iter().any(|f| f.rule == "scheme.use-of-funds"));
    // Only Rp1 miliar of capex: Rp2 miliar of the capital part has no use.
    let mut p = constant_plan(80_000_000, himbara(GraceTreatment::InterestOnly));
    p.units[0].capex = r(1_000_000_000);
    let a = assess(&p).unwrap();
    assert!(
        a.findings
            .iter()
            .any(|f| f.rule == "scheme.use-of-funds" && f.severity == Severity::Warning)
    );
}
