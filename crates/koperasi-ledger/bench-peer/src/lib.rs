//! Side-by-side benchmarks of `koperasi-ledger` and `doubleentry` 0.8 (see `benches/peer.rs`).
