"""Generates numpy_financial_npv_irr.json: NPV and IRR of monthly project cash flows computed
by numpy-financial, used as an independent oracle by the koperasi-planning tests.

    pip install numpy-financial && python3 gen_numpy_financial.py > numpy_financial_npv_irr.json

Flows are whole rupiah (integers, written as strings): flow 0 is the investment (negative),
then one flow per month. Rates are per month (annual percent / 1200).
"""
import json
import numpy_financial as npf

def plan_flows(capex, months, base, growth_pct, season, ramp, dip_month=None):
    flows = [-capex]
    for m in range(1, months + 1):
        year = (m - 1) // 12
        f = base * (100 + growth_pct) ** year // 100 ** year
        f = f * season[(m - 1) % 12] // 100
        if m <= ramp:
            f = f * m // (ramp + 1)
        if dip_month is not None and m == dip_month:
            f = -f // 2
        flows.append(f)
    return flows

FLAT = [100] * 12
HARVEST = [80, 80, 90, 120, 130, 110, 100, 95, 90, 100, 100, 105]
CASES = [
    # name, flows, annual discount percents
    ("gerai-72", plan_flows(3_000_000_000, 72, 80_000_000, 5, FLAT, 0), ["6", "12"]),
    ("three-units-72", plan_flows(3_000_000_000, 72, 66_800_000, 3, HARVEST, 6), ["6", "10.5", "12"]),
    ("cold-storage-120", plan_flows(1_200_000_000, 120, 18_500_000, 2, HARVEST, 3, 40), ["8", "15"]),
    ("fast-36", plan_flows(500_000_000, 36, 30_000_000, 0, FLAT, 0), ["12", "24"]),
    ("slow-60", plan_flows(2_500_000_000, 60, 41_000_000, 4, FLAT, 12), ["6", "9"]),
]
out = []
for name, flows, rates in CASES:
    out.append({
        "name": name,
        "flows": [str(f) for f in flows],
        "npv": [{"annual_percent": r, "npv": "%.6f" % npf.npv(float(r) / 1200, flows)} for r in rates],
        "irr_monthly": "%.15f" % npf.irr(flows),
    })
print(json.dumps({"source": "numpy-financial %s" % npf.__version__, "cases": out}, indent=1))
