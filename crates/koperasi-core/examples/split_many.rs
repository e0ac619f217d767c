//! Splits a total over 1,000,000 weights (the `split_exact` benchmark's input) N times: a fixed
//! workload for instruction counts (`valgrind --tool=callgrind`), where wall time on a shared
//! machine is too noisy. Instructions per weight = (count at N − count at 0) / N / 1,000,000.
//!
//! `cargo run --release -p koperasi-core --example split_many -- 3 [into]`

use std::hint::black_box;

use koperasi_core::{Decimal, Rupiah, split_exact};

fn weights(n: usize) -> Vec<Decimal> {
    // The benchmark's weights: capital balances between Rp100.000 and Rp10.000.000.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            Decimal::from(100_000 + (x % 9_900_000))
        })
        .collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: u64 = std::env::args()
        .nth(1)
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(3);
    let w = weights(1_000_000);
    let total = Rupiah::from_rupiah(1_234_567_891);
    let mut check = Rupiah::ZERO;
    for _ in 0..n {
        let parts = split_exact(black_box(total), black_box(&w), Rupiah::ONE)?;
        check = parts.first().copied().unwrap_or(Rupiah::ZERO);
    }
    println!("{n} splits of 1,000,000 weights, first part {check}");
    Ok(())
}
