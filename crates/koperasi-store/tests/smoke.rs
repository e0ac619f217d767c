//! A simulated year stored and read back (SQLite; PostgreSQL when `KOPERASI_TEST_PG_URL` is
//! set): projections equal the in-memory book.
#![allow(clippy::doc_markdown)]

mod common;

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
        db.cleanup();
    }
}
