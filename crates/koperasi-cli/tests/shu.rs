//! CLI tests of `koperasi shu distribute`.

use std::io::Write;
use std::process::Command;

fn koperasi(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_koperasi"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn testdata(name: &str) -> String {
    format!(
        "{}/../../testdata/koperasi-shu/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

/// Writes `json` to a fresh temporary file and runs `shu distribute` on it.
fn distribute(json: &str, extra: &[&str]) -> (i32, String, String) {
    static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let path =
        std::env::temp_dir().join(format!("koperasi-shu-cli-{}-{n}.json", std::process::id()));
    std::fs::File::create(&path)
        .unwrap()
        .write_all(json.as_bytes())
        .unwrap();
    let p = path.to_str().unwrap();
    let mut args = vec!["shu", "distribute", "--input", p];
    args.extend_from_slice(extra);
    let r = koperasi(&args);
    std::fs::remove_file(&path).ok();
    r
}

/// The exact example of issue 6, computed by hand:
/// * jasa modal = 25% × Rp40.000.000 = Rp10.000.000; jasa usaha = 30% = Rp12.000.000;
///   cadangan = 45% = Rp18.000.000 (Σ = Rp40.000.000).
/// * A-001: jasa modal = 3.000.000 / 60.000.000 × 10.000.000 = Rp500.000;
///   jasa usaha = 1.000.000 / 100.000.000 × 12.000.000 = Rp120.000; total Rp620.000.
/// * No rounding residue (both shares are whole rupiah); the other members' part of the
///   pools: 10.000.000 − 500.000 = Rp9.500.000 and 12.000.000 − 120.000 = Rp11.880.000.
#[test]
fn issue_example_json() {
    let (code, out, err) = koperasi(&[
        "shu",
        "distribute",
        "--input",
        &testdata("issue-example.json"),
        "--json",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["funds"],
        serde_json::json!([
            {"name": "jasa_modal", "kind": "capital_pool", "percent": "25", "amount": "10000000.00", "residue_received": "0.00", "undistributed_received": "0.00"},
            {"name": "jasa_usaha", "kind": "patronage_pool", "percent": "30", "amount": "12000000.00", "residue_received": "0.00", "undistributed_received": "0.00"},
            {"name": "cadangan", "kind": "reserve", "percent": "45", "amount": "18000000.00", "residue_received": "0.00", "undistributed_received": "0.00"},
        ])
    );
    assert_eq!(
        v["members"],
        serde_json::json!([{"id": "A-001", "capital": "500000.00", "patronage": "120000.00", "total": "620000.00"}])
    );
    assert_eq!(
        v["residue"],
        serde_json::json!({"capital": "0.00", "patronage": "0.00"})
    );
    assert_eq!(
        v["unpaid"],
        serde_json::json!({"capital": "9500000.00", "patronage": "11880000.00"})
    );
    assert_eq!(v["residue_to"], "cadangan");
}

#[test]
fn issue_example_text_is_indonesian() {
    let (code, out, _) = koperasi(&[
        "shu",
        "distribute",
        "--input",
        &testdata("issue-example.json"),
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("Pembagian SHU Rp40.000.000"), "{out}");
    assert!(out.contains("Jasa modal"), "{out}");
    assert!(out.contains("Rp620.000"), "{out}");
    assert!(out.contains("Selisih pembulatan"), "{out}");
    assert!(out.contains("Rp11.880.000"), "{out}");
}

/// Integers instead of strings, no totals (Σ over members), default rounding (floor to Rp1):
/// jasa modal 25% of 1.000.000 = 250.000 over 1 : 2 → 83.333 and 166.666, residue Rp1;
/// jasa usaha 300.000 over 1 : 1 → 150.000 each.
#[test]
fn integers_default_totals_and_rounding() {
    let json = r#"{"shu": 1000000,
        "allocation": [{"name": "jasa_modal", "percent": 25, "pool": "capital"},
                       {"name": "jasa_usaha", "percent": 30, "pool": "patronage"},
                       {"name": "cadangan", "percent": 45}],
        "members": [{"id": "B", "capital": 2000, "patronage": 500},
                    {"id": "A", "capital": 1000, "patronage": 500}]}"#;
    let (code, out, err) = distribute(json, &["--json"]);
    assert_eq!(code, 0, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    // Sorted by id.
    assert_eq!(v["members"][0]["id"], "A");
    assert_eq!(v["members"][0]["capital"], "83333.00");
    assert_eq!(v["members"][1]["capital"], "166666.00");
    assert_eq!(v["members"][1]["patronage"], "150000.00");
    assert_eq!(v["residue"]["capital"], "1.00");
    assert_eq!(v["funds"][2]["residue_received"], "1.00");
}

#[test]
fn largest_remainder_pays_each_pool_exactly() {
    let json = r#"{"shu": "1000",
        "allocation": [{"name": "jasa_modal", "percent": "100", "pool": "capital"},
                       {"name": "cadangan", "percent": "0"}],
        "members": [{"id": "C", "capital": 1}, {"id": "A", "capital": 1}, {"id": "B", "capital": 1}],
        "rounding": {"mode": "largest-remainder"}}"#;
    let (code, out, _) = distribute(json, &["--json"]);
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let caps: Vec<_> = (0..3).map(|i| v["members"][i]["capital"].clone()).collect();
    assert_eq!(caps, ["334.00", "333.00", "333.00"]);
    assert_eq!(v["residue"]["capital"], "0.00");
}

#[test]
fn loss_year_is_reported_not_distributed() {
    let json = r#"{"shu": "-5000000", "reserve_balance": "3000000",
        "allocation": [{"name": "jasa_usaha", "percent": "60", "pool": "patronage"},
                       {"name": "cadangan", "percent": "40"}],
        "members": [{"id": "A", "patronage": 1}]}"#;
    let (code, out, _) = distribute(json, &["--json"]);
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["loss"]["amount"], "5000000.00");
    assert_eq!(v["loss"]["covered"], "3000000.00");
    assert_eq!(v["loss"]["uncovered"], "2000000.00");
    assert_eq!(v["members"], serde_json::json!([]));
    let (code, out, _) = distribute(json, &[]);
    assert_eq!(code, 0);
    assert!(out.contains("rugi"), "{out}");
}

fn assert_fails(json: &str, needle: &str, kind: &str) {
    let (code, _, err) = distribute(json, &[]);
    assert_eq!(code, 1);
    assert!(err.contains(needle), "expected {needle:?} in {err:?}");
    let (code, out, _) = distribute(json, &["--json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["error"]["kind"], kind, "{out}");
}

#[test]
fn bad_input_exits_1_with_the_reason() {
    // Percentages summing to 105.
    assert_fails(
        r#"{"shu": "100", "allocation": [{"name": "cadangan", "percent": "50"},
            {"name": "jasa_usaha", "percent": "55", "pool": "patronage"}], "members": []}"#,
        "sum to 105%",
        "percent_sum",
    );
    // Negative amount of a member.
    assert_fails(
        r#"{"shu": "100", "allocation": [{"name": "cadangan", "percent": "50"},
            {"name": "jasa_usaha", "percent": "50", "pool": "patronage"}],
            "members": [{"id": "A-007", "patronage": "-5"}]}"#,
        "A-007",
        "negative_amount",
    );
    // Members exceeding the stated totals.
    assert_fails(
        r#"{"shu": "100", "allocation": [{"name": "cadangan", "percent": "50"},
            {"name": "jasa_modal", "percent": "50", "pool": "capital"}],
            "totals": {"capital": "10"},
            "members": [{"id": "A", "capital": "6"}, {"id": "B", "capital": "6"}]}"#,
        "exceed the stated total",
        "totals_exceeded",
    );
    // Unknown pool.
    assert_fails(
        r#"{"shu": "100", "allocation": [{"name": "cadangan", "percent": "50"},
            {"name": "jasa_x", "percent": "50", "pool": "dividend"}], "members": []}"#,
        "unknown pool \"dividend\"",
        "unknown_pool",
    );
    // A float amount, an unknown field, a bad rounding mode, a negative line.
    assert_fails(
        r#"{"shu": 100.5, "allocation": [{"name": "cadangan", "percent": "100"}]}"#,
        "floats cannot carry money exactly",
        "invalid_input",
    );
    assert_fails(
        r#"{"shu": "100", "alocation": []}"#,
        "unknown field",
        "invalid_input",
    );
    assert_fails(
        r#"{"shu": "100", "allocation": [{"name": "cadangan", "percent": "100"}],
            "rounding": {"mode": "half-up"}}"#,
        "not supported",
        "unknown_rounding_mode",
    );
    assert_fails(
        r#"{"shu": "100", "allocation": [{"name": "cadangan", "percent": "110"},
            {"name": "dana_sosial", "percent": "-10"}]}"#,
        "dana_sosial",
        "negative_percent",
    );
    // A pool without a cadangan line.
    assert_fails(
        r#"{"shu": "100", "allocation": [{"name": "jasa_usaha", "percent": "100", "pool": "patronage"}]}"#,
        "cadangan",
        "missing_reserve",
    );
    // A missing file.
    let (code, _, err) = koperasi(&["shu", "distribute", "--input", "/nonexistent/shu.json"]);
    assert_eq!(code, 1);
    assert!(err.contains("shu.json"), "{err}");
}

/// Regression (issue 19): `shu distribute` with no members reported the whole member pool as
/// "rounding residue". Now it is an error unless the input consents with
/// `"undistributed": "reserve"`, and then it is shown as undistributed, not as residue.
#[test]
fn regression_no_members_is_not_rounding_residue() {
    let base = r#""shu": "40000000",
        "allocation": [{"name": "jasa_modal", "percent": "25", "pool": "capital"},
                       {"name": "jasa_usaha", "percent": "30", "pool": "patronage"},
                       {"name": "cadangan", "percent": "45"}]"#;
    let json = format!("{{{base}}}");
    assert_fails(&json, "not a rounding residue", "undistributed_pool");
    let (_, _, err) = distribute(&json, &[]);
    assert!(err.contains("no member is listed"), "{err}");

    let json = format!(r#"{{{base}, "undistributed": "reserve"}}"#);
    let (code, out, err) = distribute(&json, &["--json"]);
    assert_eq!(code, 0, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["residue"],
        serde_json::json!({"capital": "0.00", "patronage": "0.00"})
    );
    assert_eq!(
        v["undistributed"],
        serde_json::json!({"capital": "10000000.00", "patronage": "12000000.00"})
    );
    assert_eq!(v["funds"][2]["undistributed_received"], "22000000.00");
    let (code, out, _) = distribute(&json, &[]);
    assert_eq!(code, 0);
    assert!(out.contains("Tidak terbagi"), "{out}");
    assert!(
        out.contains("Selisih pembulatan: jasa modal Rp0, jasa usaha Rp0"),
        "{out}"
    );
}

/// Regression (issue 19): every capital and patronage basis zero is the same case.
#[test]
fn regression_all_zero_bases_is_not_rounding_residue() {
    let json = r#"{"shu": "40000000",
        "allocation": [{"name": "jasa_modal", "percent": "25", "pool": "capital"},
                       {"name": "jasa_usaha", "percent": "30", "pool": "patronage"},
                       {"name": "cadangan", "percent": "45"}],
        "members": [{"id": "A", "capital": "0", "patronage": "0"}]}"#;
    assert_fails(
        json,
        "the capital of all 1 members is zero",
        "undistributed_pool",
    );
}

/// Regression (issue 19): a loss year has the same top-level keys as a distribution.
#[test]
fn regression_loss_year_has_the_distribution_shape() {
    let loss = r#"{"shu": "-5000000",
        "allocation": [{"name": "jasa_usaha", "percent": "60", "pool": "patronage"},
                       {"name": "cadangan", "percent": "40"}],
        "members": [{"id": "A", "patronage": 1}]}"#;
    let gain = loss.replace("-5000000", "5000000");
    let keys = |json: &str| {
        let (code, out, err) = distribute(json, &["--json"]);
        assert_eq!(code, 0, "{out}{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        (k, v)
    };
    let (kl, vl) = keys(loss);
    let (kg, vg) = keys(&gain);
    assert_eq!(kl, kg);
    assert_eq!(vl["outcome"], "loss");
    assert_eq!(vg["outcome"], "distributed");
    assert_eq!(
        vl["residue"],
        serde_json::json!({"capital": "0.00", "patronage": "0.00"})
    );
    assert!(vg["loss"].is_null());
}
