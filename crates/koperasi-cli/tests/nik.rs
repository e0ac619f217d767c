//! CLI tests of `koperasi nik check`.

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

fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s.trim()).unwrap()
}

#[test]
fn valid_nik_json() {
    let (code, out, _) = koperasi(&[
        "nik",
        "check",
        "3574014506900001",
        "--as-of",
        "2026-01-05",
        "--json",
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        json(&out),
        serde_json::json!({
            "valid": true,
            "nik": "3574014506900001",
            "province_code": "35",
            "province": "Jawa Timur",
            "regency_code": "74",
            "district_code": "01",
            "birth_date": "1990-06-05",
            "gender": "female",
            "serial": "0001",
            "century_ambiguous": false,
            "note": null
        })
    );
}

#[test]
fn global_json_flag_before_subcommand_and_separators() {
    let (code, out, _) = koperasi(&[
        "--json",
        "nik",
        "check",
        "93.01.05-120305-0042",
        "--as-of",
        "2026-01-05",
    ]);
    assert_eq!(code, 0);
    let v = json(&out);
    assert_eq!(v["province"], "Papua Selatan");
    assert_eq!(v["birth_date"], "2005-03-12");
    assert_eq!(v["gender"], "male");
    assert_eq!(v["serial"], "0042");
}

#[test]
fn invalid_nik_json_exit_1() {
    for (nik, kind) in [
        ("3574014506900000", "nik_zero_serial"),
        ("357401450690000", "nik_length"),
        ("3774014506900001", "nik_unknown_province"),
        ("3574013104900001", "nik_birth_date"),
        ("3574018006900001", "nik_birth_day"),
        ("3574014513900001", "nik_birth_month"),
        ("3500014506900001", "nik_zero_regency"),
        ("3574004506900001", "nik_zero_district"),
        ("35740145O6900001", "nik_non_digit"),
    ] {
        let (code, out, _) = koperasi(&["nik", "check", nik, "--as-of", "2026-01-05", "--json"]);
        assert_eq!(code, 1, "{nik}");
        let v = json(&out);
        assert_eq!(v["valid"], false, "{nik}");
        assert_eq!(v["error"]["kind"], kind, "{nik}");
        assert!(
            v["error"]["message"].as_str().unwrap().contains("NIK"),
            "{nik}"
        );
    }
}

#[test]
fn invalid_as_of() {
    let (code, out, _) = koperasi(&[
        "nik",
        "check",
        "3574014506900001",
        "--as-of",
        "2026-13-01",
        "--json",
    ]);
    // A malformed option value is a usage error: exit 2, the contract's error object.
    assert_eq!(code, 2);
    let v = json(&out);
    assert_eq!(v["error"]["kind"], "invalid_date");
    assert_eq!(v["error"]["class"], "usage");
}

#[test]
fn text_output() {
    let (code, out, _) = koperasi(&["nik", "check", "3574014506900001", "--as-of", "2026-01-05"]);
    assert_eq!(code, 0);
    assert!(out.contains("35 Jawa Timur"), "{out}");
    assert!(out.contains("1990-06-05"), "{out}");
    assert!(out.contains("perempuan"), "{out}");
    let (code, out, err) = koperasi(&["nik", "check", "3574014506900000"]);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(err.contains("serial"), "{err}");
}

#[test]
fn default_as_of_is_today() {
    let (code, out, _) = koperasi(&["nik", "check", "3574014506900001", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(json(&out)["birth_date"], "1990-06-05");
}

/// Regression (issue 19): `nik check --json` dropped the century note the text output shows.
#[test]
fn regression_nik_json_keeps_the_century_note() {
    let args = ["nik", "check", "3574014506100001", "--as-of", "2026-01-05"];
    let (code, text, _) = koperasi(&args);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("abad tahun lahir ambigu"), "{text}");
    let mut with_json = args.to_vec();
    with_json.push("--json");
    let (code, out, _) = koperasi(&with_json);
    assert_eq!(code, 0);
    let v = json(&out);
    assert_eq!(v["century_ambiguous"], true);
    assert!(
        v["note"]
            .as_str()
            .unwrap()
            .contains("abad tahun lahir ambigu"),
        "{out}"
    );
}
