//! One KKMP's simulated year: every invariant of the book and its reports.
use koperasi::city::{CityEntry, CityReport};
use koperasi::core::chrono::NaiveDate;
use koperasi::core::{FiscalYear, Rupiah};
use koperasi::ledger::{AccountClass, Side, kkmp};
use koperasi::reporting::city::ThresholdSchedule;
use koperasi::reporting::statements::FinancialStatements;
use koperasi::{ControlCheck, Koperasi};
use koperasi_sim::{SimConfig, simulate_city, simulate_cooperative};

fn year() -> FiscalYear {
    FiscalYear::calendar(2026).unwrap()
}

/// Σ of the ledger's balances as of `as_of` on `side`, over accounts of class `asset` (true)
/// or of every other class (false: liabilities, equity and the unclosed result).
fn ledger_total(b: &Koperasi, as_of: NaiveDate, asset: bool, side: Side) -> Rupiah {
    let chart = b.ledger().chart();
    Rupiah::try_sum(
        b.ledger()
            .balances(as_of)
            .unwrap()
            .into_iter()
            .filter(|(code, _)| {
                (chart.get(code.as_str()).unwrap().class == AccountClass::Asset) == asset
            })
            .map(|(_, bal)| bal.on_side(side)),
    )
    .unwrap()
}

/// The statements of the year check against the ledger itself: the neraca's totals are the
/// ledger's asset and liability + equity balances (and balance), the perubahan ekuitas closes
/// at the neraca's equity, and the arus kas reconciles kas + bank from the day before the year
/// to its last day.
fn check_against_ledger(b: &Koperasi, st: &FinancialStatements, name: &str) {
    let fy = year();
    let bs = &st.balance_sheet;
    let assets = ledger_total(b, fy.end(), true, Side::Debit);
    assert!(assets.is_positive(), "{name}");
    assert_eq!(bs.total_assets.current, assets, "{name}");
    assert_eq!(
        bs.total_liabilities_and_equity.current,
        ledger_total(b, fy.end(), false, Side::Credit),
        "{name}"
    );
    assert_eq!(bs.total_assets, bs.total_liabilities_and_equity, "{name}");
    assert_eq!(
        st.changes_in_equity.closing, bs.equity.total.current,
        "{name}"
    );
    let cash = |d: NaiveDate| {
        b.ledger()
            .balance(kkmp::KAS, d)
            .unwrap()
            .checked_add(b.ledger().balance(kkmp::BANK, d).unwrap())
            .unwrap()
    };
    let cf = &st.cash_flow;
    assert_eq!(
        cf.opening_cash.current,
        cash(fy.start().pred_opt().unwrap()),
        "{name}"
    );
    assert_eq!(cf.closing_cash.current, cash(fy.end()), "{name}");
    assert_eq!(
        cf.opening_cash
            .current
            .checked_add(cf.net_change.current)
            .unwrap(),
        cf.closing_cash.current,
        "{name}"
    );
}

#[test]
fn full_year_invariants() {
    let cfg = SimConfig::new(4, 60, 11);
    // Index 3 is a "bermasalah" cooperative: late payers, defaults, write-offs.
    for index in [0, 3] {
        let coop = simulate_cooperative(&cfg, index).unwrap();
        let b = &coop.book;
        let fy = year();
        // Statements balance and agree with the ledger; the cash flow reconciles to the
        // change in kas + bank.
        let st = b.statements(fy.period().unwrap(), None).unwrap();
        check_against_ledger(b, &st, &coop.name);
        // PHU result = SHU of the year (the closing entry's result).
        let phu = &st.income_statement;
        let closed = b.closed_years().get(&2026).unwrap();
        assert_eq!(phu.shu.current, closed.shu);
        assert!(closed.distributed);
        // Revenue by counterparty sums to the revenue; the book records a counterparty on
        // member and non-member revenue.
        let c = phu.by_counterparty;
        assert_eq!(
            Rupiah::try_sum([c.member, c.non_member, c.other, c.unspecified]).unwrap(),
            phu.revenue.current
        );
        assert!(c.member.is_positive() && c.non_member.is_positive());
        assert!(phu.sections[0].total.current <= c.member);
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
    let entries: Vec<CityEntry<'_>> = coops
        .iter()
        .map(|c| CityEntry::new(&c.code, &c.name, &c.book, &c.management))
        .collect();
    let as_of = coops.iter().map(|c| c.book.last_date()).max().unwrap();
    let report = CityReport::build(
        "Kota Probolinggo",
        &entries,
        2026,
        as_of,
        &ThresholdSchedule::default(),
    )
    .unwrap();
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
    // Each cooperative's statements agree with its ledger; its PHU result is the SHU of its
    // snapshot; its sales to members are its revenue from members.
    for ((c, row), r) in coops
        .iter()
        .zip(&report.view.cooperatives)
        .zip(&report.cooperatives)
    {
        assert_eq!(row.snapshot.code, c.code);
        assert_eq!(r.code, c.code);
        check_against_ledger(&c.book, &r.statements, &c.name);
        let phu = &r.statements.income_statement;
        assert_eq!(phu.shu.current, row.snapshot.shu);
        assert_eq!(phu.by_counterparty.member, row.snapshot.sales_member);
        assert_eq!(
            phu.by_counterparty.non_member,
            row.snapshot.sales_non_member
        );
    }
    assert!(report.cooperatives.iter().all(|c| c.controls_reconcile));
    let files = report.files().unwrap();
    assert!(files.iter().any(|(p, _)| p == "index.html"));
    assert!(files.iter().any(|(p, _)| p.ends_with("/audit.txt")));
    assert!(report.summary().contains("Koperasi: 3"));
    let _ = ControlCheck::reconciles;
}

/// The demo's year shows the controls at work: two-person approvals completed by a second
/// person, a reversal of a duplicated bill, a dismissal.
#[test]
fn simulated_year_shows_approvals_a_reversal_and_a_dismissal() {
    use koperasi::{Operation, RequestState};
    let coop = simulate_cooperative(&SimConfig::new(1, 60, 11), 0).unwrap();
    let b = &coop.book;
    let count = |f: &dyn Fn(&Operation) -> bool| b.events().iter().filter(|e| f(&e.op)).count();
    assert!(count(&|o| matches!(o, Operation::Approve { .. })) >= 1);
    assert!(count(&|o| matches!(o, Operation::Reverse { .. })) >= 1);
    assert!(count(&|o| matches!(o, Operation::DismissMember { .. })) >= 1);
    for r in b.requests().values() {
        match &r.state {
            RequestState::Approved { checker, .. } => assert_ne!(*checker, r.maker),
            s => panic!("request {} left {s:?}", r.id),
        }
    }
    let reversed = b
        .events()
        .iter()
        .enumerate()
        .filter(|(i, _)| b.reversed_by(*i).is_some())
        .count();
    assert_eq!(reversed, 1);
}

/// A city office loads its cooperatives' event logs (JSON Lines) and builds the city view
/// from the books alone (`&[&Koperasi]`): codes and names from the books, no health without
/// the questionnaires. As of the year's end, the view does not change when the books go on
/// into the next year.
#[test]
fn city_from_loaded_books_as_of_a_date() {
    let coops = simulate_city(&SimConfig::new(2, 25, 4), &|_, _| {}).unwrap();
    let loaded: Vec<Koperasi> = coops
        .iter()
        .map(|c| Koperasi::from_json_lines(&c.book.to_json_lines().unwrap()).unwrap())
        .collect();
    let books: Vec<&Koperasi> = loaded.iter().collect();
    let dec31 = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
    let full =
        CityReport::build("Kota", &books, 2026, dec31, &ThresholdSchedule::default()).unwrap();
    assert_eq!(full.view.cooperatives.len(), 2);
    let row = &full.view.cooperatives[0].snapshot;
    assert_eq!(row.code, loaded[0].config().village.to_string());
    assert_eq!(row.name, loaded[0].config().name);
    assert_eq!(row.as_of, dec31);
    assert!(row.health.is_none());
    // The same books cut at the year's end.
    let cut: Vec<Koperasi> = loaded
        .iter()
        .map(|b| {
            Koperasi::replay(
                b.config().clone(),
                b.events().iter().filter(|e| e.date <= dec31).cloned(),
            )
            .unwrap()
        })
        .collect();
    assert!(
        loaded[0].last_date() > dec31,
        "the books go on after the year"
    );
    let cut_refs: Vec<&Koperasi> = cut.iter().collect();
    let then = CityReport::build(
        "Kota",
        &cut_refs,
        2026,
        dec31,
        &ThresholdSchedule::default(),
    )
    .unwrap();
    assert_eq!(full.view, then.view);
}
