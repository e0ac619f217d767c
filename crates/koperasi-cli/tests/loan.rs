//! CLI tests of `koperasi loan schedule`.

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

fn json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--json", "loan", "schedule"];
    all.extend_from_slice(args);
    let (code, out, err) = koperasi(&all);
    assert_eq!(code, 0, "{out}{err}");
    serde_json::from_str(&out).unwrap()
}

/// The handbook annuity (domain.md §3.2): Rp5.000.000, 1% a month, 10 months, installments
/// rounded up to Rp1.000; the last one absorbs the difference.
#[test]
fn annuity_json_shape_and_values() {
    let v = json(&[
        "--principal",
        "5000000",
        "--rate",
        "1",
        "--rate-per",
        "month",
        "--tenor",
        "10",
        "--method",
        "annuity",
        "--installment-multiple",
        "1000",
        "--installment-rounding",
        "up",
        "--start",
        "2025-01-15",
    ]);
    let rows = v["installments"].as_array().unwrap();
    assert_eq!(rows.len(), 10);
    assert_eq!(
        rows[0],
        serde_json::json!({"number": 1, "due_date": "2025-02-15", "principal": "478000",
            "interest": "50000", "installment": "528000", "balance": "4522000"})
    );
    assert_eq!(rows[9]["installment"], "527060");
    assert_eq!(rows[9]["balance"], "0");
    assert_eq!(
        v["totals"],
        serde_json::json!({"principal": "5000000", "interest": "279060", "installment": "5279060"})
    );
    assert!(
        v["effective_annual_rate"]
            .as_str()
            .unwrap()
            .starts_with("11.9")
    );
    let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, ["effective_annual_rate", "installments", "totals"]);
}

#[test]
fn flat_effective_rate_and_sen_precision() {
    let v = json(&[
        "--principal",
        "12000000",
        "--rate",
        "1",
        "--rate-per",
        "month",
        "--tenor",
        "12",
        "--method",
        "flat",
        "--decimals",
        "2",
    ]);
    assert_eq!(v["installments"][0]["installment"], "1120000.00");
    assert_eq!(v["installments"][0]["due_date"], "2025-02-01");
    assert_eq!(v["effective_annual_rate"], "21.4572");
}

#[test]
fn equal_principal_daily_interest_and_grace() {
    let v = json(&[
        "--principal",
        "12000000",
        "--rate",
        "12",
        "--rate-per",
        "year",
        "--tenor",
        "12",
        "--method",
        "equal-principal",
        "--interest-period",
        "daily",
        "--day-count",
        "30/360",
        "--grace-principal",
        "2",
        "--grace-interest",
        "1",
        "--interest-free",
        "0",
        "--rounding",
        "down",
    ]);
    let rows = v["installments"].as_array().unwrap();
    assert_eq!(rows[0]["installment"], "0");
    assert_eq!(rows[1]["interest"], "240000");
    assert_eq!(rows[2]["principal"], "1200000");
    assert_eq!(v["totals"]["principal"], "12000000");
    let v = json(&[
        "--principal",
        "1000000",
        "--rate",
        "10",
        "--rate-per",
        "year",
        "--tenor",
        "3",
        "--method",
        "annuity",
        "--interest-period",
        "daily",
        "--day-count",
        "actual/actual",
        "--rounding",
        "half-even",
    ]);
    assert_eq!(v["totals"]["principal"], "1000000");
    let v = json(&[
        "--principal",
        "1000000",
        "--rate",
        "10",
        "--rate-per",
        "year",
        "--tenor",
        "3",
        "--method",
        "flat",
        "--interest-period",
        "daily",
        "--interest-free",
        "3",
    ]);
    assert_eq!(v["totals"]["interest"], "0");
}

#[test]
fn text_table_in_indonesian_says_the_default_start() {
    let (code, out, _) = koperasi(&[
        "loan",
        "schedule",
        "--principal",
        "3000000",
        "--rate",
        "12",
        "--rate-per",
        "year",
        "--tenor",
        "3",
        "--method",
        "equal-principal",
    ]);
    assert_eq!(code, 0);
    for label in [
        "Angsuran ke-",
        "Pokok",
        "Bunga",
        "Angsuran",
        "Sisa Pinjaman",
        "Jumlah",
    ] {
        assert!(out.contains(label), "{label} missing in\n{out}");
    }
    assert!(out.contains("2025-01-01 (bawaan"), "{out}");
    assert!(out.contains("Rp1.000.000"), "{out}");
    assert!(out.contains("Bunga efektif per tahun: 12%"), "{out}");
    // --json also says it, on stderr
    let (code, _, err) = koperasi(&[
        "--json",
        "loan",
        "schedule",
        "--principal",
        "3000000",
        "--rate",
        "12",
        "--rate-per",
        "year",
        "--tenor",
        "3",
        "--method",
        "flat",
    ]);
    assert_eq!(code, 0);
    assert!(err.contains("2025-01-01"), "{err}");
}

#[test]
fn errors_are_one_line_or_a_json_object() {
    let base = [
        "--rate",
        "12",
        "--rate-per",
        "year",
        "--tenor",
        "12",
        "--method",
        "flat",
    ];
    let cases: &[(&[&str], &str)] = &[
        (&["--principal", "0"], "invalid_principal"),
        (&["--principal", "abc"], "parse_amount"),
        (
            &["--principal", "1000.5", "--decimals", "0"],
            "invalid_principal",
        ),
        (
            &["--principal", "1000", "--decimals", "1"],
            "invalid_decimals",
        ),
        (
            &["--principal", "1000", "--rounding", "sideways"],
            "unknown_rounding_mode",
        ),
        (
            &["--principal", "1000", "--grace-principal", "12"],
            "invalid_grace",
        ),
        (
            &["--principal", "1000", "--installment-multiple", "0"],
            "invalid_installment_multiple",
        ),
    ];
    for (extra, kind) in cases {
        let mut args = vec!["--json", "loan", "schedule"];
        args.extend_from_slice(&base);
        args.extend_from_slice(extra);
        let (code, out, _) = koperasi(&args);
        assert_eq!(code, 1, "{extra:?}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["error"]["kind"], *kind, "{out}");
        // without --json: one line on stderr
        let (code, out, err) = koperasi(&args[1..]);
        assert_eq!(code, 1);
        assert!(out.is_empty());
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    // A malformed date option is a usage error (exit 2), the same contract otherwise.
    let mut args = vec!["--json", "loan", "schedule"];
    args.extend_from_slice(&base);
    args.extend_from_slice(&["--principal", "1000", "--start", "2025-02-30"]);
    let (code, out, _) = koperasi(&args);
    assert_eq!(code, 2, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["error"]["kind"], "invalid_date");
    assert_eq!(v["error"]["class"], "usage");
    let (code, out, err) = koperasi(&args[1..]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert_eq!(err.lines().count(), 1, "{err}");
    let (code, out, _) = koperasi(&[
        "--json",
        "loan",
        "schedule",
        "--principal",
        "1000",
        "--rate",
        "x",
        "--rate-per",
        "year",
        "--tenor",
        "1",
        "--method",
        "flat",
    ]);
    assert_eq!(code, 1);
    assert!(out.contains("invalid_rate"));
    let (code, out, _) = koperasi(&[
        "--json",
        "loan",
        "schedule",
        "--principal",
        "1000",
        "--rate=-1",
        "--rate-per",
        "year",
        "--tenor",
        "1",
        "--method",
        "flat",
    ]);
    assert_eq!(code, 1);
    assert!(out.contains("negative_rate"), "{out}");
}

/// Regression (issue 19): the loan header showed "1.5% per bulan"; Indonesian uses a decimal
/// comma.
#[test]
fn regression_loan_header_rate_uses_decimal_comma() {
    let (code, out, err) = koperasi(&[
        "loan",
        "schedule",
        "--principal",
        "1000000",
        "--rate",
        "1.5",
        "--rate-per",
        "month",
        "--tenor",
        "3",
        "--method",
        "flat",
        "--start",
        "2025-01-01",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Suku bunga      : 1,5% per bulan"), "{out}");
    assert!(!out.contains("1.5%"), "{out}");
}

/// Regression (issue 19): `--installment-multiple` larger than the loan silently gave
/// interest-only rows and one balloon; now it is a failure naming the multiple.
#[test]
fn regression_installment_multiple_larger_than_loan_is_rejected() {
    let args = [
        "--json",
        "loan",
        "schedule",
        "--principal",
        "1000000",
        "--rate",
        "12",
        "--rate-per",
        "year",
        "--tenor",
        "12",
        "--method",
        "annuity",
        "--start",
        "2025-01-01",
        "--installment-multiple",
        "5000000",
    ];
    let (code, out, _) = koperasi(&args);
    assert_eq!(code, 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["error"]["kind"], "installment_multiple_too_large");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("installment multiple Rp5.000.000 is too large"),
        "{out}"
    );
    let (code, _, err) = koperasi(&args[1..]);
    assert_eq!(code, 1);
    assert!(err.starts_with("error: installment multiple"), "{err}");
}
