//! Every error variant a caller can meet, triggered by bad input (nothing is produced).

use koperasi_core::chrono::NaiveDate;
use koperasi_core::{Decimal, FiscalYear, Rupiah};
use koperasi_planning::rapb::rapb;
use koperasi_planning::{
    Error, Financing, GraceTreatment, Plan, Prepared, Scenario, SchemeId, SchemeRules, UnitKind,
    UnitPlan,
};

fn r(x: i64) -> Rupiah {
    Rupiah::from_rupiah(x)
}

fn unit() -> UnitPlan {
    UnitPlan::new(
        "Gerai",
        UnitKind::Sembako,
        r(100_000_000),
        60,
        r(50_000_000),
        Decimal::from(80),
        r(2_000_000),
    )
}

fn plan() -> Plan {
    Plan::new(
        "KKMP",
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        24,
        vec![unit()],
    )
}

#[test]
fn every_error_variant_has_its_trigger() {
    let mut p = plan();
    p.units.clear();
    assert!(matches!(Prepared::new(&p), Err(Error::InvalidList { .. })));

    let mut p = plan();
    p.start = NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
    assert!(matches!(
        Prepared::new(&p),
        Err(Error::StartNotFirstOfMonth { .. })
    ));

    let mut p = plan();
    p.units[0].monthly_opex = Rupiah::from_sen(-1);
    let e = Prepared::new(&p).unwrap_err();
    assert!(matches!(e, Error::NegativeAmount { .. }));
    assert_eq!(
        e.to_string(),
        "units[0].monthly_opex must not be negative, got -Rp0,01"
    );

    let mut p = plan();
    p.units[0].seasonality = vec![Decimal::from(100); 11];
    assert!(matches!(Prepared::new(&p), Err(Error::InvalidList { .. })));

    let mut p = plan();
    p.units[0].start_month = 30;
    assert!(matches!(
        Prepared::new(&p),
        Err(Error::MonthsOutOfRange { .. })
    ));

    let mut p = plan();
    p.rpc_percent = Decimal::from(101);
    assert!(matches!(Prepared::new(&p), Err(Error::OutOfRange { .. })));

    // A due day the schedule engine refuses comes back as a schedule error.
    let mut rules = SchemeRules::builtin(SchemeId::BankLoan);
    rules.due_day = 40;
    let mut p = plan().with_financing(Financing::loan(
        SchemeId::BankLoan,
        r(50_000_000),
        Decimal::from(12),
        24,
        0,
        GraceTreatment::InterestOnly,
    ));
    p.scheme_rules = Some(rules);
    assert!(matches!(Prepared::new(&p), Err(Error::Schedule(_))));

    let projection = Prepared::new(&plan())
        .unwrap()
        .project(&Scenario::base())
        .unwrap();
    assert!(matches!(
        rapb(&projection, FiscalYear::calendar(2030).unwrap()),
        Err(Error::YearOutsidePlan { year: 2030, .. })
    ));

    let prepared = Prepared::new(&plan()).unwrap();
    assert!(matches!(
        prepared.project(&Scenario::new("x", Decimal::from(-150), Decimal::ZERO, 0)),
        Err(Error::OutOfRange { .. })
    ));
}
