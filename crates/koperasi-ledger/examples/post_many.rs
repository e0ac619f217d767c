//! Posts N two-line entries (validation + audit log) into a fresh ledger, for profilers:
//! `valgrind --tool=callgrind --toggle-collect='*Ledger::post*'` counts the posting alone.
//!
//! Prints wall time and the thread's own CPU time (`/proc/thread-self/schedstat`, Linux), which
//! other jobs on a shared machine inflate less than wall time.
//!
//! `cargo run --release -p koperasi-ledger --example post_many [ENTRIES] [--reserve]`

use chrono::NaiveDate;
use koperasi_core::{ActorId, EntryId, MemberId, Rupiah};
use koperasi_ledger::{
    BusinessUnit, ChartOfAccounts, Counterparty, JournalEntry, Ledger, Line, kkmp,
};

/// The benchmark's entry: cash in, member revenue of the sembako unit, with dimensions,
/// memo and source.
fn entry(start: NaiveDate, i: u64) -> Result<JournalEntry, koperasi_ledger::Error> {
    let day = start
        .checked_add_days(chrono::Days::new(i % 365))
        .unwrap_or(start);
    let amount = Rupiah::from_sen(100_000 + i64::try_from(i % 997).unwrap_or(0) * 100);
    Ok(JournalEntry::new(
        EntryId::from_u128(u128::from(i) + 1),
        day,
        ActorId::from_u128(1),
    )
    .with_memo("Penjualan sembako")
    .with_source("sale")
    .with_line(Line::debit(kkmp::KAS, amount)?.unit(BusinessUnit::Sembako))
    .with_line(
        Line::credit("4-1-02", amount)?
            .unit(BusinessUnit::Sembako)
            .counterparty(Counterparty::Member)
            .member(MemberId::from_u128(u128::from(i % 500) + 1)),
    ))
}

/// Nanoseconds this thread has run on a CPU, if the kernel says.
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

fn main() -> Result<(), koperasi_ledger::Error> {
    let n: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let start = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default();
    let entries = (0..n)
        .map(|i| entry(start, i))
        .collect::<Result<Vec<_>, _>>()?;
    let mut books = Ledger::new(ChartOfAccounts::standard_kkmp()?, start);
    if std::env::args().any(|a| a == "--reserve") {
        books.reserve(entries.len(), 2);
    }
    let cpu = cpu_ns();
    let wall = std::time::Instant::now();
    for e in &entries {
        books.post(e)?;
    }
    let wall = wall.elapsed();
    let cpu = cpu_ns().zip(cpu).map(|(b, a)| b.saturating_sub(a));
    let per_sec = |ns: u128| u128::from(n).saturating_mul(1_000_000_000) / ns.max(1);
    println!(
        "{n} entries: wall {wall:?} ({}/s), cpu {} ms ({}/s); root {}",
        per_sec(wall.as_nanos()),
        cpu.map_or(0, |c| c / 1_000_000),
        cpu.map_or(0, |c| per_sec(u128::from(c))),
        books.audit().tree_head().root
    );
    Ok(())
}
