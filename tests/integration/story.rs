//! One KKMP's simulated year: every invariant of the book and its reports.
use koperasi::city::CityReport;
use koperasi::core::{FiscalYear, Rupiah};
use koperasi::sim::{SimConfig, simulate_city, simulate_cooperative};
use koperasi::{ControlCheck, Koperasi};

fn year() -> FiscalYear {
    FiscalYear::calendar(2026).unwrap()
}

#[test]
fn full_year_invariants() {
    let cfg = SimConfig::new(4, 60, 11);
    // Index 3 is a "bermasalah" cooperative: late payers, defaults, write-offs.
    for index in [0, 3] {
        let coop = simulate_cooperative(&cfg, index).unwrap();
        let b = &coop.book;
        let fy = year();
        // Statements balance.
        let bs = b.balance_sheet(fy.end()).unwrap();
        assert!(bs.balances(), "{}: {bs:?}", coop.name);
        // PHU result = SHU of the year (the closing entry's result).
        let phu = b.income_statement(fy.period().unwrap()).unwrap();
        let closed = b.closed_years().get(&2026).unwrap();
        assert_eq!(phu.result, closed.shu);
        assert!(closed.distributed);
        // Member + non-member revenue never exceed total revenue.
        assert!(
            phu.member_revenue
                .checked_add(phu.non_member_revenue)
                .unwrap()
                <= phu.total_revenue
        );
        // Cash flow reconciles to the change in kas + bank.
        let cf = b.cash_flow(fy.period().unwrap()).unwrap();
        assert!(cf.reconciles(), "{cf:?}");
        // Control accounts reconcile (after the SHU was credited to sukarela, too).
        for c in b.reconcile().unwrap() {
            assert!(c.reconciles(), "{}: {c:?}", coop.name);
        }
        // Trial balance balances; the audit log verifies.
        let tb = b.ledger().trial_balance(b.last_date()).unwrap();
        assert_eq!(tb.total_debit, tb.total_credit);
        b.ledger().verify().unwrap();
        // Every entry carries its source and actor.
        assert!(b.ledger().entries().all(|e| !e.source().is_empty()));
        // The SHU went to cadangan, funds, the desa and the members.
        assert!(!closed.allocation.is_empty());
    }
}

#[test]
fn replay_rebuilds_an_identical_book() {
    let coop = simulate_cooperative(&SimConfig::new(1, 40, 5), 0).unwrap();
    let b = &coop.book;
    let again = Koperasi::replay(b.config().clone(), b.events().iter().cloned()).unwrap();
    assert_eq!(again.audit_head(), b.audit_head());
    assert_eq!(
        again.ledger().trial_balance(b.last_date()).unwrap(),
        b.ledger().trial_balance(b.last_date()).unwrap()
    );
    assert_eq!(format!("{again:?}"), format!("{b:?}"));
    // Through JSON Lines.
    let text = b.to_json_lines().unwrap();
    assert_eq!(text.lines().count(), b.events().len() + 1);
    let loaded = Koperasi::from_json_lines(&text).unwrap();
    assert_eq!(loaded.audit_head(), b.audit_head());
}

#[test]
fn simulation_is_deterministic_and_independent_of_threads() {
    let one = simulate_city(&SimConfig::new(3, 25, 9).with_threads(1), &|_, _| {}).unwrap();
    let two = simulate_city(&SimConfig::new(3, 25, 9).with_threads(3), &|_, _| {}).unwrap();
    for (a, b) in one.iter().zip(&two) {
        assert_eq!(a.book.audit_head(), b.book.audit_head());
    }
    let other = simulate_city(&SimConfig::new(1, 25, 10), &|_, _| {}).unwrap();
    assert_ne!(other[0].book.audit_head(), one[0].book.audit_head());
}

#[test]
fn city_totals_are_sums() {
    let coops = simulate_city(&SimConfig::new(3, 30, 3), &|_, _| {}).unwrap();
    let report = CityReport::build("Kota Probolinggo", &coops, 2026).unwrap();
    let t = &report.view.totals;
    assert_eq!(t.cooperatives, 3);
    let anggota: u64 = report
        .view
        .cooperatives
        .iter()
        .map(|c| c.snapshot.anggota)
        .sum();
    assert_eq!(t.anggota, anggota);
    let sukarela = Rupiah::try_sum(
        report
            .view
            .cooperatives
            .iter()
            .map(|c| c.snapshot.savings.sukarela),
    )
    .unwrap();
    assert_eq!(t.savings.sukarela, sukarela);
    let shu = Rupiah::try_sum(report.view.cooperatives.iter().map(|c| c.snapshot.shu)).unwrap();
    assert_eq!(t.shu, shu);
    // Each snapshot's savings match its book's control accounts at the year end.
    for (c, row) in coops.iter().zip(&report.view.cooperatives) {
        let bs = c.book.balance_sheet(year().end()).unwrap();
        assert!(bs.balances());
        assert_eq!(row.snapshot.code, c.code);
    }
    assert!(report.cooperatives.iter().all(|c| c.controls_reconcile));
    let files = report.files().unwrap();
    assert!(files.iter().any(|(p, _)| p == "index.html"));
    assert!(files.iter().any(|(p, _)| p.ends_with("/audit.txt")));
    assert!(report.summary().contains("Koperasi: 3"));
    let _ = ControlCheck::reconciles;
}
