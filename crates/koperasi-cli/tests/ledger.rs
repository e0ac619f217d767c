//! `koperasi ledger check|trial-balance` on the sample journal.

use std::path::PathBuf;
use std::process::Command;

fn sample() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../testdata/koperasi-ledger/kdmp-2025.jsonl")
}

fn run(args: &[&str]) -> (i32, String, String) {
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

#[test]
fn check_ok_json() {
    let file = sample();
    let (code, out, _) = run(&["ledger", "check", file.to_str().unwrap(), "--json"]);
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["ok"], true);
    assert_eq!(v["entries"], 16);
    assert_eq!(v["root"].as_str().unwrap().len(), 64);
    let (code, out, _) = run(&["ledger", "check", file.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(out.starts_with("OK: 16 entri"), "{out}");
}

#[test]
fn check_reports_tampering_with_line_number() {
    let text = std::fs::read_to_string(sample()).unwrap();
    let forged = text.replace("\"Listrik Juni\"", "\"Listrik Juli\"");
    assert_ne!(forged, text);
    let dir = std::env::temp_dir().join(format!("koperasi-ledger-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("forged.jsonl");
    std::fs::write(&path, forged).unwrap();
    let (code, out, _) = run(&["ledger", "check", path.to_str().unwrap(), "--json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["error"]["kind"], "journal");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("journal line 18"),
        "{out}"
    );
    let (code, _, err) = run(&["ledger", "check", path.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("journal line 18"), "{err}");
    let (code, _, err) = run(&[
        "ledger",
        "check",
        dir.join("missing.jsonl").to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("missing.jsonl"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn trial_balance_json_shape() {
    let file = sample();
    let (code, out, _) = run(&["ledger", "trial-balance", file.to_str().unwrap(), "--json"]);
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["as_of"], "2025-12-31");
    let rows = v["rows"].as_array().unwrap();
    assert!(!rows.is_empty());
    for r in rows {
        for k in ["account", "name", "debit", "credit"] {
            assert!(r[k].is_string(), "{r}");
        }
    }
    assert_eq!(v["totals"]["debit"], v["totals"]["credit"]);
    let kas = rows.iter().find(|r| r["account"] == "1-1-01").unwrap();
    assert_eq!(kas["name"], "Kas");
    // 450,000 in − 405,000 − 150,000 + 280,000 … exact decimal strings
    assert!(kas["debit"].as_str().unwrap().ends_with(".00"));
    // SHU tahun berjalan carries the year's result after the close
    assert!(rows.iter().any(|r| r["account"] == "3-2-02"));
    assert!(
        !rows
            .iter()
            .any(|r| r["account"].as_str().unwrap().starts_with('4'))
    );

    // before the close: revenue still open
    let (code, out, _) = run(&[
        "ledger",
        "trial-balance",
        file.to_str().unwrap(),
        "--as-of",
        "2025-06-30",
        "--json",
    ]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["account"] == "4-1-02")
    );

    let (code, out, _) = run(&["ledger", "trial-balance", file.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(out.contains("Neraca saldo per 2025-12-31"));
    assert!(out.contains("Jumlah"));

    let (code, out, _) = run(&[
        "ledger",
        "trial-balance",
        file.to_str().unwrap(),
        "--as-of",
        "31-12-2025",
        "--json",
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["error"]["kind"], "invalid_date");
}
