"""Generates numpy_financial_annuity.json: annuity reference rows from numpy-financial
(pmt, ipmt, ppmt), used as an oracle by the koperasi-savings-loans tests.

    pip install numpy-financial && python3 gen_numpy_financial.py > numpy_financial_annuity.json
"""
import json
import numpy_financial as npf

CASES = [
    # (principal, annual percent, months)
    (5_000_000, "12", 10),
    (10_000_000, "12", 12),
    (25_000_000, "18", 24),
    (3_000_000_000, "6", 66),
    (150_000_000, "9.5", 120),
    (7_500_000, "30", 36),
    (1_000_000, "1.25", 360),
]
out = []
for p, pct, n in CASES:
    i = float(pct) / 100 / 12
    rows = []
    for k in range(1, n + 1):
        rows.append({
            "number": k,
            "ipmt": "%.6f" % -npf.ipmt(i, k, n, p),
            "ppmt": "%.6f" % -npf.ppmt(i, k, n, p),
        })
    out.append({
        "principal": str(p),
        "annual_percent": pct,
        "months": n,
        "pmt": "%.6f" % -npf.pmt(i, n, p),
        "rows": rows,
    })
print(json.dumps({"source": "numpy-financial %s" % npf.__version__, "cases": out}, indent=1))
