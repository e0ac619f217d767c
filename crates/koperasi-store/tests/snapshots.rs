//! Book snapshots in the store: open = the latest usable snapshot + the log's tail, equal to
//! a full replay; a bad snapshot is skipped and reported by `verify`; schema 4 databases
//! migrate. SQLite always; PostgreSQL too when `KOPERASI_TEST_PG_URL` is set.
#![allow(clippy::doc_markdown)]

mod common;

use std::sync::OnceLock;

use common::{Db, backends, config, deposit, grant, join};
use koperasi::core::CooperativeId;
use koperasi::{Event, Koperasi};
use koperasi_sim::{SimConfig, simulate_cooperative};
use koperasi_store::{Error, Options, Request, Store};
use proptest::prelude::*;

/// Runs SQL on the test database directly (bypassing the store).
fn raw(db: &Db, sql: &str) {
    if db.name == "sqlite" {
        let c = rusqlite::Connection::open(&db.url).unwrap();
        c.execute_batch(sql).unwrap();
    } else {
        let mut c = postgres::Client::connect(&db.url, postgres::NoTls).unwrap();
        c.batch_execute(sql).unwrap();
    }
}

/// Runs `edit` on `table` behind its append-only triggers (drop/disable, edit, restore).
fn behind_triggers(db: &Db, table: &str, edit: &str) {
    if db.name == "sqlite" {
        let c = rusqlite::Connection::open(&db.url).unwrap();
        let triggers: Vec<(String, String)> = {
            let mut st = c
                .prepare(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?1",
                )
                .unwrap();
            st.query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        };
        for (name, _) in &triggers {
            c.execute_batch(&format!("DROP TRIGGER {name}")).unwrap();
        }
        c.execute_batch(edit).unwrap();
        for (_, sql) in &triggers {
            c.execute_batch(sql).unwrap();
        }
    } else {
        raw(
            db,
            &format!(
                "ALTER TABLE {table} DISABLE TRIGGER {table}_append_only; {edit}; ALTER TABLE {table} ENABLE TRIGGER {table}_append_only;"
            ),
        );
    }
}

/// The whole state of a book, for equality: its snapshot bytes (deterministic) and its
/// `Debug` form (every field).
fn state(b: &Koperasi) -> (Vec<u8>, String) {
    (b.to_snapshot().unwrap(), format!("{b:?}"))
}

/// Simulated cooperatives (a year of a small cooperative: registrations, savings, loans,
/// trade, month-ends, year close…), built once per seed.
fn simulated(seed: u64) -> &'static Koperasi {
    static BOOKS: OnceLock<Vec<Koperasi>> = OnceLock::new();
    let books = BOOKS.get_or_init(|| {
        (0..3u64)
            .map(|s| {
                simulate_cooperative(&SimConfig::new(1, 6, 100 + s), 0)
                    .unwrap()
                    .book
            })
            .collect()
    });
    &books[usize::try_from(seed % 3).unwrap()]
}

/// Writes the first `n` events of a simulated book in groups, with periodic snapshots every
/// `every` events and explicit ones after the events listed in `at`; then opens the store
/// afresh (no cache) and checks that the opened book — latest snapshot + tail — equals the
/// full replay and the in-memory book, that further events give the same results, and
/// that `verify` agrees.
fn run(
    url: &str,
    sim: &Koperasi,
    n: usize,
    every: u64,
    at: &[usize],
    groups: &[usize],
) -> Result<(), TestCaseError> {
    let n = n.min(sim.events().len());
    let events: &[Event] = &sim.events()[..n];
    let options = Options::default().with_snapshot_every(every);
    let store = Store::open_with(url, options.clone()).unwrap();
    let id = store.create_koperasi(sim.config()).unwrap();
    let mut at_sorted: Vec<usize> = at.iter().map(|a| a % (n + 1)).collect();
    at_sorted.sort_unstable();
    let mut done = 0usize;
    let mut g = groups.iter().cycle();
    while done < n {
        let mut size = (*g.next().unwrap()).clamp(1, n - done);
        // Stop a group at the next explicit snapshot point.
        if let Some(next) = at_sorted.iter().find(|a| **a > done) {
            size = size.min(next - done);
        }
        let reqs: Vec<Request> = events[done..done + size]
            .iter()
            .map(|e| Request::new(id, e.clone()))
            .collect();
        for r in store.commit_group(&reqs).unwrap() {
            r.unwrap();
        }
        done += size;
        if at_sorted.contains(&done) {
            let info = store.snapshot(id).unwrap();
            prop_assert_eq!(info.event_seq, done as u64);
        }
    }
    let snapshots = store.snapshots(id).unwrap();
    for s in &snapshots {
        let periodic = every > 0 && s.event_seq.is_multiple_of(every);
        prop_assert!(periodic || at_sorted.contains(&usize::try_from(s.event_seq).unwrap()));
    }
    drop(store);
    let model = Koperasi::replay(sim.config().clone(), events.iter().cloned()).unwrap();
    // A fresh store: nothing cached, so `load` opens from the latest snapshot.
    let store = Store::open_with(url, options).unwrap();
    let opened = store.load(id).unwrap();
    let replayed = store.replay(id).unwrap();
    prop_assert_eq!(opened.audit_head(), replayed.audit_head());
    prop_assert!(state(&opened) == state(&replayed), "opened ≠ full replay");
    prop_assert!(state(&opened) == state(&model), "opened ≠ in-memory book");
    // Further events through the opened book (its projections are then checked by verify).
    let mut model = model;
    let more = &sim.events()[n..sim.events().len().min(n + 15)];
    for e in more {
        let expect = model.apply(e.clone());
        let got = store.append(id, e.clone(), None);
        prop_assert_eq!(expect.is_ok(), got.is_ok());
    }
    let after = store.load(id).unwrap();
    prop_assert!(state(&after) == state(&model), "after further events");
    let report = store.verify_koperasi(id).unwrap();
    prop_assert!(report.ok, "{:?}", report.problems);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10, failure_persistence: None, ..ProptestConfig::default() })]

    /// Random sequences of events (prefixes of simulated years) written with snapshots at
    /// random points (periodic and explicit) → the opened book (latest snapshot + tail)
    /// equals the full replay and the in-memory book, before and after further events.
    #[test]
    fn prop_snapshot_plus_tail_equals_full_replay(
        seed in 0u64..3,
        n in 1usize..400,
        every in prop_oneof![Just(0u64), 1u64..60],
        at in prop::collection::vec(0usize..400, 0..4),
        groups in prop::collection::vec(1usize..40, 1..4),
    ) {
        let sim = simulated(seed);
        let dir = common::temp_dir("snapshot-props");
        run(dir.join("s.db").to_str().unwrap(), sim, n, every, &at, &groups)?;
        let _ = std::fs::remove_dir_all(dir);
        if let Some(pg) = common::pg_database_guard("snapshot_props") {
            run(&pg.url, sim, n, every, &at, &groups)?;
        }
    }
}

fn small_coop(store: &Store, n: u128, deposits: u32) -> CooperativeId {
    let id = store.create_koperasi(&config(n)).unwrap();
    let mut reqs = vec![Request::new(id, grant(10_000_000))];
    for i in 0..2 {
        reqs.extend(join(i).into_iter().map(|e| Request::new(id, e)));
    }
    for k in 0..deposits {
        reqs.push(Request::new(id, deposit(k % 2, 7_000 + i64::from(k))));
    }
    for r in store.commit_group(&reqs).unwrap() {
        r.unwrap();
    }
    id
}

#[test]
fn open_uses_the_latest_usable_snapshot_and_verify_reports_a_bad_one() {
    for db in backends("snapshot-bad") {
        let options = Options::default()
            .with_snapshot_every(10)
            .with_snapshots_kept(0);
        let store = db.open_with(options.clone());
        // 1 grant + 4 joins + 25 deposits = 30 events: snapshots at 10, 20, 30.
        let id = small_coop(&store, 1, 25);
        let seqs: Vec<u64> = store
            .snapshots(id)
            .unwrap()
            .iter()
            .map(|s| s.event_seq)
            .collect();
        assert_eq!(seqs, vec![10, 20, 30], "{}", db.name);
        let truth = store.replay(id).unwrap();
        drop(store);
        // Damage the latest snapshot (cut short) and make the one before disagree with its
        // event row: open must fall back to the snapshot at 10 and replay 11..30.
        let cut = if db.name == "sqlite" {
            "UPDATE snapshots SET state = substr(state, 1, 100) WHERE event_seq = 30"
        } else {
            "UPDATE snapshots SET state = substring(state from 1 for 100) WHERE event_seq = 30"
        };
        behind_triggers(&db, "snapshots", cut);
        behind_triggers(
            &db,
            "snapshots",
            "UPDATE snapshots SET audit_size = audit_size + 1 WHERE event_seq = 20",
        );
        // Prove that open starts from the snapshot at 10: an edit of event 2 (before it)
        // changes a full replay but not the opened book.
        behind_triggers(
            &db,
            "events",
            "UPDATE events SET body = replace(body, 'Anggota 0', 'Anggota X') WHERE seq = 2",
        );
        let store = db.open_with(options);
        let opened = store.load(id).unwrap();
        assert!(state(&opened) == state(&truth), "{}", db.name);
        let report = store.verify_koperasi(id).unwrap();
        assert!(!report.ok, "{}", db.name);
        let text = report.problems.join("\n");
        assert!(text.contains("snapshot at event 30"), "{}: {text}", db.name);
        assert!(text.contains("snapshot at event 20"), "{}: {text}", db.name);
        // The edited event makes the replay differ from every snapshot after it, and the
        // log's own checks name the edit.
        assert!(
            text.contains("snapshot at event 10: its state differs"),
            "{}: {text}",
            db.name
        );
        assert!(text.contains("event 2: body"), "{}: {text}", db.name);
        db.cleanup();
    }
}

#[test]
fn snapshots_refuse_update_and_explicit_snapshots_are_idempotent() {
    for db in backends("snapshot-explicit") {
        let store = db.open_with(Options::default().with_snapshot_every(0));
        let empty = store.create_koperasi(&config(7)).unwrap();
        assert!(matches!(
            store.snapshot(empty),
            Err(Error::InvalidArgument(_))
        ));
        let id = small_coop(&store, 2, 3);
        assert!(store.snapshots(id).unwrap().is_empty(), "0 = never");
        let a = store.snapshot(id).unwrap();
        let b = store.snapshot(id).unwrap();
        assert_eq!(a, b, "{}", db.name);
        assert_eq!(a.event_seq, 8);
        assert_eq!(a.audit, store.replay(id).unwrap().audit_head());
        assert!(a.bytes > 1_000);
        // A kept snapshot is never changed (old ones may be deleted: schema 6).
        let e = std::panic::catch_unwind(|| raw(&db, "UPDATE snapshots SET event_seq = 1"));
        assert!(e.is_err(), "{}: UPDATE of a snapshot was allowed", db.name);
        assert!(store.verify_koperasi(id).unwrap().ok);
        db.cleanup();
    }
}

#[test]
fn a_schema_4_database_migrates_to_the_current_schema() {
    for db in backends("snapshot-migrate") {
        let store = db.open();
        let id = small_coop(&store, 3, 5);
        let before = store.replay(id).unwrap().audit_head();
        drop(store);
        // Make it a schema 4 database: no snapshots table, version 4 recorded last.
        raw(
            &db,
            "DROP TABLE snapshots; DELETE FROM schema_migrations WHERE version >= 5",
        );
        let store = db.open_with(Options::default().with_snapshot_every(4));
        assert_eq!(store.load(id).unwrap().audit_head(), before);
        store.append(id, deposit(0, 1_000), None).unwrap();
        store.snapshot(id).unwrap();
        drop(store);
        let store = db.open();
        assert_eq!(
            store.snapshots(id).unwrap().last().map(|s| s.event_seq),
            Some(11)
        );
        let report = store.verify_koperasi(id).unwrap();
        assert!(report.ok, "{}: {:?}", db.name, report.problems);
        db.cleanup();
    }
}

/// Writing a snapshot keeps the newest `snapshots_kept` of the cooperative and deletes the
/// older ones in the same transaction (0 keeps all); the book opened from what is kept, or
/// by full replay once every snapshot is gone, is the book of the full replay.
#[test]
fn old_snapshots_are_pruned_to_the_newest_kept() {
    for db in backends("snapshot-prune") {
        let store = db.open_with(Options::default().with_snapshot_every(2));
        let id = small_coop(&store, 2, 3);
        let seqs = |s: &Store| -> Vec<u64> {
            s.snapshots(id)
                .unwrap()
                .iter()
                .map(|i| i.event_seq)
                .collect()
        };
        assert_eq!(seqs(&store), vec![6, 8], "{}: default keeps two", db.name);
        let full = store.replay(id).unwrap();
        drop(store);
        let store = db.open_with(Options::default().with_snapshot_every(0));
        assert_eq!(store.load(id).unwrap().audit_head(), full.audit_head());
        assert!(store.verify_koperasi(id).unwrap().ok, "{}", db.name);
        drop(store);

        let store = db.open_with(
            Options::default()
                .with_snapshot_every(1)
                .with_snapshots_kept(0),
        );
        store.append(id, deposit(0, 1_000), None).unwrap();
        store.append(id, deposit(1, 2_000), None).unwrap();
        assert_eq!(seqs(&store), vec![6, 8, 9, 10], "{}: 0 keeps all", db.name);
        drop(store);

        let store = db.open_with(
            Options::default()
                .with_snapshot_every(0)
                .with_snapshots_kept(1),
        );
        store.append(id, deposit(0, 3_000), None).unwrap();
        assert_eq!(store.snapshot(id).unwrap().event_seq, 11);
        assert_eq!(
            seqs(&store),
            vec![11],
            "{}: an explicit snapshot prunes too",
            db.name
        );
        let full = store.replay(id).unwrap();
        drop(store);

        // Every snapshot deleted by hand: the book opens by full replay, unchanged.
        raw(&db, "DELETE FROM snapshots");
        let store = db.open_with(Options::default().with_snapshot_every(0));
        assert!(seqs(&store).is_empty());
        assert_eq!(store.load(id).unwrap().audit_head(), full.audit_head());
        assert!(store.verify_koperasi(id).unwrap().ok, "{}", db.name);
        db.cleanup();
    }
}

/// With deferred timing a commit that reaches a multiple of `snapshot_every` writes no
/// snapshot and marks its cooperative due; `write_due_snapshots` writes one at the latest
/// event (also past the multiple), clears the mark, and the book opened from it is the book
/// of the full replay. Switching back to in-commit timing writes them in the commit again.
#[test]
fn deferred_snapshots_are_written_later_at_the_latest_event() {
    use koperasi_store::SnapshotTiming;
    for db in backends("snapshot-deferred") {
        let store = db.open_with(
            Options::default()
                .with_snapshot_every(4)
                .with_snapshot_timing(SnapshotTiming::Deferred),
        );
        assert_eq!(store.snapshot_timing(), SnapshotTiming::Deferred);
        let id = small_coop(&store, 3, 3); // 8 events: due at 4 and 8
        assert!(store.snapshots(id).unwrap().is_empty(), "{}", db.name);
        assert_eq!(store.snapshots_due(), vec![id], "{}", db.name);
        store.append(id, deposit(0, 1_000), None).unwrap(); // 9: past the multiple
        let written = store.write_due_snapshots().unwrap();
        assert_eq!(written.len(), 1, "{}", db.name);
        assert_eq!(written[0].event_seq, 9, "{}", db.name);
        assert!(store.snapshots_due().is_empty(), "{}", db.name);
        // nothing due: nothing written
        assert!(store.write_due_snapshots().unwrap().is_empty());
        let full = store.replay(id).unwrap();
        drop(store);
        let store = db.open_with(Options::default().with_snapshot_every(4));
        assert_eq!(store.snapshot_timing(), SnapshotTiming::InCommit);
        let loaded = store.load(id).unwrap();
        assert_eq!(state(&loaded), state(&full), "{}", db.name);
        assert!(store.verify_koperasi(id).unwrap().ok, "{}", db.name);
        // switched at run time: the next multiple is written in its commit
        store.set_snapshot_timing(SnapshotTiming::Deferred);
        store.set_snapshot_timing(SnapshotTiming::InCommit);
        for k in 0..3 {
            store.append(id, deposit(1, 2_000 + k), None).unwrap(); // 10, 11, 12
        }
        let seqs: Vec<u64> = store
            .snapshots(id)
            .unwrap()
            .iter()
            .map(|i| i.event_seq)
            .collect();
        assert_eq!(seqs, vec![9, 12], "{}", db.name);
        assert!(store.snapshots_due().is_empty(), "{}", db.name);
        db.cleanup();
    }
}

/// `set_wal_autocheckpoint` refuses 0 (the WAL would never be copied back by a commit) and
/// a raised bound leaves commits, reads and a passive checkpoint working.
#[test]
fn the_wal_autocheckpoint_bound_is_settable_but_never_zero() {
    for db in backends("wal-autocheckpoint") {
        let store = db.open_with(Options::default());
        assert!(matches!(
            store.set_wal_autocheckpoint(0),
            Err(Error::InvalidArgument(_))
        ));
        store.set_wal_autocheckpoint(131_072).unwrap();
        let id = small_coop(&store, 4, 3);
        store.append(id, deposit(0, 1_000), None).unwrap();
        let r = store.checkpoint_wal_passive().unwrap();
        if db.name == "sqlite" {
            let (log, copied) = r.unwrap();
            assert!(log > 0 && copied <= log, "{log} {copied}");
        } else {
            assert!(r.is_none());
        }
        assert!(store.verify_koperasi(id).unwrap().ok, "{}", db.name);
        db.cleanup();
    }
}
