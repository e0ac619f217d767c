//! NPV and IRR against numpy-financial (`testdata/koperasi-planning/numpy_financial_npv_irr.json`,
//! generated once by `gen_numpy_financial.py` beside it and checked in).
//!
//! numpy-financial computes in binary floating point, we in 28-digit decimals: the NPV must
//! agree within Rp0,01 and the monthly IRR within 10⁻¹² (numpy's float64 root is itself good
//! to about 10⁻¹⁵).

use koperasi_core::Decimal;
use koperasi_planning::metrics::{irr, npv};

fn dec(v: &serde_json::Value) -> Decimal {
    Decimal::from_str_exact(v.as_str().unwrap()).unwrap()
}

#[test]
fn npv_and_irr_match_numpy_financial() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/koperasi-planning/numpy_financial_npv_irr.json"
    );
    let data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = data["cases"].as_array().unwrap();
    assert!(cases.len() >= 5);
    for c in cases {
        let name = c["name"].as_str().unwrap();
        let flows: Vec<Decimal> = c["flows"].as_array().unwrap().iter().map(dec).collect();
        for n in c["npv"].as_array().unwrap() {
            let rate = dec(&n["annual_percent"]) / Decimal::from(1200);
            let ours = npv(rate, &flows).unwrap();
            let theirs = dec(&n["npv"]);
            assert!(
                (ours - theirs).abs() <= Decimal::new(1, 2),
                "{name} at {}%: npv {ours} vs numpy {theirs}",
                n["annual_percent"]
            );
        }
        let ours = irr(&flows).unwrap().expect("an IRR exists");
        let theirs = dec(&c["irr_monthly"]);
        assert!(
            (ours - theirs).abs() <= Decimal::new(1, 12),
            "{name}: irr {ours} vs numpy {theirs}"
        );
        // And it is a root: the NPV at the IRR is (nearly) zero relative to the investment.
        let at_root = npv(ours, &flows).unwrap();
        assert!(
            at_root.abs() <= Decimal::new(1, 3),
            "{name}: npv at irr {at_root}"
        );
    }
}

#[test]
fn no_sign_change_no_irr() {
    let flows = [Decimal::from(100), Decimal::from(50)];
    assert_eq!(irr(&flows).unwrap(), None);
    let flows = [Decimal::from(-100), Decimal::from(-50)];
    assert_eq!(irr(&flows).unwrap(), None);
}
