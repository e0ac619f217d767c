//! `koperasi rat`: the RAT package of a closed year from a book's event log.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::{Command, Output};

use koperasi_sim::{SimConfig, simulate_cooperative};

fn koperasi(args: &[&str], extra: &[&Path]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_koperasi"));
    c.args(args);
    for p in extra {
        c.arg(p);
    }
    c.output().unwrap()
}

#[test]
fn rat_package_from_a_book() {
    let coop = simulate_cooperative(&SimConfig::new(6, 40, 17), 0).unwrap();
    let dir = std::env::temp_dir().join(format!("koperasi-rat-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let book = dir.join("events.jsonl");
    std::fs::write(&book, coop.book.to_json_lines().unwrap()).unwrap();
    let answers = dir.join("management.json");
    std::fs::write(&answers, serde_json::to_string(&coop.management).unwrap()).unwrap();
    let out_dir = dir.join("out");

    let out = Command::new(env!("CARGO_BIN_EXE_koperasi"))
        .args(["--json", "rat", "--year", "2026", "--simulated", "--events"])
        .arg(&book)
        .arg("--management")
        .arg(&answers)
        .arg("--out")
        .arg(&out_dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["year"], 2026);
    assert_eq!(v["simulated"], true);
    assert!(v["members"].as_u64().unwrap() >= 15);
    assert!(v["health"].is_string(), "{}", v["health"]);
    let html = std::fs::read_to_string(out_dir.join("rat_2026.html")).unwrap();
    assert!(html.contains("SIMULASI") && html.contains("Laporan Tahunan Anggota"));
    for m in coop.book.registry().members() {
        assert!(!html.contains(m.nik().as_str()), "NIK in full");
    }
    let xlsx = std::fs::read(out_dir.join("rat_2026.xlsx")).unwrap();
    assert_eq!(xlsx.get(..2), Some(&b"PK"[..]));
    let csv: Vec<_> = std::fs::read_dir(out_dir.join("rat_2026_csv"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(
        csv.iter().any(|n| n.contains("simpanan_anggota")),
        "{csv:?}"
    );

    // A member reading their own package: their NIK in full, nobody else's statement.
    let m = coop
        .book
        .registry()
        .members()
        .find(|m| m.status() == koperasi::membership::MemberStatus::Member)
        .unwrap();
    let reader = format!("member:{}", m.id());
    let mine_dir = dir.join("mine");
    let out = Command::new(env!("CARGO_BIN_EXE_koperasi"))
        .args(["--json", "rat", "--year", "2026", "--format", "html"])
        .args(["--reader", &reader, "--events"])
        .arg(&book)
        .arg("--out")
        .arg(&mine_dir)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["members"], 1);
    assert!(v["health"].is_null());
    let html = std::fs::read_to_string(mine_dir.join("rat_2026.html")).unwrap();
    assert!(html.contains(m.nik().as_str()));
    assert!(!mine_dir.join("rat_2026.xlsx").exists());

    // Errors: a year not closed (exit 1, typed), a bad reader or format (usage, exit 2).
    let out = koperasi(
        &["--json", "rat", "--year", "2027", "--out", "x", "--events"],
        &[&book],
    );
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("has not ended"),
        "{v}"
    );
    for bad in [
        ["--reader", "boss"],
        ["--format", "pdf"],
        ["--reader", "member:42"],
    ] {
        let out = koperasi(
            &[
                "rat", "--year", "2026", "--out", "x", bad[0], bad[1], "--events",
            ],
            &[&book],
        );
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
