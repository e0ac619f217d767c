#!/usr/bin/env bash
# Side-by-side benchmark of `koperasi journal balance` against ledger-cli and hledger.
#
#   bench/journal-peers.sh [TRANSACTIONS]      (default 100000)
#
# 1. Generates a deterministic hledger/ledger-cli journal (LCG-driven awk; same file on every
#    run): ~100,000 transactions, ~230,000 postings, ~4,000 accounts, ~21 MB, IDR amounts with
#    sen, status marks, codes, comments and periodic balance assertions, dates ascending.
# 2. Times `koperasi journal balance`, `ledger -f … bal` and `hledger -f … bal` on it (each
#    run once after one warm-up run) with /usr/bin/time -v, and prints wall time, peak
#    memory (max RSS) and the ratios. Missing peers are reported and skipped.
#
# Needs: cargo, awk, /usr/bin/time (Debian `time`); optional peers: Debian `ledger`, `hledger`.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-100000}"
OUT="${BENCH_DIR:-${TMPDIR:-/tmp}/koperasi-journal-bench}"
mkdir -p "$OUT"
J="$OUT/journal-$N.journal"

if [ ! -s "$J" ]; then
  awk -v n="$N" 'BEGIN {
    seed = 20260101
    srand(1)
    split("Aset:Lancar Aset:Tidak Lancar Liabilitas:Jangka Pendek Liabilitas:Jangka Panjang Ekuitas:Modal Pendapatan:Partisipasi Anggota Pendapatan:Non Anggota Beban:Pokok Penjualan Beban:Usaha Beban:Perkoperasian", roots, " ")
    split("Simpan Pinjam|Kios Sembako|Klinik Desa|Apotek Desa|Pergudangan|Sarana Logistik|Kantor Koperasi", units, "|")
    split("Siti Rahayu|Budi Santoso|Dewi Lestari|Agus Wijaya|Sri Wahyuni|Joko Susilo|Rina Marlina|Hendra Gunawan", names, "|")
    nacc = 4000
    print "; Deterministic benchmark journal (koperasi bench/journal-peers.sh)"
    print "commodity IDR 1000.00"
    print ""
    for (i = 1; i <= nacc; i++) {
      r = roots[(i % 10) + 1]
      u = units[(i % 7) + 1]
      m = names[(i % 8) + 1]
      acc[i] = sprintf("%s:%s:Rekening %04d", r, u, i)
      bal[i] = 0
    }
    day = 0
    for (t = 1; t <= n; t++) {
      seed = (seed * 1103515245 + 12345) % 2147483648
      if (seed % 100 < 3 && day < 364) day++
      mo = 1; d = day
      split("31 28 31 30 31 30 31 31 30 31 30 31", ml, " ")
      while (d >= ml[mo]) { d -= ml[mo]; mo++ }
      np = (seed % 10 < 3) ? 3 : 2
      mark = (seed % 5 == 0) ? "! " : "* "
      printf "2026-%02d-%02d %s(BKM-%06d) Transaksi %s\n", mo, d + 1, mark, t, names[(t % 8) + 1]
      sum = 0
      for (p = 1; p < np; p++) {
        seed = (seed * 1103515245 + 12345) % 2147483648
        a = (seed % nacc) + 1
        seed = (seed * 1103515245 + 12345) % 2147483648
        amt = (seed % 500000000) + 100
        sum += amt
        bal[a] += amt
        printf "    %s    IDR %d.%02d\n", acc[a], int(amt / 100), amt % 100
      }
      seed = (seed * 1103515245 + 12345) % 2147483648
      a = (seed % nacc) + 1
      bal[a] -= sum
      if (t % 1000 == 0) {
        b = bal[a]; s = ""; if (b < 0) { s = "-"; b = -b }
        printf "    %s    IDR -%d.%02d = IDR %s%d.%02d  ; cek saldo\n", acc[a], int(sum / 100), sum % 100, s, int(b / 100), b % 100
      } else {
        printf "    %s    IDR -%d.%02d\n", acc[a], int(sum / 100), sum % 100
      }
      print ""
    }
  }' > "$J"
fi
echo "journal: $J ($(wc -c < "$J") bytes, $(grep -c '^2026' "$J") transactions, $(grep -c '^    ' "$J") postings)"

cargo build --release --quiet -p koperasi-cli
BIN="${CARGO_TARGET_DIR:-target}/release/koperasi"

measure() { # name, command...
  local name="$1"; shift
  if ! command -v "$1" >/dev/null 2>&1 && [ ! -x "$1" ]; then
    echo "$name: not installed, skipped"; return
  fi
  "$@" >/dev/null 2>&1 || { echo "$name: failed"; "$@" 2>&1 | tail -3; return; }
  /usr/bin/time -v "$@" >/dev/null 2>"$OUT/$name.time"
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$OUT/$name.time")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$OUT/$name.time")
  local secs cpu
  secs=$(echo "$wall" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
  cpu=$(awk -F': ' '/User time|System time/ {t += $2} END {print t}' "$OUT/$name.time")
  printf '%-10s %8.3f s wall %8.3f s cpu %9.1f MB peak\n' "$name" "$secs" "$cpu" "$(echo "$rss" | awk '{print $1/1024}')"
  echo "$name $secs $rss $cpu" >> "$OUT/results"
}

rm -f "$OUT/results"
measure koperasi "$BIN" journal balance "$J"
measure ledger ledger -f "$J" bal
measure hledger hledger -f "$J" bal

awk '
  $1 == "koperasi" { ks = $2; km = $3; kc = $4 }
  $1 != "koperasi" { s[$1] = $2; m[$1] = $3; c[$1] = $4 }
  END {
    for (p in s) printf "%s / koperasi: %.1fx wall time, %.1fx cpu time, %.1fx peak memory\n", p, s[p] / ks, c[p] / kc, m[p] / km
  }' "$OUT/results"
