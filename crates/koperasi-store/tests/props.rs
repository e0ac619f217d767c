//! Property: for any sequence of operations in random groups, the store agrees with the
//! in-memory book. SQLite always; PostgreSQL too when `KOPERASI_TEST_PG_URL` is set.
#![allow(clippy::doc_markdown)]

mod common;

use common::{config, deposit, grant, join, member};
use koperasi::core::Rupiah;
use koperasi::{Event, Koperasi, Operation, Via};
use koperasi_store::{Error, Request, Store};
use proptest::prelude::*;

/// One step of a scenario.
#[derive(Debug, Clone)]
enum Step {
    Deposit {
        m: u32,
        rupiah: i64,
    },
    /// A withdrawal, refused when it exceeds the balance.
    Withdraw {
        m: u32,
        rupiah: i64,
    },
    /// Retry of the step `back` positions earlier with its key.
    Retry {
        back: usize,
    },
    /// A different operation under the key of the step `back` positions earlier.
    Reuse {
        back: usize,
        rupiah: i64,
    },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0u32..3, 1i64..50_000).prop_map(|(m, rupiah)| Step::Deposit { m, rupiah }),
        2 => (0u32..3, 1i64..80_000).prop_map(|(m, rupiah)| Step::Withdraw { m, rupiah }),
        1 => (1usize..6).prop_map(|back| Step::Retry { back }),
        1 => (1usize..6, 1i64..9_999).prop_map(|(back, rupiah)| Step::Reuse { back, rupiah }),
    ]
}

fn withdraw(m: u32, rupiah: i64) -> Event {
    Event::new(
        common::d(3, 1),
        common::KASIR,
        Operation::Withdraw {
            member: member(m),
            amount: Rupiah::from_rupiah(rupiah),
            via: Via::Cash,
        },
    )
}

fn run(store: &Store, n: u128, steps: &[Step], groups: &[usize]) -> Result<(), TestCaseError> {
    let cfg = config(n);
    let id = store.create_koperasi(&cfg).unwrap();
    let mut model = Koperasi::new(cfg).unwrap();
    let mut setup = vec![grant(10_000_000)];
    for i in 0..3 {
        setup.extend(join(i));
    }
    for e in &setup {
        model.apply(e.clone()).unwrap();
    }
    let reqs: Vec<Request> = setup.into_iter().map(|e| Request::new(id, e)).collect();
    for r in store.commit_group(&reqs).unwrap() {
        r.unwrap();
    }
    // Build the requests: (request, expected outcome class).
    let mut sent: Vec<Request> = Vec::new();
    for (k, s) in steps.iter().enumerate() {
        let req = match s {
            Step::Deposit { m, rupiah } => {
                Request::new(id, deposit(*m, *rupiah)).with_key(format!("s{k}"))
            }
            Step::Withdraw { m, rupiah } => {
                Request::new(id, withdraw(*m, *rupiah)).with_key(format!("s{k}"))
            }
            Step::Retry { back } => match k.checked_sub(*back).and_then(|j| sent.get(j)) {
                Some(r) => r.clone(),
                None => Request::new(id, deposit(0, 1)),
            },
            Step::Reuse { back, rupiah } => match k.checked_sub(*back).and_then(|j| sent.get(j)) {
                Some(r) => Request::new(id, deposit(2, *rupiah))
                    .with_key(r.key.clone().unwrap_or_default()),
                None => Request::new(id, deposit(1, *rupiah)),
            },
        };
        sent.push(req);
    }
    // Commit in random groups; apply the model in the same order with the same key rules.
    let mut keys: std::collections::HashMap<String, (Event, Option<u64>)> =
        std::collections::HashMap::new();
    let mut at = 0usize;
    let mut g = groups.iter().cycle();
    while at < sent.len() {
        let size = (*g.next().unwrap()).clamp(1, sent.len() - at);
        let group = &sent[at..at + size];
        let out = store.commit_group(group).unwrap();
        for (req, got) in group.iter().zip(out) {
            let known = req.key.as_ref().and_then(|k| keys.get(k).cloned());
            match known {
                Some((event, first)) if event == req.event => match (first, got) {
                    (Some(seq), Ok(a)) => prop_assert!(a.replayed && a.seq == seq),
                    // The first try was refused: the key was not stored, so this is a new try.
                    (None, got) => {
                        let expect = model.apply(req.event.clone());
                        prop_assert_eq!(expect.is_ok(), got.is_ok());
                        if let Ok(a) = got {
                            keys.insert(req.key.clone().unwrap(), (req.event.clone(), Some(a.seq)));
                        }
                    }
                    (Some(_), Err(e)) => prop_assert!(false, "retry failed: {e}"),
                },
                Some((_, Some(seq))) => {
                    let conflict =
                        matches!(got, Err(Error::IdempotencyConflict { seq: s, .. }) if s == seq);
                    prop_assert!(conflict, "expected a conflict with event {}", seq);
                }
                _ => {
                    let expect = model.apply(req.event.clone());
                    prop_assert_eq!(expect.is_ok(), got.is_ok(), "{:?}", got);
                    if let Some(k) = &req.key {
                        let seq = got.as_ref().ok().map(|a| a.seq);
                        keys.insert(k.clone(), (req.event.clone(), seq));
                    }
                    if let Err(e) = &got {
                        prop_assert!(matches!(e, Error::Rejected { .. }), "{e}");
                    }
                }
            }
        }
        at += size;
    }
    let stored = store.load(id).unwrap();
    prop_assert_eq!(stored.audit_head(), model.audit_head());
    prop_assert_eq!(stored.events(), model.events());
    let report = store.verify_koperasi(id).unwrap();
    prop_assert!(report.ok, "{:?}", report.problems);
    for day in [
        common::d(1, 1),
        common::d(1, 5),
        common::d(2, 1),
        common::d(2, 15),
        common::d(3, 1),
    ] {
        for (code, b) in model.ledger().balances(day).unwrap() {
            let s = store.balance(id, code.as_str(), day).unwrap();
            prop_assert_eq!(
                (s.debit, s.credit),
                (b.debit, b.credit),
                "{} on {}",
                code,
                day
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn prop_store_equals_the_in_memory_book(
        steps in prop::collection::vec(step(), 1..40),
        groups in prop::collection::vec(1usize..6, 1..5),
    ) {
        let dir = common::temp_dir("props");
        let store = Store::open(dir.join("p.db").to_str().unwrap()).unwrap();
        let n = u128::from(common::next_n());
        run(&store, 500 + n, &steps, &groups)?;
        drop(store);
        let _ = std::fs::remove_dir_all(dir);
        if let Some(pg) = common::pg_database_guard("props") {
            // A fresh database per case, dropped when the case ends.
            let store = Store::open(&pg.url).unwrap();
            run(&store, 500 + n, &steps, &groups)?;
        }
    }
}
