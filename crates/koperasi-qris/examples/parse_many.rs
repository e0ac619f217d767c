//! Parses every payload of a file (one per line) `ROUNDS` times with full validation and
//! prints the throughput. Used by `bench/qris-peers.sh` to compare with other libraries on
//! the same payloads.
//!
//! ```text
//! cargo run --release -p koperasi-qris --example parse_many -- payloads.txt [ROUNDS]
//! ```
//! Prints one line: `koperasi-qris parsed=N valid=V seconds=S per_second=R`.

use std::time::Instant;

use koperasi_qris::Qris;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: parse_many FILE [ROUNDS]")?;
    let rounds: usize = args.next().map_or(Ok(1), |r| r.parse())?;
    let text = std::fs::read_to_string(&path)?;
    let payloads: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
    let start = Instant::now();
    let mut valid = 0usize;
    for _ in 0..rounds {
        valid = 0;
        for p in &payloads {
            if let Ok(q) = Qris::parse(std::hint::black_box(p)) {
                valid += usize::from(q.computed_crc() != 0 || q.amount().is_some());
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let n = payloads.len() * rounds;
    println!(
        "koperasi-qris parsed={n} valid={valid} seconds={secs:.6} per_second={:.0}",
        f64::from(u32::try_from(n)?) / secs
    );
    Ok(())
}
