//! `koperasi reconcile` on the fixtures of `testdata/reconcile/`: exit 0 when everything
//! reconciles, 1 when items remain (with the report), 2 on unusable input.

use std::path::PathBuf;
use std::process::Command;

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata/reconcile")
        .join(name)
        .display()
        .to_string()
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_koperasi"))
        .arg("reconcile")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn unmatched_items_exit_1_with_the_report() {
    let (code, out, err) = run(&[
        "--ledger",
        &fixture("sukamaju-2025-01.jsonl"),
        "--account",
        "1-1-02",
        "--statement",
        &fixture("bri-2025-01.csv"),
        "--mapping",
        "bri",
        "--json",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["saldo_bank"], "21534375.65");
    assert_eq!(v["proposed_entries"].as_array().unwrap().len(), 4);
    assert_eq!(v["unmatched_books"].as_array().unwrap().len(), 1);
    assert_eq!(v["unexplained"], "0.00");
    let (code, out, _) = run(&[
        "--ledger",
        &fixture("sukamaju-2025-01.jsonl"),
        "--account",
        "1-1-02",
        "--statement",
        &fixture("bri-2025-01.csv"),
        "--mapping",
        "bri",
    ]);
    assert_eq!(code, 1);
    assert!(
        out.contains("BELUM COCOK") && out.contains("Jurnal usulan"),
        "{out}"
    );
}

#[test]
fn everything_reconciles_exit_0() {
    let dir = std::env::temp_dir().join(format!("koperasi-reconcile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let html = dir.join("r.html");
    let xlsx = dir.join("r.xlsx");
    let (code, out, err) = run(&[
        "--ledger",
        &fixture("sukamaju-2025-01-posted.jsonl"),
        "--account",
        "1-1-02",
        "--statement",
        &fixture("sukamaju-2025-01.sta"),
        "--html",
        html.to_str().unwrap(),
        "--xlsx",
        xlsx.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("Status: COCOK"), "{out}");
    assert!(std::fs::read_to_string(&html).unwrap().contains("COCOK"));
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn broken_saldo_exits_1_and_reports_the_line() {
    let (code, out, _) = run(&[
        "--ledger",
        &fixture("sukamaju-2025-01.jsonl"),
        "--account",
        "1-1-02",
        "--statement",
        &fixture("bri-broken-saldo.csv"),
        "--mapping",
        "bri",
        "--json",
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let p = &v["problems"][0];
    assert_eq!(p["kind"], "saldo_break");
    assert_eq!(p["severity"], "error");
    assert_eq!(p["source"]["line"], 4);
}

#[test]
fn unusable_input_exits_2() {
    // a CSV without a mapping
    let (code, _, err) = run(&[
        "--ledger",
        &fixture("sukamaju-2025-01.jsonl"),
        "--account",
        "1-1-02",
        "--statement",
        &fixture("bri-2025-01.csv"),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--mapping"), "{err}");
    // a statement that is not MT940
    let (code, out, _) = run(&[
        "--ledger",
        &fixture("sukamaju-2025-01.jsonl"),
        "--account",
        "1-1-02",
        "--statement",
        &fixture("bri-2025-01.csv"),
        "--format",
        "mt940",
        "--json",
    ]);
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["error"]["kind"], "mt940");
    // an unknown account
    let (code, _, err) = run(&[
        "--ledger",
        &fixture("sukamaju-2025-01.jsonl"),
        "--account",
        "9-9-99",
        "--statement",
        &fixture("sukamaju-2025-01.sta"),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("9-9-99"), "{err}");
    // a mapping file
    let dir = std::env::temp_dir().join(format!("koperasi-reconcile-map-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let map = dir.join("bri.toml");
    std::fs::write(
        &map,
        "name = \"bri-file\"\nseparator = \";\"\ndate_format = \"%d/%m/%y\"\ndecimal_mark = \",\"\n\
         thousands = \".\"\ndate = \"Tanggal Transaksi\"\ndescription = [\"Uraian Transaksi\"]\n\
         balance = \"Saldo\"\namounts = { debit = \"Debet\", credit = \"Kredit\" }\n",
    )
    .unwrap();
    let (code, out, err) = run(&[
        "--ledger",
        &fixture("sukamaju-2025-01.jsonl"),
        "--account",
        "1-1-02",
        "--statement",
        &fixture("bri-2025-01.csv"),
        "--mapping",
        map.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["proposed_entries"].as_array().unwrap().len(), 4);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn qris_report_against_the_receivable() {
    let (code, out, err) = run(&[
        "--ledger",
        &fixture("sukamaju-2025-01-posted.jsonl"),
        "--account",
        "1-1-09",
        "--statement",
        &fixture("qris-2025-01-14.csv"),
        "--format",
        "qris",
        "--json",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["matched"].as_array().unwrap().len(), 41);
    assert_eq!(v["reconciled"], true);
}
