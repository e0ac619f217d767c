//! Store benchmarks (durable settings only: SQLite WAL + `synchronous=FULL`, PostgreSQL
//! defaults). PostgreSQL groups run when `KOPERASI_BENCH_PG_URL` names a database the bench may
//! fill. Run one group at a time with short times on a shared machine, e.g.
//! `cargo bench -p koperasi-store --bench store -- sqlite_group --warm-up-time 1 --measurement-time 3`.
#![allow(clippy::doc_markdown, missing_docs)]

#[path = "../tests/common/mod.rs"]
#[allow(unreachable_pub)]
mod common;

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{config, deposit, grant, join};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use koperasi::core::CooperativeId;
use koperasi_sim::{SimConfig, simulate_city, simulate_cooperative};
use koperasi_store::{Request, Store};

const WRITERS: u32 = 8;

/// Whether a benchmark's (expensive) setup should run: criterion filters only the
/// measurement, so the setup of a filtered-out group is skipped here. Without a filter
/// argument every group runs.
fn wanted(group: &str) -> bool {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-') && a.parse::<f64>().is_err())
        .collect();
    filters.is_empty()
        || filters.iter().any(|f| {
            f.split('|')
                .any(|p| group.contains(p.split('/').next().unwrap_or(p)))
        })
}

/// The process's CPU time (user + system) in seconds, from `/proc/self/stat` (Linux; 0 if
/// unreadable), at the kernel's 100 Hz tick.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, r)| r)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

fn fresh_sqlite(name: &str) -> (Store, std::path::PathBuf) {
    let dir = common::temp_dir(name);
    let store = Store::open(dir.join("bench.db").to_str().unwrap()).unwrap();
    (store, dir)
}

fn coop(store: &Store, n: u128, members: u32) -> CooperativeId {
    let id = store.create_koperasi(&config(n)).unwrap();
    let mut reqs = vec![Request::new(id, grant(10_000_000))];
    for i in 0..members {
        reqs.extend(join(i).into_iter().map(|e| Request::new(id, e)));
    }
    for r in store.commit_group(&reqs).unwrap() {
        r.unwrap();
    }
    id
}

/// `WRITERS` threads, each on its own cooperative, submit `per_writer` two-line deposits
/// through a group committer with `in_flight` operations outstanding each (1 = one at a
/// time); every operation is acknowledged only after its commit. The elapsed time.
fn group_commit_run(
    store: &Store,
    ids: &[CooperativeId],
    per_writer: u32,
    in_flight: usize,
) -> Duration {
    let committer = Arc::new(store.group_committer(WRITERS as usize, 256).unwrap());
    let start = Instant::now();
    let threads: Vec<_> = ids
        .iter()
        .enumerate()
        .map(|(t, id)| {
            let (committer, id) = (Arc::clone(&committer), *id);
            std::thread::spawn(move || {
                let mut pending = std::collections::VecDeque::new();
                for k in 0..per_writer {
                    let m = k % 4;
                    pending.push_back(
                        committer
                            .enqueue(Request::new(
                                id,
                                deposit(m, 1_000 + i64::try_from(t).unwrap()),
                            ))
                            .unwrap(),
                    );
                    if pending.len() >= in_flight {
                        pending.pop_front().unwrap().wait().unwrap();
                    }
                }
                for p in pending {
                    p.wait().unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    start.elapsed()
}

fn bench_group_commit(c: &mut Criterion, name: &str, store: &Store, base: u128) {
    let ids: Vec<_> = (0..u128::from(WRITERS))
        .map(|n| coop(store, base + n, 4))
        .collect();
    let per_writer = 250;
    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::Elements(u64::from(WRITERS * per_writer)));
    g.sample_size(10);
    for in_flight in [1usize, 64] {
        g.bench_function(
            format!("8_writers_8_coops_two_line_ops_{in_flight}_in_flight"),
            |b| {
                b.iter_custom(|iters| {
                    (0..iters)
                        .map(|_| group_commit_run(store, &ids, per_writer, in_flight))
                        .sum()
                });
            },
        );
    }
    g.finish();
    // CPU cost per operation, to read the figures of a shared machine: process CPU time
    // (writer, producers and SQLite) over one more run of 64 in flight.
    let (cpu0, wall0) = (cpu_seconds(), Instant::now());
    let wall = group_commit_run(store, &ids, 2_000, 64);
    let cpu = cpu_seconds() - cpu0;
    let ops = f64::from(WRITERS * 2_000);
    eprintln!(
        "{name}: {ops} ops in {:.2} s wall ({:.0} ops/s), process CPU {:.2} s = {:.1} µs per op (load average at the time: {})",
        wall.as_secs_f64(),
        ops / wall.as_secs_f64(),
        cpu,
        cpu * 1e6 / ops,
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .trim()
    );
    let _ = wall0;
}

fn sqlite_group(c: &mut Criterion) {
    if !wanted("sqlite_group_commit") {
        return;
    }
    let (store, dir) = fresh_sqlite("bench-group");
    bench_group_commit(c, "sqlite_group_commit", &store, 100);
    drop(store);
    let _ = std::fs::remove_dir_all(dir);
}

/// The baseline: the same two-line deposits applied to an in-memory book, no store.
fn book_only(c: &mut Criterion) {
    if !wanted("book_only") {
        return;
    }
    let mut book = Koperasi::new(config(900)).unwrap();
    book.apply(grant(10_000_000)).unwrap();
    for i in 0..4 {
        for e in join(i) {
            book.apply(e).unwrap();
        }
    }
    let mut g = c.benchmark_group("book_only");
    g.throughput(Throughput::Elements(1));
    let mut k = 0u32;
    g.bench_function("apply_two_line_deposit_in_memory", |b| {
        b.iter(|| {
            k = k.wrapping_add(1);
            black_box(book.apply(deposit(k % 4, 1_000)).unwrap());
        });
    });
    g.finish();
}

fn sqlite_single(c: &mut Criterion) {
    if !wanted("sqlite_single_commit") {
        return;
    }
    let (store, dir) = fresh_sqlite("bench-single");
    let id = coop(&store, 200, 4);
    let mut g = c.benchmark_group("sqlite_single_commit");
    g.throughput(Throughput::Elements(1));
    let mut k = 0u32;
    g.bench_function("one_two_line_op_per_transaction", |b| {
        b.iter(|| {
            k = k.wrapping_add(1);
            black_box(store.append(id, deposit(k % 4, 1_000), None).unwrap());
        });
    });
    g.finish();
    drop(store);
    let _ = std::fs::remove_dir_all(dir);
}

fn pg_group(c: &mut Criterion) {
    if !wanted("postgres_group_commit") {
        return;
    }
    let Ok(url) = std::env::var("KOPERASI_BENCH_PG_URL") else {
        eprintln!(
            "notice: KOPERASI_BENCH_PG_URL is not set; the PostgreSQL benchmarks are skipped"
        );
        return;
    };
    let store = Store::open(&url).unwrap();
    let base = 300 + u128::from(common::next_n()) * 100 + u128::from(std::process::id()) * 1_000;
    bench_group_commit(c, "postgres_group_commit", &store, base);
}

/// A year-old 300-member cooperative: full replay from the store, and the warm path.
fn reopen(c: &mut Criterion) {
    if !wanted("reopen_300_members_one_year") {
        return;
    }
    let (store, dir) = fresh_sqlite("bench-reopen");
    let sim = simulate_cooperative(&SimConfig::new(1, 300, 42), 0).unwrap();
    let id = store.create_koperasi(sim.book.config()).unwrap();
    for chunk in sim.book.events().chunks(1_000) {
        let reqs: Vec<Request> = chunk.iter().map(|e| Request::new(id, e.clone())).collect();
        for r in store.commit_group(&reqs).unwrap() {
            r.unwrap();
        }
    }
    eprintln!(
        "reopen: {} events, {} entries",
        sim.book.events().len(),
        sim.book.ledger().len()
    );
    let mut g = c.benchmark_group("reopen_300_members_one_year");
    g.sample_size(10);
    g.bench_function("full_replay_from_the_log", |b| {
        b.iter(|| black_box(store.replay(id).unwrap().audit_head()));
    });
    g.bench_function("cached_book_tail_check", |b| {
        b.iter(|| black_box(store.with_book(id, Koperasi::audit_head).unwrap()));
    });
    // Reopen from a snapshot: a fresh `Store` each time (nothing cached), so the book is
    // the latest snapshot (periodic, every 5,000 events: at 10,000) plus the tail replayed.
    let path = dir.join("bench.db");
    let path = path.to_str().unwrap();
    let snaps = store.snapshots(id).unwrap();
    eprintln!(
        "reopen: {} snapshots, latest at event {} ({} bytes)",
        snaps.len(),
        snaps.last().map_or(0, |s| s.event_seq),
        snaps.last().map_or(0, |s| s.bytes)
    );
    g.bench_function("from_snapshot_300_members_year", |b| {
        b.iter(|| {
            let fresh = Store::open(path).unwrap();
            black_box(fresh.with_book(id, Koperasi::audit_head).unwrap())
        });
    });
    // The same with a snapshot at the last event (no tail).
    store.snapshot(id).unwrap();
    g.bench_function("from_snapshot_no_tail", |b| {
        b.iter(|| {
            let fresh = Store::open(path).unwrap();
            black_box(fresh.with_book(id, Koperasi::audit_head).unwrap())
        });
    });
    // The book's snapshot alone, in memory: write and read.
    let bytes = sim.book.to_snapshot().unwrap();
    g.bench_function("book_to_snapshot", |b| {
        b.iter(|| black_box(sim.book.to_snapshot().unwrap().len()));
    });
    g.bench_function("book_from_snapshot", |b| {
        b.iter(|| black_box(Koperasi::from_snapshot(&bytes).unwrap().audit_head()));
    });
    g.finish();
    drop(store);
    let _ = std::fs::remove_dir_all(dir);
}

use koperasi::Koperasi;

/// Monitoring figures of 1,000 stored cooperatives as of a date, from the projections.
fn monitoring(c: &mut Criterion) {
    if !wanted("monitoring") {
        return;
    }
    let (store, dir) = fresh_sqlite("bench-monitoring");
    let ids: Vec<_> = (0..1_000u128).map(|n| coop(&store, 1_000 + n, 3)).collect();
    for chunk in ids.chunks(50) {
        let mut reqs = Vec::new();
        for id in chunk {
            for k in 0..20u32 {
                reqs.push(Request::new(*id, deposit(k % 3, 1_000 + i64::from(k))));
            }
        }
        for r in store.commit_group(&reqs).unwrap() {
            r.unwrap();
        }
    }
    let mut g = c.benchmark_group("monitoring");
    g.sample_size(10);
    g.bench_function("1000_cooperatives_as_of_a_date", |b| {
        b.iter(|| black_box(store.monitoring(common::d(12, 31)).unwrap().len()));
    });
    g.finish();
    drop(store);
    let _ = std::fs::remove_dir_all(dir);
}

/// `store verify` of the demo city: the 29 × 300-member cooperatives of `koperasi demo`
/// (its defaults: seed 2026, year 2026) written as `koperasi demo --db` writes them (1,000
/// events per transaction), then every log replayed and every projection compared.
fn verify_demo(c: &mut Criterion) {
    if !wanted("store_verify") {
        return;
    }
    let (store, dir) = fresh_sqlite("bench-verify");
    let city = simulate_city(&SimConfig::new(29, 300, 2026), &|_, _| {}).unwrap();
    let start = Instant::now();
    let mut events = 0usize;
    for coop in &city {
        let id = store.create_koperasi(coop.book.config()).unwrap();
        for chunk in coop.book.events().chunks(1_000) {
            let reqs: Vec<Request> = chunk.iter().map(|e| Request::new(id, e.clone())).collect();
            for r in store.commit_group(&reqs).unwrap() {
                r.unwrap();
            }
            events += chunk.len();
        }
    }
    eprintln!(
        "verify_demo: {events} events of {} cooperatives written in {:.1} s",
        city.len(),
        start.elapsed().as_secs_f64()
    );
    drop(city);
    let mut g = c.benchmark_group("store_verify");
    g.sample_size(10);
    g.bench_function("demo_city_29_cooperatives", |b| {
        b.iter(|| {
            let reports = store.verify().unwrap();
            assert!(reports.iter().all(|r| r.ok));
            black_box(reports.len())
        });
    });
    g.finish();
    drop(store);
    let _ = std::fs::remove_dir_all(dir);
}

criterion_group!(
    benches,
    verify_demo,
    book_only,
    sqlite_group,
    sqlite_single,
    pg_group,
    reopen,
    monitoring
);
criterion_main!(benches);
