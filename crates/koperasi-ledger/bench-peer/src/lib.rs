//! Side-by-side benchmarks of `koperasi-ledger` and `koperasi-store` against `doubleentry` 0.8
//! (see `benches/peer.rs` and `benches/store.rs`).
