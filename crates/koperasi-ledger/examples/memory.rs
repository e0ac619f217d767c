//! Memory per posted line: posts 1,000,000 two-line entries (with dimensions, memo and
//! source, validation and audit log) and reports
//! * the ledger's own accounting of its heap ([`Ledger::heap_bytes`], from capacities), and
//! * the growth of the process's resident set (Linux `/proc/self/statm`),
//!
//! each divided by the number of posted lines. (A counting global allocator would need
//! `unsafe`, which the workspace forbids.)
//!
//! `cargo run --release -p koperasi-ledger --example memory [ENTRIES] [--reserve]`

#![allow(
    clippy::cast_precision_loss,
    reason = "measurement output: counts far below 2^52"
)]

use chrono::NaiveDate;
use koperasi_core::{ActorId, EntryId, MemberId, Rupiah};
use koperasi_ledger::{
    BusinessUnit, ChartOfAccounts, Counterparty, JournalEntry, Ledger, Line, kkmp,
};

fn rss_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// CPU time of this process in seconds (user + system), from `/proc/self/stat`.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = f.get(11)?.parse().ok()?;
    let stime: f64 = f.get(12)?.parse().ok()?;
    Some((utime + stime) / 100.0)
}

fn main() -> Result<(), koperasi_ledger::Error> {
    let n: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let start = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default();
    let chart = ChartOfAccounts::standard_kkmp()?;
    let mut entries = Vec::with_capacity(usize::try_from(n).unwrap_or(0));
    for i in 0..n {
        let day = start
            .checked_add_days(chrono::Days::new(i % 365))
            .unwrap_or(start);
        let amount = Rupiah::from_sen(100_000 + i64::try_from(i % 997).unwrap_or(0) * 100);
        let e = JournalEntry::new(
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
        );
        entries.push(e);
    }
    let before = rss_bytes();
    let cpu0 = cpu_seconds();
    let wall = std::time::Instant::now();
    let mut books = Ledger::new(chart, start);
    if std::env::args().any(|a| a == "--reserve") {
        books.reserve(entries.len(), 2);
    }
    for e in &entries {
        books.post(e)?;
    }
    let wall = wall.elapsed().as_secs_f64();
    let cpu = cpu_seconds().zip(cpu0).map(|(b, a)| b - a);
    let after = rss_bytes();
    let lines = books.line_count() as f64;
    println!("entries posted:        {}", books.len());
    println!("lines posted:          {}", books.line_count());
    println!(
        "heap_bytes / line:     {:.1}",
        books.heap_bytes() as f64 / lines
    );
    if let (Some(b), Some(a)) = (before, after) {
        println!(
            "RSS growth / line:     {:.1}",
            a.saturating_sub(b) as f64 / lines
        );
    }
    println!(
        "posting wall time:     {wall:.3} s ({:.0} entries/s)",
        n as f64 / wall
    );
    if let Some(cpu) = cpu {
        println!(
            "posting CPU time:      {cpu:.2} s ({:.0} entries/s of CPU)",
            n as f64 / cpu
        );
    }
    let v = std::time::Instant::now();
    books.verify()?;
    println!("verify wall time:      {:.3} s", v.elapsed().as_secs_f64());
    drop(entries);
    Ok(())
}
