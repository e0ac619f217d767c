//! A simulated year stored and read back (SQLite; PostgreSQL when `KOPERASI_TEST_PG_URL` is
//! set): projections equal the in-memory book.
#![allow(clippy::doc_markdown)]

mod common;

use koperasi::core::Rupiah;
use koperasi_sim::{SimConfig, simulate_cooperative};
use koperasi_store::{EntryFilter, Request};

#[test]
fn simulated_year_round_trips_through_the_store() {
    for db in common::backends("smoke") {
        let store = db.open();
        let sim = simulate_cooperative(&SimConfig::new(1, 25, 7), 0).unwrap();
        let book = &sim.book;
        let id = store.create_koperasi(book.config()).unwrap();
        for chunk in book.events().chunks(200) {
            let reqs: Vec<Request> = chunk.iter().map(|e| Request::new(id, e.clone())).collect();
            for r in store.commit_group(&reqs).unwrap() {
                r.unwrap();
            }
        }
        let loaded = store.replay(id).unwrap();
        assert_eq!(loaded.audit_head(), book.audit_head(), "{}", db.name);
        let end = book.last_date();
        let expected = book.ledger().balances(end).unwrap();
        let stored = store.balances(id, end).unwrap();
        let stored: std::collections::BTreeMap<_, _> = stored.into_iter().collect();
        for (code, b) in &expected {
            let s = stored.get(code.as_str()).copied().unwrap_or_default();
            assert_eq!(
                (s.debit, s.credit),
                (b.debit, b.credit),
                "{} {code}",
                db.name
            );
        }
        let members = store.members(id).unwrap();
        assert_eq!(members.len(), book.registry().len(), "{}", db.name);
        let page = store.entries(id, &EntryFilter::new().limit(10)).unwrap();
        assert_eq!(page.len(), 10.min(book.ledger().len()));
        let m = store.monitoring(end).unwrap();
        assert_eq!(m.len(), 1);
        // The figures from the projections equal those of the in-memory book, at the year
        // end and mid-year.
        let mid = end - koperasi::core::chrono::Days::new(180);
        for day in [end, mid] {
            let got = &store.monitoring(day).unwrap()[0];
            assert_eq!(
                monitoring_figures(got),
                expected_figures(book, day),
                "{} {day}",
                db.name
            );
        }
        db.cleanup();
    }
}

type Figures = [Rupiah; 8];

fn monitoring_figures(m: &koperasi_store::Monitoring) -> Figures {
    [
        m.assets,
        m.liabilities,
        m.equity,
        m.revenue,
        m.expenses,
        m.cash_and_bank,
        m.member_savings,
        m.loans_outstanding,
    ]
}

/// The monitoring figures computed from the book's own balances as of `day`.
fn expected_figures(book: &koperasi::Koperasi, day: koperasi::core::chrono::NaiveDate) -> Figures {
    use koperasi::PostingRole as R;
    use koperasi::ledger::AccountClass as C;
    use koperasi::savings_loans::SavingsKind as K;
    let balances = book.ledger().balances(day).unwrap();
    let mut f = [Rupiah::ZERO; 8];
    let mut add = |i: usize, r: Rupiah| f[i] = f[i].checked_add(r).unwrap();
    for (code, b) in &balances {
        let class = book.ledger().chart().get(code.as_str()).unwrap().class;
        let net = b.net_debit;
        match class {
            C::Asset => add(0, net),
            C::Liability => add(1, net.negated()),
            C::Equity => add(2, net.negated()),
            C::Revenue => add(3, net.negated()),
            C::Expense => add(4, net),
            _ => {}
        }
        let is = |role: R| book.code(role) == code.as_str();
        if is(R::Cash) || is(R::Bank) {
            add(5, net);
        }
        if [K::Principal, K::Mandatory, K::Voluntary]
            .into_iter()
            .any(|k| is(R::MemberSavings(k)))
        {
            add(6, net.negated());
        }
        if is(R::LoanReceivable) {
            add(7, net);
        }
    }
    f
}
