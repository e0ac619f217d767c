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
    assert_eq!(code, 2, "a malformed --as-of is a usage error");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["error"]["kind"], "invalid_date");
}

/// A scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("koperasi-ledger-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The sample journal without its last entry and its head line (a file cut short).
fn cut_short(dir: &std::path::Path) -> PathBuf {
    let text = std::fs::read_to_string(sample()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let kept: Vec<&str> = lines[..lines.len() - 2].to_vec();
    assert!(lines[lines.len() - 1].contains("\"head\""));
    let path = dir.join("short.jsonl");
    std::fs::write(&path, kept.join("\n") + "\n").unwrap();
    path
}

fn signer() -> koperasi::ledger::audit::NoteSigner {
    let key = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
    koperasi::ledger::audit::NoteSigner::new("kdmp-sukamaju", key).unwrap()
}

/// Writes a signed checkpoint of `cp` and returns its path and the signer's vkey.
fn signed(dir: &std::path::Path, cp: &koperasi::ledger::audit::Checkpoint) -> (PathBuf, String) {
    let s = signer();
    let path = dir.join("checkpoint.txt");
    std::fs::write(&path, cp.sign(&s)).unwrap();
    (path, s.verifier().to_vkey())
}

fn sample_ledger() -> koperasi::ledger::Ledger {
    koperasi::ledger::Ledger::from_jsonl(&std::fs::read_to_string(sample()).unwrap()).unwrap()
}

/// Regression (issue 19): `ledger check` said OK on a file cut short (or without its head
/// line) and did not say that only internal consistency was checked.
#[test]
fn regression_check_without_pins_says_only_internal_consistency() {
    let dir = scratch("internal");
    let short = cut_short(&dir);
    let (code, out, _) = run(&["--json", "ledger", "check", short.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(
        v["note"]
            .as_str()
            .unwrap()
            .contains("only internal consistency"),
        "{out}"
    );
    assert_eq!(v["checkpoint"], serde_json::Value::Null);
    let (_, out, _) = run(&["ledger", "check", short.to_str().unwrap()]);
    assert!(out.contains("hanya konsistensi internal"), "{out}");
}

/// Regression (issue 19): `--expected-root` pins the journal; a file cut short fails.
#[test]
fn regression_expected_root_catches_a_file_cut_short() {
    let dir = scratch("root");
    let root = sample_ledger().audit().tree_head().root.to_string();
    let file = sample();
    let (code, out, _) = run(&[
        "--json",
        "ledger",
        "check",
        file.to_str().unwrap(),
        "--expected-root",
        &root,
    ]);
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["expected_root"], true);
    assert!(v["note"].is_null());
    let short = cut_short(&dir);
    let (code, out, _) = run(&[
        "--json",
        "ledger",
        "check",
        short.to_str().unwrap(),
        "--expected-root",
        &root,
    ]);
    assert_eq!(code, 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["error"]["kind"], "root_mismatch");
    // A malformed root is a usage error, found before the file is read.
    let (code, out, _) = run(&[
        "--json",
        "ledger",
        "check",
        "/nonexistent.jsonl",
        "--expected-root",
        "abc",
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("invalid_root"), "{out}");
}

/// Regression (issue 19): `--checkpoint FILE --key VKEY` verifies a signed checkpoint; a
/// journal cut short, a wrong key and a forged balances root fail.
#[test]
fn regression_signed_checkpoint_pins_the_journal() {
    use koperasi::ledger::audit::Checkpoint;
    let dir = scratch("checkpoint");
    let books = sample_ledger();
    let cp = books
        .checkpoint("koperasi.example/kdmp-sukamaju/ledger")
        .unwrap();
    let (cp_path, vkey) = signed(&dir, &cp);
    let file = sample();
    let args = |journal: &PathBuf, key: &str| {
        run(&[
            "--json",
            "ledger",
            "check",
            journal.to_str().unwrap(),
            "--checkpoint",
            cp_path.to_str().unwrap(),
            "--key",
            key,
        ])
    };
    let (code, out, _) = args(&file, &vkey);
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["checkpoint"]["size"], cp.size());
    assert_eq!(v["checkpoint"]["signer"], "kdmp-sukamaju");
    // The key may also be given as a file.
    let key_file = dir.join("key.vkey");
    std::fs::write(&key_file, format!("{vkey}\n")).unwrap();
    let (code, out, _) = args(&file, key_file.to_str().unwrap());
    assert_eq!(code, 0, "{out}");

    let (code, out, _) = args(&cut_short(&dir), &vkey);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("\"checkpoint_size\""), "{out}");

    let other = koperasi::ledger::audit::NoteSigner::new(
        "kdmp-sukamaju",
        ed25519_dalek::SigningKey::from_bytes(&[9u8; 32]),
    )
    .unwrap();
    let (code, out, _) = args(&file, &other.verifier().to_vkey());
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("\"checkpoint_invalid\""), "{out}");

    // A correctly signed checkpoint whose balances root does not follow from the entries.
    let wrong = books.balance_tree(1).unwrap().root();
    let forged = Checkpoint::new(cp.origin(), cp.tree_head())
        .unwrap()
        .with_balances_root(wrong)
        .unwrap();
    let (cp_path, vkey) = signed(&dir, &forged);
    let (code, out, _) = run(&[
        "--json",
        "ledger",
        "check",
        file.to_str().unwrap(),
        "--checkpoint",
        cp_path.to_str().unwrap(),
        "--key",
        &vkey,
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("\"checkpoint_balances\""), "{out}");

    // --checkpoint without --key is a usage error.
    let (code, out, _) = run(&[
        "--json",
        "ledger",
        "check",
        file.to_str().unwrap(),
        "--checkpoint",
        cp_path.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{out}");
}

/// Regression (issue 19): a duplicate entry failed with "(idempotent success)".
#[test]
fn regression_duplicate_entry_is_named_not_idempotent_success() {
    let dir = scratch("duplicate");
    let text = std::fs::read_to_string(sample()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut dup: Vec<&str> = lines[..3].to_vec();
    dup.push(lines[2]);
    let path = dir.join("dup.jsonl");
    std::fs::write(&path, dup.join("\n") + "\n").unwrap();
    let (code, out, _) = run(&["--json", "ledger", "check", path.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["error"]["kind"], "duplicate_entry");
    let msg = v["error"]["message"].as_str().unwrap();
    assert!(msg.contains("journal line 4"), "{msg}");
    assert!(!msg.contains("idempotent"), "{msg}");
    let (code, _, err) = run(&[
        "journal",
        "export",
        "--format",
        "hledger",
        path.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("appears a second time"), "{err}");
}
