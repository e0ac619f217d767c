//! `koperasi demo`: a small city, its JSON summary and its report files.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

fn koperasi() -> Command {
    Command::new(env!("CARGO_BIN_EXE_koperasi"))
}

#[test]
fn demo_writes_the_city_reports() {
    let dir = std::env::temp_dir().join(format!("koperasi-demo-test-{}", std::process::id()));
    let out = koperasi()
        .args([
            "--json",
            "demo",
            "--coops",
            "2",
            "--members-per-coop",
            "20",
            "--seed",
            "7",
            "--out",
        ])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["cooperatives"], 2);
    assert_eq!(v["controls_reconcile"], true);
    assert_eq!(v["audit_roots"].as_array().unwrap().len(), 2);
    for f in [
        "index.html",
        "kota.json",
        "kota.csv",
        "kota.md",
        "audit.csv",
    ] {
        assert!(std::fs::metadata(dir.join(f)).unwrap().len() > 0, "{f}");
    }
    let audit = std::fs::read_to_string(dir.join("audit.csv")).unwrap();
    assert_eq!(audit.lines().count(), 3);
    // Same seed, same city: the audit roots repeat.
    let again = koperasi()
        .args([
            "--json",
            "demo",
            "--coops",
            "2",
            "--members-per-coop",
            "20",
            "--seed",
            "7",
            "--out",
        ])
        .arg(&dir)
        .output()
        .unwrap();
    let w: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(v["audit_roots"], w["audit_roots"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn demo_text_summary_is_indonesian() {
    let dir = std::env::temp_dir().join(format!("koperasi-demo-text-{}", std::process::id()));
    let out = koperasi()
        .args(["demo", "--coops", "1", "--members-per-coop", "15", "--out"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Pemantauan Kota Probolinggo"), "{text}");
    assert!(text.contains("akun kontrol cocok: 1/1"), "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn demo_rejects_zero_cooperatives() {
    let out = koperasi()
        .args(["--json", "demo", "--coops", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["kind"], "invalid_argument");
}
