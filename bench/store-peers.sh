#!/usr/bin/env bash
# Side-by-side benchmark of koperasi-store against doubleentry 0.8's SQLite store
# (`crates/koperasi-ledger/bench-peer/benches/store.rs`; what each side does per entry and why
# the comparison is fair is written there and in docs/decisions.md).
#
#   bench/store-peers.sh [GROUP...]
#
# GROUP is any of store_single_commit, store_group_commit, store_8_writers, store_read_10k
# (default: all four, one after the other). Each runs as its own short criterion run
# (--warm-up-time 1 --measurement-time 3), then one table is printed: the median time per
# iteration, the rate, and for each pair of equivalent benchmarks the ratio
# doubleentry / koperasi-store (above 1: koperasi-store is faster).
#
# bench-peer is its own workspace (doubleentry and sqlx need Rust 1.94 and never enter the
# main lock file); it is not part of .ci/run. Needs cargo and python3. The SQLite files go
# under $CARGO_TARGET_DIR/tmp (or bench-peer/target/tmp) and are removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/../crates/koperasi-ledger/bench-peer"
TARGET="${CARGO_TARGET_DIR:-$PWD/target}"
GROUPS_TO_RUN=("$@")
if [ ${#GROUPS_TO_RUN[@]} -eq 0 ]; then
  GROUPS_TO_RUN=(store_single_commit store_group_commit store_8_writers store_read_10k)
fi

rm -f "$TARGET/store-peers-cpu.log"
echo "machine: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
cargo bench --quiet --bench store --no-run
for group in "${GROUPS_TO_RUN[@]}"; do
  rm -rf "${TARGET:?}/criterion/$group"
  echo "== $group (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
  cargo bench --quiet --bench store -- "$group" --warm-up-time 1 --measurement-time 3 \
    2>&1 | grep -E '^(store_|cpu: |paired: |  +time:|  +thrpt:)' | tee -a "$TARGET/store-peers-cpu.log" || true
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$TARGET/criterion" "${GROUPS_TO_RUN[@]}" <<'EOF'
import json, os, sys

root, groups = sys.argv[1], sys.argv[2:]
# (group, koperasi-store bench, doubleentry bench): equivalent work.
PAIRS = [
    ("store_single_commit", "koperasi-store/append", "doubleentry/record"),
    ("store_group_commit", "koperasi-store/commit_group/64", "doubleentry/record_batch/64"),
    ("store_group_commit", "koperasi-store/commit_group/256", "doubleentry/record_batch/256"),
    ("store_8_writers", "koperasi-store/8_files/append", "doubleentry/8_files/record"),
    ("store_8_writers", "koperasi-store/1_file/group_committer", "doubleentry/8_files/record"),
    ("store_8_writers", "koperasi-store/8_files/commit_group_64", "doubleentry/8_files/record_batch_64"),
    ("store_8_writers", "koperasi-store/1_file/commit_group_64", "doubleentry/8_files/record_batch_64"),
    ("store_8_writers", "koperasi-store/1_file/group_committer_64_in_flight", "doubleentry/8_files/record_batch_64"),
    ("store_read_10k", "koperasi-store/open_and_trial_balance", "doubleentry/open_and_trial_balance"),
    ("store_read_10k", "koperasi-store/balance_as_of", "doubleentry/balance_as_of"),
    ("store_read_10k", "koperasi-store/balance_as_of", "doubleentry/balance_current"),
    ("store_read_10k", "koperasi-store/trial_balance", "doubleentry/trial_balance"),
    ("store_read_10k", "koperasi-store/trial_balance", "doubleentry/trial_balance_current"),
    ("store_read_10k", "koperasi-store/verify", "doubleentry/audit"),
]

def fmt_time(ns):
    for unit, div in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= div:
            return f"{ns / div:.3g} {unit}"
    return f"{ns:.3g} ns"

results = {}
for group in groups:
    gdir = os.path.join(root, group)
    for dirpath, _, files in os.walk(gdir):
        if os.path.basename(dirpath) != "new" or "estimates.json" not in files:
            continue
        with open(os.path.join(dirpath, "benchmark.json")) as f:
            meta = json.load(f)
        with open(os.path.join(dirpath, "estimates.json")) as f:
            est = json.load(f)
        median = est["median"]["point_estimate"]
        elements = (meta.get("throughput") or {}).get("Elements")
        name = meta["function_id"] + ("/" + meta["value_str"] if meta.get("value_str") else "")
        results[(group, name)] = (median, elements)

print()
print(f"{'benchmark':60} {'median':>10} {'rate':>16}")
for (group, name), (median, elements) in sorted(results.items()):
    rate = f"{elements / (median / 1e9):,.0f} /s" if elements else ""
    print(f"{group + '/' + name:60} {fmt_time(median):>10} {rate:>16}")
print()
print("ratio = doubleentry median / koperasi-store median per element (above 1: koperasi-store faster)")
for group, ours, theirs in PAIRS:
    a, b = results.get((group, ours)), results.get((group, theirs))
    if not a or not b:
        continue
    per = lambda r: r[0] / (r[1] or 1)
    print(f"{group}: {ours.split('/', 1)[1]} vs {theirs.split('/', 1)[1]}: {per(b) / per(a):.2f}x")
EOF
echo
echo "CPU time per entry (one run outside criterion, whole process: both cores, every thread):"
grep '^cpu: ' "$TARGET/store-peers-cpu.log" | sed 's/^cpu: /  /' || true
echo "Single commits measured in alternation (both sides under the same load):"
grep '^paired: ' "$TARGET/store-peers-cpu.log" | sed 's/^paired: /  /' || true
