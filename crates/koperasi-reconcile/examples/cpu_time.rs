//! CPU time of the benchmark's workloads, for a machine shared with other jobs (where wall
//! time says little): `perf stat -e task-clock` of `cpu_time R P` minus that of `cpu_time 0 1`,
//! divided by `R` reconciliations (100,000 bank lines, 1,000,000 entries) or `P − 1` MT940
//! imports of 100,000 lines. See docs/performance.md.
#![allow(missing_docs)]

#[path = "../benches/workload/mod.rs"]
mod workload;

use std::hint::black_box;

use koperasi_ledger::kkmp;
use koperasi_reconcile::{Config, mt940, reconcile};
use workload::{bank_items, ledger, mt940_text};

fn main() {
    let items = bank_items();
    let text = mt940_text(&items);
    let p: usize = std::env::args()
        .nth(2)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1);
    let t = std::time::Instant::now();
    let mut sts = mt940::parse("bench.sta", text.as_bytes()).unwrap();
    for _ in 1..p {
        sts = black_box(mt940::parse("bench.sta", text.as_bytes()).unwrap());
    }
    eprintln!("parse {:?}", t.elapsed());
    let books = ledger(&items);
    let cfg = Config::default();
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(3);
    for _ in 0..n {
        let t = std::time::Instant::now();
        let r = reconcile(&books, kkmp::BANK, &sts, &cfg).unwrap();
        let e = t.elapsed();
        drop(black_box(r));
        eprintln!("reconcile {:?} (with drop {:?})", e, t.elapsed());
    }
}
