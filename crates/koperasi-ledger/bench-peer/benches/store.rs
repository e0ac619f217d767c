//! Durable stores side by side: `koperasi-store` (rusqlite) and `doubleentry` 0.8's
//! `SqlStore<Sqlite>` (sqlx 0.9), on the same machine, the same two-line entries and the same
//! durability (SQLite WAL, `synchronous=FULL`, writes under `BEGIN IMMEDIATE`; one bundled
//! SQLite, `libsqlite3-sys` 0.40, linked once into this binary and used by both).
//!
//! The entry, in both: a cash sale of Rp1,00 dated 2026-06-15 with a client idempotency key
//! (`sale-…`), debit cash, credit income.
//! * koperasi-store: `Operation::Sale` of a service to a non-member paid in cash (Dr 1-1-01
//!   Kas, Cr the clinic's non-member service revenue), applied to the cooperative's book
//!   (permission check, validation, posting, the audit log's Merkle leaf) and written as the
//!   event row (canonical JSON, SHA-256, hash chain), the entry and its two lines with running
//!   totals, the account totals, and a checkpoint row every 256 events.
//! * doubleentry: `Entry` debit `Assets:Cash`, credit `Income:Sales` in IDR (scale 2),
//!   planned by its rule core on facts read from the database, written as the log leaf (its
//!   canonical bytes) and its Merkle nodes, the entry row, two postings with running totals,
//!   and the maintained balances.
//!
//! Groups (run one at a time with `bench/store-peers.sh`, or
//! `cargo bench --bench store -- <group> --warm-up-time 1 --measurement-time 3`):
//! * `store_single_commit`: one entry per transaction, one writer (latency); afterwards the
//!   same commits measured in alternation (both sides under the same load) and the CPU time,
//!   bytes and write calls per entry of each side.
//! * `store_group_commit/{64,256}`: N entries per transaction, one writer
//!   (`Store::commit_group` vs `Ledger::record_batch`).
//! * `store_8_writers`: 8 concurrent writers on 8 cooperatives / ledgers, one entry per
//!   transaction and groups of 64. doubleentry keeps one ledger per SQLite file, so it runs 8
//!   files (8 tokio tasks); koperasi-store runs both 8 files (8 threads, one store each) and
//!   its default of one file holding the 8 cooperatives, written through `commit_group` from
//!   8 threads or through its `GroupCommitter` (one writer thread batching across callers;
//!   doubleentry has no equivalent).
//! * `store_read_10k`: a store holding 10,000 entries: reopen + trial balance as of a date,
//!   the warm balance of one account and trial balance (doubleentry also with its current
//!   balance, `BalanceQuery::all()`, which its maintained totals answer), replaying the log
//!   and comparing every table (`Store::verify_koperasi` / `Ledger::audit`), and koperasi-store's
//!   full replay into memory.
//!
//! Files go to a fresh directory under Cargo's `CARGO_TARGET_TMPDIR`, removed at the end.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    missing_docs,
    clippy::missing_panics_doc
)]

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use doubleentry::prelude::{AccountKind, BalanceQuery, Currency, Entry, Ledger, LedgerId};
use doubleentry::store::{SqlStore, Sqlite};
use doubleentry::{amount, date};
use koperasi::core::chrono::NaiveDate;
use koperasi::core::{ActorId, CooperativeId, Rupiah};
use koperasi::ledger::{BusinessUnit, kkmp};
use koperasi::membership::Role;
use koperasi::{BookConfig, Buyer, Event, Item, Operation, Via};
use koperasi_store::{Request, Store};
use tokio::runtime::Runtime;

/// Concurrent writers (and cooperatives / ledgers) in `store_8_writers`.
const WRITERS: usize = 8;
/// Entries in the store of `store_read_10k`.
const READ_N: u64 = 10_000;

static FILES: AtomicU64 = AtomicU64::new(0);
static KEYS: AtomicU64 = AtomicU64::new(0);

/// A fresh key suffix, unique in this process (both stores check the key on every entry).
fn next_key() -> u64 {
    KEYS.fetch_add(1, Ordering::Relaxed)
}

/// The bench's scratch directory, fresh per process.
fn scratch() -> PathBuf {
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("store-peers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A fresh database file path in the scratch directory.
fn fresh_file(what: &str) -> PathBuf {
    let n = FILES.fetch_add(1, Ordering::Relaxed);
    scratch().join(format!("{what}-{n}.db"))
}

/// The benchmark filters given on the command line (criterion's options and their numeric
/// values left out).
fn filters() -> Vec<String> {
    std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-') && a.parse::<f64>().is_err())
        .collect()
}

/// Whether a group's (expensive) setup should run: criterion filters only the measurement.
fn wanted(group: &str) -> bool {
    let filters = filters();
    filters.is_empty()
        || filters
            .iter()
            .any(|f| group.contains(f.split('/').next().unwrap_or(f)))
}

/// The process's CPU time (user + system, every thread) in seconds, from `/proc/self/stat`
/// (Linux, 100 Hz ticks; 0 if unreadable).
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

/// The bytes the process passed to write calls and the number of those calls, from
/// `/proc/self/io` (`wchar`, `syscw`; 0 if unreadable).
fn written() -> (f64, f64) {
    let io = std::fs::read_to_string("/proc/self/io").unwrap_or_default();
    let field = |name: &str| {
        io.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (field("wchar:"), field("syscw:"))
}

/// Runs `f` (which writes `entries` entries) once outside criterion and prints the wall time,
/// the process CPU time and the bytes and write calls per entry: on a shared machine the CPU
/// time shows the work done, the wall time also the wait for the disk and the cores. Skipped
/// when a filter naming a benchmark (`group/function`) does not match `name`.
fn cpu_report(name: &str, entries: u64, f: impl FnOnce()) {
    if filters()
        .iter()
        .any(|f| f.contains('/') && !name.contains(f.as_str()))
    {
        return;
    }
    let (cpu, wall, (bytes, calls)) = (cpu_seconds(), Instant::now(), written());
    f();
    let (cpu, wall) = (cpu_seconds() - cpu, wall.elapsed().as_secs_f64());
    let (bytes, calls) = {
        let (b, c) = written();
        (b - bytes, c - calls)
    };
    #[allow(clippy::cast_precision_loss)]
    let n = entries as f64;
    println!(
        "cpu: {name}: {entries} entries, per entry {:.1} µs wall, {:.1} µs CPU, {:.1} KiB in {:.1} write calls (load average {})",
        wall * 1e6 / n,
        cpu * 1e6 / n,
        bytes / 1024.0 / n,
        calls / n,
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .split_whitespace()
            .next()
            .unwrap_or("?")
    );
}

// ---- koperasi-store -----------------------------------------------------------------------

const KETUA: ActorId = ActorId::from_u128(1);
const BENDAHARA: ActorId = ActorId::from_u128(2);
const KASIR: ActorId = ActorId::from_u128(3);

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn ours_config(n: u128) -> BookConfig {
    BookConfig::kkmp(
        CooperativeId::from_u128(1_000 + n),
        format!("KKMP Banding {n}"),
        "35.74.04.1002".parse().unwrap(),
        day(1, 1),
        vec![
            (KETUA, Role::Chair),
            (BENDAHARA, Role::Treasurer),
            (KASIR, Role::Teller),
        ],
    )
}

/// The two-line cash sale (Dr Kas, Cr service revenue), Rp1,00 on 2026-06-15.
fn ours_sale() -> Event {
    Event::new(
        day(6, 15),
        KASIR,
        Operation::Sale {
            unit: BusinessUnit::Klinik,
            item: Item::Service,
            price: Rupiah::from_rupiah(1),
            buyer: Buyer::NonMember,
            via: Via::Cash,
        },
    )
}

fn ours_request(id: CooperativeId) -> Request {
    Request::new(id, ours_sale()).with_key(format!("sale-{}", next_key()))
}

/// A fresh SQLite store holding `coops` cooperatives.
fn ours_store(path: &Path, coops: usize) -> (Store, Vec<CooperativeId>) {
    let store = Store::open(path.to_str().unwrap()).unwrap();
    let ids = (0..coops)
        .map(|n| store.create_koperasi(&ours_config(n as u128)).unwrap())
        .collect();
    (store, ids)
}

fn ours_commit(store: &Store, reqs: &[Request]) {
    for r in store.commit_group(reqs).unwrap() {
        let a = r.unwrap();
        assert_eq!(a.entries.len(), 1, "one journal entry per operation");
    }
}

// ---- doubleentry ----------------------------------------------------------------------------

/// A doubleentry ledger and its store handle (a clone sharing the pool, to close it).
#[derive(Clone)]
struct Theirs {
    books: Ledger<SqlStore<Sqlite>>,
    store: SqlStore<Sqlite>,
}

impl std::ops::Deref for Theirs {
    type Target = Ledger<SqlStore<Sqlite>>;
    fn deref(&self) -> &Self::Target {
        &self.books
    }
}

/// Connects to (and creates or opens) the ledger in the file at `url`.
async fn theirs_open(url: &str) -> Theirs {
    let store = SqlStore::<Sqlite>::sqlite(url).await.unwrap();
    let books = Ledger::new(store.clone(), LedgerId::new("example.com/kdmp").unwrap())
        .await
        .unwrap();
    Theirs { books, store }
}

fn idr() -> Currency {
    Currency::new("IDR").unwrap()
}

/// A fresh doubleentry ledger in its own SQLite file (its model: one ledger per file), with the
/// two accounts and the months of 2026.
async fn theirs_ledger(path: &Path) -> Theirs {
    let books = theirs_open(&format!("sqlite://{}?mode=rwc", path.display())).await;
    let on = date!("2026-01-01");
    books.declare_currency(idr(), 2, on).await.unwrap();
    books
        .open("Assets:Cash", AccountKind::Asset, on)
        .await
        .unwrap();
    books
        .open("Income:Sales", AccountKind::Income, on)
        .await
        .unwrap();
    books.define_months(2026, 1..=12).await.unwrap();
    books
}

/// The same two-line cash sale: debit `Assets:Cash`, credit `Income:Sales`, IDR 1.00.
fn theirs_sale() -> Entry {
    Entry::new(format!("sale-{}", next_key()), date!("2026-06-15"))
        .debit("Assets:Cash", amount!("1.00"), idr())
        .credit("Income:Sales", amount!("1.00"), idr())
}

async fn theirs_record(books: &Theirs) {
    let r = books.record(theirs_sale()).await.unwrap();
    assert!(!r.replayed);
}

async fn theirs_batch(books: &Theirs, n: usize) {
    let r = books
        .record_batch((0..n).map(|_| theirs_sale()))
        .await
        .unwrap();
    assert_eq!(r.len(), n);
}

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
}

// ---- groups ---------------------------------------------------------------------------------

/// The `q`-quantile (0..=1) of sorted durations, in milliseconds.
fn quantile_ms(sorted: &[Duration], q: f64) -> f64 {
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let i = ((sorted.len() - 1) as f64 * q) as usize;
    sorted[i].as_secs_f64() * 1e3
}

/// Single-commit latency measured in alternation: `ROUNDS` rounds of `PER_ROUND` commits on
/// each side, koperasi-store first in even rounds and doubleentry first in odd ones, so both
/// see the same machine load. Prints p50/p90 of every commit per side and the spread of the
/// per-round p50 ratio.
fn paired_single(ours: &Store, id: CooperativeId, rt: &Runtime, theirs: &Theirs) {
    const ROUNDS: usize = 20;
    const PER_ROUND: usize = 25;
    if filters().iter().any(|f| f.contains('/')) {
        return;
    }
    let (mut all_ours, mut all_theirs, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        let mut o = Vec::with_capacity(PER_ROUND);
        let mut t = Vec::with_capacity(PER_ROUND);
        for side in [round % 2, 1 - round % 2] {
            for _ in 0..PER_ROUND {
                let start = Instant::now();
                if side == 0 {
                    ours_commit(ours, &[ours_request(id)]);
                    o.push(start.elapsed());
                } else {
                    rt.block_on(theirs_record(theirs));
                    t.push(start.elapsed());
                }
            }
        }
        o.sort_unstable();
        t.sort_unstable();
        ratios.push(quantile_ms(&t, 0.5) / quantile_ms(&o, 0.5));
        all_ours.extend(o);
        all_theirs.extend(t);
    }
    all_ours.sort_unstable();
    all_theirs.sort_unstable();
    ratios.sort_by(f64::total_cmp);
    println!(
        "paired: store_single_commit, {ROUNDS} alternating rounds of {PER_ROUND} commits each: koperasi-store p50 {:.2} ms p90 {:.2} ms, doubleentry p50 {:.2} ms p90 {:.2} ms; per-round p50 ratio doubleentry / koperasi-store min {:.2} median {:.2} max {:.2} (load average {})",
        quantile_ms(&all_ours, 0.5),
        quantile_ms(&all_ours, 0.9),
        quantile_ms(&all_theirs, 0.5),
        quantile_ms(&all_theirs, 0.9),
        ratios[0],
        ratios[ratios.len() / 2],
        ratios[ratios.len() - 1],
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .split_whitespace()
            .next()
            .unwrap_or("?")
    );
}

fn single_commit(c: &mut Criterion) {
    if !wanted("store_single_commit") {
        return;
    }
    let rt = runtime();
    let (ours, ids) = ours_store(&fresh_file("ours-single"), 1);
    let id = ids[0];
    let theirs = rt.block_on(theirs_ledger(&fresh_file("theirs-single")));
    let mut g = c.benchmark_group("store_single_commit");
    g.throughput(Throughput::Elements(1));
    g.bench_function("koperasi-store/append", |b| {
        b.iter(|| ours_commit(&ours, &[ours_request(id)]));
    });
    g.bench_function("doubleentry/record", |b| {
        b.iter(|| rt.block_on(theirs_record(&theirs)));
    });
    g.finish();
    paired_single(&ours, id, &rt, &theirs);
    cpu_report("store_single_commit/koperasi-store/append", 500, || {
        for _ in 0..500 {
            ours_commit(&ours, &[ours_request(id)]);
        }
    });
    cpu_report("store_single_commit/doubleentry/record", 500, || {
        rt.block_on(async {
            for _ in 0..500 {
                theirs_record(&theirs).await;
            }
        });
    });
    rt.block_on(theirs.store.close());
}

fn group_commit(c: &mut Criterion) {
    if !wanted("store_group_commit") {
        return;
    }
    let rt = runtime();
    let (ours, ids) = ours_store(&fresh_file("ours-group"), 1);
    let id = ids[0];
    let theirs = rt.block_on(theirs_ledger(&fresh_file("theirs-group")));
    let mut g = c.benchmark_group("store_group_commit");
    g.sample_size(10);
    for n in [64usize, 256] {
        g.throughput(Throughput::Elements(n as u64));
        g.bench_function(format!("koperasi-store/commit_group/{n}"), |b| {
            b.iter(|| {
                let reqs: Vec<Request> = (0..n).map(|_| ours_request(id)).collect();
                ours_commit(&ours, &reqs);
            });
        });
        g.bench_function(format!("doubleentry/record_batch/{n}"), |b| {
            b.iter(|| rt.block_on(theirs_batch(&theirs, n)));
        });
    }
    g.finish();
    for n in [64usize, 256] {
        let rounds = 4_096 / n;
        cpu_report(
            &format!("store_group_commit/koperasi-store/commit_group/{n}"),
            4_096,
            || {
                for _ in 0..rounds {
                    let reqs: Vec<Request> = (0..n).map(|_| ours_request(id)).collect();
                    ours_commit(&ours, &reqs);
                }
            },
        );
        cpu_report(
            &format!("store_group_commit/doubleentry/record_batch/{n}"),
            4_096,
            || {
                rt.block_on(async {
                    for _ in 0..rounds {
                        theirs_batch(&theirs, n).await;
                    }
                });
            },
        );
    }
    rt.block_on(theirs.store.close());
}

/// `WRITERS` threads, writer `w` on cooperative `ids[w]` of `stores[w % stores.len()]`, each
/// committing `rounds` groups of `batch` sales. The elapsed time.
fn ours_writers(stores: &[Store], ids: &[CooperativeId], rounds: usize, batch: usize) -> Duration {
    let start = Instant::now();
    std::thread::scope(|s| {
        for (w, id) in ids.iter().enumerate() {
            let store = &stores[w % stores.len()];
            s.spawn(move || {
                for _ in 0..rounds {
                    let reqs: Vec<Request> = (0..batch).map(|_| ours_request(*id)).collect();
                    ours_commit(store, &reqs);
                }
            });
        }
    });
    start.elapsed()
}

/// `WRITERS` threads on one store, each submitting `per_writer` sales through the store's
/// group committer with up to `in_flight` outstanding (1: one at a time); each is acknowledged
/// only after its group's commit.
fn ours_committer(
    store: &Store,
    ids: &[CooperativeId],
    per_writer: usize,
    in_flight: usize,
) -> Duration {
    let committer = store.group_committer(WRITERS, 256).unwrap();
    let start = Instant::now();
    std::thread::scope(|s| {
        for id in ids {
            let committer = &committer;
            s.spawn(move || {
                let mut pending = std::collections::VecDeque::new();
                for _ in 0..per_writer {
                    pending.push_back(committer.enqueue(ours_request(*id)).unwrap());
                    if pending.len() >= in_flight {
                        let a = pending.pop_front().unwrap().wait().unwrap();
                        assert_eq!(a.entries.len(), 1);
                    }
                }
                for p in pending {
                    assert_eq!(p.wait().unwrap().entries.len(), 1);
                }
            });
        }
    });
    start.elapsed()
}

/// `WRITERS` tasks, task `w` on ledger `ledgers[w]`, each recording `rounds` batches of
/// `batch` sales (`batch == 1`: one `record` per entry).
fn theirs_writers(rt: &Runtime, ledgers: &[Theirs], rounds: usize, batch: usize) -> Duration {
    let start = Instant::now();
    rt.block_on(async {
        let tasks: Vec<_> = ledgers
            .iter()
            .map(|books| {
                let books = books.clone();
                tokio::spawn(async move {
                    for _ in 0..rounds {
                        if batch == 1 {
                            theirs_record(&books).await;
                        } else {
                            theirs_batch(&books, batch).await;
                        }
                    }
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
    });
    start.elapsed()
}

fn eight_writers(c: &mut Criterion) {
    if !wanted("store_8_writers") {
        return;
    }
    let rt = runtime();
    // koperasi-store, one file holding the 8 cooperatives (its embedded default).
    let (one, one_ids) = ours_store(&fresh_file("ours-8in1"), WRITERS);
    let one = vec![one];
    // koperasi-store, one file per cooperative (doubleentry's model).
    let (many, many_ids): (Vec<Store>, Vec<CooperativeId>) = (0..WRITERS)
        .map(|_| {
            let (s, ids) = ours_store(&fresh_file("ours-8files"), 1);
            (s, ids[0])
        })
        .unzip();
    let theirs: Vec<Theirs> = (0..WRITERS)
        .map(|_| rt.block_on(theirs_ledger(&fresh_file("theirs-8files"))))
        .collect();

    let mut g = c.benchmark_group("store_8_writers");
    g.sample_size(10);
    // One entry per transaction per writer.
    let per_writer = 32usize;
    g.throughput(Throughput::Elements((WRITERS * per_writer) as u64));
    g.bench_function("koperasi-store/8_files/append", |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| ours_writers(&many, &many_ids, per_writer, 1))
                .sum()
        });
    });
    g.bench_function("doubleentry/8_files/record", |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| theirs_writers(&rt, &theirs, per_writer, 1))
                .sum()
        });
    });
    g.bench_function("koperasi-store/1_file/group_committer", |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| ours_committer(&one[0], &one_ids, per_writer, 1))
                .sum()
        });
    });
    // Groups of 64 per transaction per writer.
    let (rounds, batch) = (4usize, 64usize);
    g.throughput(Throughput::Elements((WRITERS * rounds * batch) as u64));
    g.bench_function("koperasi-store/8_files/commit_group_64", |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| ours_writers(&many, &many_ids, rounds, batch))
                .sum()
        });
    });
    g.bench_function("koperasi-store/1_file/commit_group_64", |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| ours_writers(&one, &one_ids, rounds, batch))
                .sum()
        });
    });
    g.bench_function("koperasi-store/1_file/group_committer_64_in_flight", |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| ours_committer(&one[0], &one_ids, rounds * batch, batch))
                .sum()
        });
    });
    g.bench_function("doubleentry/8_files/record_batch_64", |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| theirs_writers(&rt, &theirs, rounds, batch))
                .sum()
        });
    });
    g.finish();
    let entries = (WRITERS * 16 * 64) as u64;
    cpu_report(
        "store_8_writers/koperasi-store/8_files/commit_group_64",
        entries,
        || {
            ours_writers(&many, &many_ids, 16, 64);
        },
    );
    cpu_report(
        "store_8_writers/koperasi-store/1_file/group_committer_64_in_flight",
        entries,
        || {
            ours_committer(&one[0], &one_ids, 16 * 64, 64);
        },
    );
    cpu_report(
        "store_8_writers/doubleentry/8_files/record_batch_64",
        entries,
        || {
            theirs_writers(&rt, &theirs, 16, 64);
        },
    );
    for books in &theirs {
        rt.block_on(books.store.close());
    }
}

fn read_10k(c: &mut Criterion) {
    if !wanted("store_read_10k") {
        return;
    }
    let rt = runtime();
    let ours_path = fresh_file("ours-10k");
    let theirs_path = fresh_file("theirs-10k");
    let id = {
        let (store, ids) = ours_store(&ours_path, 1);
        for _ in 0..READ_N / 1_000 {
            let reqs: Vec<Request> = (0..1_000).map(|_| ours_request(ids[0])).collect();
            ours_commit(&store, &reqs);
        }
        ids[0]
    };
    rt.block_on(async {
        let books = theirs_ledger(&theirs_path).await;
        for _ in 0..READ_N / 1_000 {
            theirs_batch(&books, 1_000).await;
        }
        books.store.close().await;
    });
    let ours_url = ours_path.to_str().unwrap().to_owned();
    let theirs_url = format!("sqlite://{}?mode=rw", theirs_path.display());
    let as_of = day(12, 31);
    let through = BalanceQuery::through(date!("2026-12-31"));

    // Both give the same figures: Rp10.000,00 of cash sales, two lines per entry.
    let ours = Store::open(&ours_url).unwrap();
    let first = ours
        .entries(id, &koperasi_store::EntryFilter::new().limit(1))
        .unwrap();
    assert_eq!(first[0].lines.len(), 2, "a two-line entry");
    let cash = ours.balance(id, kkmp::KAS, as_of).unwrap();
    assert_eq!(cash.debit, Rupiah::from_rupiah(READ_N as i64));
    let theirs = rt.block_on(theirs_open(&theirs_url));
    let their_cash = rt
        .block_on(theirs.balance("Assets:Cash", idr(), &through))
        .unwrap();
    assert_eq!(their_cash.debit(), amount!("10000.00"));

    let mut g = c.benchmark_group("store_read_10k");
    g.sample_size(10);
    g.bench_function("koperasi-store/open_and_trial_balance", |b| {
        b.iter(|| {
            let s = Store::open(&ours_url).unwrap();
            black_box(s.balances(id, as_of).unwrap().len())
        });
    });
    g.bench_function("doubleentry/open_and_trial_balance", |b| {
        b.iter(|| {
            rt.block_on(async {
                let books = theirs_open(&theirs_url).await;
                let n = books.trial_balance(&through).await.unwrap().rows().len();
                books.store.close().await;
                black_box(n)
            })
        });
    });
    g.bench_function("koperasi-store/balance_as_of", |b| {
        b.iter(|| black_box(ours.balance(id, kkmp::KAS, as_of).unwrap()));
    });
    g.bench_function("doubleentry/balance_as_of", |b| {
        b.iter(|| {
            black_box(
                rt.block_on(theirs.balance("Assets:Cash", idr(), &through))
                    .unwrap(),
            )
        });
    });
    // doubleentry answers a date-bounded query by folding the postings; its maintained
    // running totals serve the current balance (`BalanceQuery::all()`), which here is the
    // same figure (every entry is dated 2026-06-15).
    let all = BalanceQuery::all();
    g.bench_function("doubleentry/balance_current", |b| {
        b.iter(|| {
            black_box(
                rt.block_on(theirs.balance("Assets:Cash", idr(), &all))
                    .unwrap(),
            )
        });
    });
    g.bench_function("koperasi-store/trial_balance", |b| {
        b.iter(|| black_box(ours.balances(id, as_of).unwrap().len()));
    });
    g.bench_function("doubleentry/trial_balance", |b| {
        b.iter(|| {
            black_box(
                rt.block_on(theirs.trial_balance(&through))
                    .unwrap()
                    .rows()
                    .len(),
            )
        });
    });
    g.bench_function("doubleentry/trial_balance_current", |b| {
        b.iter(|| {
            black_box(
                rt.block_on(theirs.trial_balance(&all))
                    .unwrap()
                    .rows()
                    .len(),
            )
        });
    });
    g.bench_function("koperasi-store/full_replay", |b| {
        b.iter(|| black_box(ours.replay(id).unwrap().audit_head()));
    });
    g.bench_function("koperasi-store/verify", |b| {
        b.iter(|| {
            let report = ours.verify_koperasi(id).unwrap();
            assert!(report.ok);
            black_box(report)
        });
    });
    g.bench_function("doubleentry/audit", |b| {
        b.iter(|| black_box(rt.block_on(theirs.audit()).unwrap()));
    });
    g.finish();
    rt.block_on(theirs.store.close());
}

fn cleanup(_c: &mut Criterion) {
    let _ = std::fs::remove_dir_all(scratch());
}

criterion_group!(
    benches,
    single_commit,
    group_commit,
    eight_writers,
    read_10k,
    cleanup
);
criterion_main!(benches);
