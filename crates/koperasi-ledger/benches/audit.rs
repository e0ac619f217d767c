//! Audit log benchmarks: append throughput, proofs at 1,000,000 leaves, balance proofs.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use koperasi_ledger::audit::{AuditLog, BalanceTree, Checkpoint, NoteSigner};

const N: u64 = 1_000_000;

/// A 200-byte leaf, different for every index (like an encoded journal entry).
fn leaf(i: u64) -> [u8; 200] {
    let mut l = [0x5au8; 200];
    l[..8].copy_from_slice(&i.to_be_bytes());
    l[192..].copy_from_slice(&i.wrapping_mul(0x9e37_79b9_7f4a_7c15).to_le_bytes());
    l
}

fn big_log() -> AuditLog {
    let mut log = AuditLog::new();
    for i in 0..N {
        log.append(&leaf(i));
    }
    log
}

fn bench_append(c: &mut Criterion) {
    let leaves: Vec<[u8; 200]> = (0..N).map(leaf).collect();
    let mut g = c.benchmark_group("audit_append");
    g.sample_size(10);
    g.throughput(Throughput::Elements(N));
    g.bench_function("append 1,000,000 x 200-byte leaves", |b| {
        b.iter(|| {
            let mut log = AuditLog::new();
            for l in &leaves {
                log.append(l);
            }
            black_box(log.tree_head())
        });
    });
    g.finish();

    let log = big_log();
    #[allow(clippy::cast_precision_loss)]
    let per_leaf = log.heap_bytes() as f64 / N as f64;
    eprintln!(
        "audit log memory: {} bytes for {N} leaves = {per_leaf:.1} bytes/leaf",
        log.heap_bytes()
    );
}

fn bench_proofs(c: &mut Criterion) {
    let log = big_log();
    let head = log.tree_head();
    let mut g = c.benchmark_group("audit_proofs");
    let mut i = 0u64;
    g.bench_function("inclusion_proof at 1,000,000", |b| {
        b.iter(|| {
            i = (i + 7919) % N;
            black_box(log.inclusion_proof(black_box(i), N))
        });
    });
    let mut j = 0u64;
    g.bench_function("inclusion_proof at 1,000,000 + verify", |b| {
        b.iter(|| {
            j = (j + 7919) % N;
            let p = log.inclusion_proof(j, N).unwrap_or_else(|e| panic!("{e}"));
            black_box(p.verify(&leaf(j), &head))
        });
    });
    let mut k = 1u64;
    g.bench_function("consistency_proof to 1,000,000", |b| {
        b.iter(|| {
            k = (k + 7919) % (N - 1) + 1;
            black_box(log.consistency_proof(black_box(k), N))
        });
    });
    let mut m = 1u64;
    g.bench_function("consistency_proof to 1,000,000 + verify", |b| {
        b.iter(|| {
            m = (m + 7919) % (N - 1) + 1;
            let old = log.tree_head_at(m).unwrap_or_else(|e| panic!("{e}"));
            let p = log
                .consistency_proof(m, N)
                .unwrap_or_else(|e| panic!("{e}"));
            black_box(p.verify(&old, &head))
        });
    });
    let mut s = 1u64;
    g.bench_function("root_at past size of 1,000,000", |b| {
        b.iter(|| {
            s = (s + 7919) % N;
            black_box(log.root_at(black_box(s)))
        });
    });
    g.finish();
}

fn bench_balances(c: &mut Criterion) {
    let accounts: Vec<(String, i128)> = (0..200)
        .map(|i| {
            (
                format!("{}-{:03}", 1 + i / 40, i),
                i128::from(i) * 1_000_000 - 50_000_000,
            )
        })
        .collect();
    let mut g = c.benchmark_group("audit_balances");
    g.bench_function("balance tree over 200 accounts + one proof + verify", |b| {
        b.iter(|| {
            let t = BalanceTree::from_balances(N, accounts.iter().map(|(c, s)| (c.as_str(), *s)))
                .unwrap_or_else(|e| panic!("{e}"));
            let p = t.prove("3-117").unwrap_or_else(|e| panic!("{e}"));
            black_box(p.verify(&t.root()))
        });
    });
    let signer = NoteSigner::new(
        "kdmp-sukamaju",
        ed25519_dalek::SigningKey::from_bytes(&[7; 32]),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let verifier = signer.verifier();
    let cp = Checkpoint::new("koperasi.example/kdmp", AuditLog::new().tree_head())
        .unwrap_or_else(|e| panic!("{e}"));
    g.bench_function("checkpoint sign", |b| {
        b.iter(|| black_box(cp.sign(&signer)));
    });
    let signed = cp.sign(&signer);
    g.bench_function("checkpoint verify_signed", |b| {
        b.iter_batched(
            || signed.clone(),
            |s| black_box(Checkpoint::verify_signed(&s, &verifier)),
            BatchSize::SmallInput,
        );
    });
    g.finish();
}

criterion_group!(benches, bench_append, bench_proofs, bench_balances);
criterion_main!(benches);
