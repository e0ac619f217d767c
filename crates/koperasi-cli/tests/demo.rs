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
        "kota_cooperatives.csv",
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

fn demo(dir: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let members: &[&str] = if extra.contains(&"--members-per-coop") {
        &[]
    } else {
        &["--members-per-coop", "12"]
    };
    koperasi()
        .args(["--json", "demo", "--seed", "3"])
        .args(members)
        .args(extra)
        .arg("--out")
        .arg(dir)
        .output()
        .unwrap()
}

fn tmp(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("koperasi-{name}-{}", std::process::id()))
}

/// Issue 19: every option's range is checked before any work, with a message naming the
/// option and its limits.
#[test]
fn demo_rejects_out_of_range_options_before_any_work() {
    let dir = tmp("demo-range");
    for (args, option) in [
        (&["--coops", "10000000"][..], "--coops"),
        (&["--coops", "0"][..], "--coops"),
        (&["--members-per-coop", "10000"][..], "--members-per-coop"),
        (&["--year", "1900"][..], "--year"),
        (&["--year", "3000"][..], "--year"),
        (&["--threads", "100000"][..], "--threads"),
        (
            &["--coops", "500", "--members-per-coop", "5000"][..],
            "--coops × --members-per-coop",
        ),
    ] {
        let start = std::time::Instant::now();
        let out = demo(&dir, args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["error"]["kind"], "invalid_argument");
        let msg = v["error"]["message"].as_str().unwrap();
        assert!(
            msg.starts_with(option) && (msg.contains(" between ") || msg.contains(" at most ")),
            "{msg}"
        );
        assert!(!dir.exists(), "nothing written for {args:?}");
        assert!(start.elapsed().as_secs() < 30);
    }
}

/// Issue 14/19: one table per CSV file with a header row and English `snake_case` column
/// names in every CSV; SIMULASI on every output; each cooperative's ledger and event log,
/// whose audit root `ledger check` confirms; no carriage returns when stderr is not a
/// terminal; Indonesian decimals in the summary.
#[test]
fn demo_outputs_are_labelled_split_and_checkable() {
    let dir = tmp("demo-files");
    let out = koperasi()
        .args([
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
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("SIMULASI"), "{text}");
    let npl = text.split("(NPL ").nth(1).unwrap();
    assert!(!npl.split(')').next().unwrap().contains('.'), "{text}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains('\r'));
    let snake = |h: &str| {
        h.split(',').all(|c| {
            !c.is_empty()
                && c.chars()
                    .all(|x| x.is_ascii_lowercase() || x.is_ascii_digit() || x == '_')
        })
    };
    let mut csvs = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "csv") {
            csvs += 1;
            let body = std::fs::read_to_string(&p).unwrap();
            let header = body.lines().next().unwrap();
            assert!(snake(header), "{}: {header}", p.display());
            assert!(header.ends_with(",simulated"), "{}", p.display());
            assert!(
                !body.contains("\n\n") && !body.contains("\n#"),
                "{}",
                p.display()
            );
        }
    }
    assert_eq!(csvs, 8);
    for f in ["index.html", "kota.md"] {
        assert!(
            std::fs::read_to_string(dir.join(f))
                .unwrap()
                .contains("SIMULASI"),
            "{f}"
        );
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("kota.json")).unwrap()).unwrap();
    assert_eq!(json["simulated"], true);
    let audit = std::fs::read_to_string(dir.join("audit.csv")).unwrap();
    for row in audit.lines().skip(1) {
        let cols: Vec<&str> = row.split(',').collect();
        let code = cols[0];
        let root = cols[5];
        let coop = dir.join("koperasi").join(code);
        for f in ["neraca.html", "phu.txt", "audit.txt", "rat_2026.html"] {
            assert!(
                std::fs::read_to_string(coop.join(f))
                    .unwrap()
                    .contains("SIMULASI"),
                "{f}"
            );
        }
        assert!(coop.join("events.jsonl").exists());
        let check = koperasi()
            .args(["--json", "ledger", "check"])
            .arg(coop.join("ledger.jsonl"))
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "{}",
            String::from_utf8_lossy(&check.stdout)
        );
        let v: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
        assert_eq!(v["root"], root, "{code}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Issue 19: re-running into the same folder with fewer cooperatives removes the files the
/// earlier run wrote and this one did not, and nothing else.
#[test]
fn demo_rerun_removes_its_own_stale_files_only() {
    let dir = tmp("demo-rerun");
    assert!(demo(&dir, &["--coops", "3"]).status.success());
    let mine = dir.join("catatan-saya.txt");
    std::fs::write(&mine, "jangan dihapus").unwrap();
    let count = || std::fs::read_dir(dir.join("koperasi")).unwrap().count();
    assert_eq!(count(), 3);
    assert!(demo(&dir, &["--coops", "1"]).status.success());
    assert_eq!(count(), 1);
    assert!(mine.exists());
    std::fs::remove_dir_all(&dir).unwrap();
}
