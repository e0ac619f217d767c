#!/usr/bin/env bash
# Parses the same 10,000 realistic Indonesian QRIS payloads (~200 characters) with
#   * koperasi-qris (release build of crates/koperasi-qris/examples/parse_many.rs:
#     structure + CRC + every EMVCo/QRIS rule),
#   * qriskit (PyPI, installed in a throw-away venv): parse, and parse + validate,
#   * emvco-qr-sdk (npm, installed in a temp dir): parseFullQR (TLV, named fields, CRC check),
# in one run, and prints parses per second and the ratios.
#
#   bash bench/qris-peers.sh            # N=10000 payloads, ours repeated ROUNDS=20 times
#
# Needs python3 (with venv), npm/node and cargo, and access to PyPI and the npm registry.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${N:-10000}
ROUNDS=${ROUNDS:-20}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "== generating $N payloads" >&2
python3 - "$N" > "$WORK/payloads.txt" <<'PY'
import binascii, sys
def crc(s): return "%04X" % binascii.crc_hqx(s.encode(), 0xFFFF)
def t(tag, v): return "%02d%02d%s" % (tag, len(v), v)
for i in range(int(sys.argv[1])):
    mai = t(26, t(0, "ID.CO.BRI.WWW") + t(1, "9360000212%08d" % i) + t(2, "KDMP%05d" % (i % 100000)) + t(3, "UMI"))
    nat = t(51, t(0, "ID.CO.QRIS.WWW") + t(2, "ID10251%08d" % i) + t(3, "UMI"))
    dyn = i % 2 == 0
    body = (t(0, "01") + t(1, "12" if dyn else "11") + mai + nat + t(52, "5411") + t(53, "360")
            + (t(54, str(1000 * (i % 997 + 1))) if dyn else "") + t(58, "ID")
            + t(59, "KOPDES MERAH PUTIH %04d" % (i % 10000)) + t(60, "PROBOLINGGO") + t(61, "67219")
            + t(62, t(7, "KASIR-%02d" % (i % 50))) + "6304")
    print(body + crc(body))
PY

echo "== installing qriskit (PyPI) and emvco-qr-sdk (npm)" >&2
python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install -q qriskit >&2
(cd "$WORK" && npm init -y > /dev/null && npm install --silent --no-audit --no-fund emvco-qr-sdk >&2)

echo "== building koperasi-qris (release)" >&2
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
(cd "$ROOT" && cargo build --release -q -p koperasi-qris --example parse_many)

ours=$("$TARGET/release/examples/parse_many" "$WORK/payloads.txt" "$ROUNDS")
echo "$ours" >&2

"$WORK/venv/bin/python" - "$WORK/payloads.txt" > "$WORK/qriskit.txt" <<'PY'
import sys, time, qriskit
ps = [l.strip() for l in open(sys.argv[1]) if l.strip()]
t0 = time.perf_counter()
ok = sum(1 for p in ps if qriskit.parse(p) is not None)
t1 = time.perf_counter()
valid = sum(1 for p in ps if qriskit.is_valid(qriskit.parse(p)))
t2 = time.perf_counter()
print("qriskit-parse parsed=%d per_second=%.0f" % (ok, len(ps) / (t1 - t0)))
print("qriskit-parse+validate valid=%d per_second=%.0f" % (valid, len(ps) / (t2 - t1)))
PY
cat "$WORK/qriskit.txt" >&2

cat > "$WORK/emv.js" <<'JS'
const fs = require('fs');
const sdk = require('emvco-qr-sdk');
const ps = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter((l) => l.length > 0);
let ok = 0;
const t0 = process.hrtime.bigint();
for (const p of ps) {
  try { if (sdk.parseFullQR(p, { parseMode: sdk.QRParseMode.GLOBAL }).crc.isValid) ok++; } catch (e) { /* counted as failure */ }
}
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`emvco-qr-sdk-parseFullQR parsed=${ok} per_second=${(ps.length / secs).toFixed(0)}`);
JS
(cd "$WORK" && node emv.js "$WORK/payloads.txt") > "$WORK/emv.txt"
cat "$WORK/emv.txt" >&2

python3 - "$ours" "$WORK/qriskit.txt" "$WORK/emv.txt" <<'PY'
import re, sys
ours = float(re.search(r"per_second=(\d+)", sys.argv[1]).group(1))
rows = [("koperasi-qris (parse+CRC+all rules)", ours)]
for f in sys.argv[2:]:
    for line in open(f):
        m = re.match(r"(\S+) .*per_second=(\d+)", line)
        if m:
            rows.append((m.group(1), float(m.group(2))))
print("%-40s %14s %10s" % ("library", "parses/s", "ours / it"))
for name, rate in rows:
    print("%-40s %14.0f %9.1fx" % (name, rate, ours / rate))
PY
