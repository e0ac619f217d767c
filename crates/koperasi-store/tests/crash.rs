//! Crash safety: a writer child process appends a simulated cooperative's events (single
//! operations and group commits) and prints each acknowledged one; the parent kills it with
//! SIGKILL at seeded random points, reopens the store and checks that every acknowledged
//! operation is present with the tree head the child printed, that no partial operation is,
//! and that the projections equal a fresh replay (`verify`). The writer snapshots the book
//! every 7 events (in the transaction of the event), so kills also land while snapshots are
//! written; the reopened book — latest snapshot + tail — must equal the full replay. SQLite
//! always (40 kills);
//! PostgreSQL when `KOPERASI_TEST_PG_URL` is set (20 kills).
#![allow(clippy::doc_markdown)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use koperasi_sim::{SimConfig, simulate_cooperative};
use koperasi_store::{Options, Request, Store};

const CHILD_ENV: &str = "KOPERASI_STORE_CRASH_CHILD";

fn sim_events() -> (koperasi::BookConfig, Vec<koperasi::Event>) {
    let sim = simulate_cooperative(&SimConfig::new(1, 20, 11), 0).unwrap();
    (sim.book.config().clone(), sim.book.events().to_vec())
}

/// The writer: runs only when spawned by the harness.
#[test]
fn crash_child_writer() {
    let Ok(url) = std::env::var(CHILD_ENV) else {
        return;
    };
    let seed: u64 = std::env::var("KOPERASI_STORE_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let (config, events) = sim_events();
    let store = Store::open_with(&url, Options::default().with_snapshot_every(7)).unwrap();
    let id = store.create_koperasi(&config).unwrap();
    let mut next = usize::try_from(
        store
            .list_koperasi()
            .unwrap()
            .into_iter()
            .find(|k| k.id == id)
            .unwrap()
            .events,
    )
    .unwrap();
    let mut rng = common::Rng(seed | 1);
    while next < events.len() {
        let n = 1 + usize::try_from(rng.below(8)).unwrap();
        let end = (next + n).min(events.len());
        let reqs: Vec<Request> = events[next..end]
            .iter()
            .enumerate()
            .map(|(k, e)| Request::new(id, e.clone()).with_key(format!("op-{}", next + k)))
            .collect();
        for r in store.commit_group(&reqs).unwrap() {
            let a = r.unwrap();
            println!("ack {} {}", a.seq, a.audit.root);
        }
        next = end;
    }
    println!("done");
}

fn harness(url: &str, kills: u32, seed: u64) -> u32 {
    let exe = std::env::current_exe().unwrap();
    let (_, events) = sim_events();
    let mut rng = common::Rng(seed);
    let mut acked: Vec<(u64, String)> = Vec::new();
    let mut killed = 0;
    let mut round = 0u64;
    while killed < kills {
        round += 1;
        let mut child = Command::new(&exe)
            .args([
                "crash_child_writer",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, url)
            .env("KOPERASI_STORE_CRASH_SEED", (seed ^ round).to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let wait_for = 1 + rng.below(25);
        let mut seen = 0;
        let mut finished = false;
        while seen < wait_for {
            match lines.next() {
                Some(Ok(l)) if l.starts_with("ack ") => {
                    let mut parts = l.split_whitespace().skip(1);
                    let seq: u64 = parts.next().unwrap().parse().unwrap();
                    acked.push((seq, parts.next().unwrap().to_owned()));
                    seen += 1;
                }
                Some(Ok(l)) if l == "done" => {
                    finished = true;
                    break;
                }
                Some(Ok(_)) => {}
                _ => break,
            }
        }
        if !finished {
            // Land the kill at a random moment of the next operations.
            std::thread::sleep(std::time::Duration::from_micros(rng.below(3_000)));
            child.kill().unwrap();
            killed += 1;
        }
        // Acks printed before the kill landed still count as acknowledged.
        for l in lines.map_while(Result::ok) {
            if let Some(rest) = l.strip_prefix("ack ") {
                let mut parts = rest.split_whitespace();
                let seq: u64 = parts.next().unwrap().parse().unwrap();
                acked.push((seq, parts.next().unwrap().to_owned()));
            }
        }
        child.wait().unwrap();
        // Reopen and check.
        let store = Store::open(url).unwrap();
        let info = store.list_koperasi().unwrap();
        let stored = info.first().map_or(0, |k| k.events);
        let max_acked = acked.iter().map(|a| a.0).max().unwrap_or(0);
        assert!(
            stored >= max_acked,
            "round {round}: {stored} stored < {max_acked} acknowledged"
        );
        if let Some(k) = info.first() {
            let book = store.replay(k.id).unwrap();
            // Opening (latest snapshot + tail) gives the full replay's book, state for state.
            let opened = store.load(k.id).unwrap();
            assert!(
                opened.to_snapshot().unwrap() == book.to_snapshot().unwrap(),
                "round {round}: snapshot + tail differs from the full replay"
            );
            // The stored log is exactly a prefix of the writer's events: nothing partial.
            assert_eq!(book.events(), &events[..usize::try_from(stored).unwrap()]);
            // The tree head printed with each ack equals the replay's at that event.
            let mut replayed = koperasi::Koperasi::new(book.config().clone()).unwrap();
            let mut roots = vec![String::new()];
            for e in book.events() {
                replayed.apply(e.clone()).unwrap();
                roots.push(replayed.audit_head().root.to_string());
            }
            for (seq, root) in &acked {
                assert_eq!(
                    &roots[usize::try_from(*seq).unwrap()],
                    root,
                    "round {round}, event {seq}"
                );
            }
            acked.clear();
            if round.is_multiple_of(8) || killed == kills {
                let r = store.verify().unwrap();
                assert!(r.iter().all(|r| r.ok), "round {round}: {:?}", r[0].problems);
            }
        }
        if finished {
            break;
        }
    }
    killed
}

#[test]
fn sigkill_at_random_points_loses_no_acknowledged_operation() {
    let dir = common::temp_dir("crash");
    let url = dir.join("crash.db").to_string_lossy().into_owned();
    let killed = harness(&url, 40, 0x6b6f_7065);
    assert!(
        killed >= 30,
        "only {killed} kills before the writer finished"
    );
    let _ = std::fs::remove_dir_all(dir);
    match common::pg_database_guard("crash") {
        Some(pg) => {
            let killed = harness(&pg.url, 20, 0x7067);
            assert!(
                killed >= 15,
                "only {killed} kills before the writer finished"
            );
        }
        None => eprintln!(
            "notice: KOPERASI_TEST_PG_URL is not set; the PostgreSQL crash harness is skipped"
        ),
    }
}
