//! `koperasi export simkopdes`: the SIMKOPDES fields from a book's event log.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

use koperasi_sim::{SimConfig, simulate_cooperative};

#[test]
fn simkopdes_export_from_a_book() {
    let coop = simulate_cooperative(&SimConfig::new(1, 20, 5), 0).unwrap();
    let dir = std::env::temp_dir().join(format!("koperasi-simkopdes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let book = dir.join("events.jsonl");
    std::fs::write(&book, coop.book.to_json_lines().unwrap()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_koperasi"))
        .args([
            "--json",
            "export",
            "simkopdes",
            "--as-of",
            "2026-12-31",
            "--book",
        ])
        .arg(&book)
        .arg("--out")
        .arg(dir.join("out"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let registered = coop.book.registry().members().count();
    assert_eq!(v["members"], registered);
    assert_eq!(v["units"], 7);
    let members = std::fs::read_to_string(dir.join("out/members.csv")).unwrap();
    assert_eq!(
        members.lines().next().unwrap(),
        "nik,name,status,registered_on,admitted_on"
    );
    assert_eq!(members.lines().count(), registered + 1);
    // NIKs are masked by default: no full NIK of the book appears.
    for m in coop.book.registry().members() {
        assert!(!members.contains(&m.nik().to_string()));
    }
    // The wajib bills: balance + arrears covers what was billed; paid means no arrears.
    let bills = std::fs::read_to_string(dir.join("out/savings_bills.csv")).unwrap();
    for row in bills.lines().skip(1) {
        let f: Vec<&str> = row.split(',').collect();
        let arrears: f64 = f[7].parse().unwrap();
        assert_eq!(f[8] == "true", arrears == 0.0, "{row}");
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("out/simkopdes.json")).unwrap())
            .unwrap();
    assert!(
        json["notice"]
            .as_str()
            .unwrap()
            .contains("tidak mengunggah")
    );
    assert!(
        json["officers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["office"] == "Ketua")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
