//! `koperasi store import|export|verify|snapshot` end to end on a database file.

use std::process::Command;

fn koperasi(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_koperasi"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn import_export_verify_round_trip_and_tampering_fails_verify() {
    let dir = std::env::temp_dir().join(format!("koperasi-cli-store-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("koperasi.db");
    let db = db.to_str().unwrap();
    let sim =
        koperasi_sim::simulate_cooperative(&koperasi_sim::SimConfig::new(1, 10, 5), 0).unwrap();
    let text = sim.book.to_json_lines().unwrap();
    let file = dir.join("buku.jsonl");
    std::fs::write(&file, &text).unwrap();

    let (code, stdout, stderr) = koperasi(&[
        "store",
        "import",
        "--db",
        db,
        file.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let id = v["imported"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(id, sim.book.config().cooperative.to_string());

    let (code, stdout, _) = koperasi(&["store", "export", "--db", db, "--koperasi", &id]);
    assert_eq!(code, 0);
    assert_eq!(stdout, text);

    let (code, stdout, _) = koperasi(&["store", "verify", "--db", db, "--json"]);
    assert_eq!(code, 0, "{stdout}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["ok"], true);
    let coop = &v["cooperatives"][0];
    assert_eq!(coop["id"], id);
    assert_eq!(coop["audit_root"], sim.book.audit_head().root.to_string());
    assert_eq!(coop["events"], sim.book.events().len());
    assert!(coop["problems"].as_array().unwrap().is_empty());

    // A snapshot at the latest event: listed, and verify still agrees with it.
    let (code, stdout, stderr) = koperasi(&["store", "snapshot", "--db", db, "--json"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let snap = &v["snapshots"][0];
    assert_eq!(snap["id"], id);
    assert_eq!(snap["event_seq"], sim.book.events().len());
    assert_eq!(snap["audit_root"], sim.book.audit_head().root.to_string());
    let (code, stdout, _) = koperasi(&["store", "snapshot", "--db", db, "--koperasi", &id]);
    assert_eq!(code, 0);
    assert!(stdout.contains("cuplikan pada kejadian"), "{stdout}");
    let (code, stdout, _) = koperasi(&["store", "verify", "--db", db, "--json"]);
    assert_eq!(code, 0, "{stdout}");

    // A projection edited behind the triggers' back: verify reports it and exits 1.
    {
        let c = insert_ghost_member(db);
        assert!(c, "could not edit the database");
    }
    let (code, stdout, _) = koperasi(&["store", "verify", "--db", db]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("GAGAL"), "{stdout}");

    // Bad input: an unknown cooperative, a file that is not a database.
    let (code, _, stderr) = koperasi(&[
        "store",
        "export",
        "--db",
        db,
        "--koperasi",
        "00000000-0000-0000-0000-000000000009",
    ]);
    assert_eq!(code, 1, "{stderr}");
    let junk = dir.join("junk.db");
    std::fs::write(&junk, vec![7u8; 8192]).unwrap();
    let (code, _, stderr) = koperasi(&["store", "verify", "--db", junk.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(stderr.contains("corrupt"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Inserts a member the log never registered (the members projection is current state, so
/// no trigger stops it; `verify` must).
fn insert_ghost_member(db: &str) -> bool {
    let c = rusqlite::Connection::open(db).unwrap();
    c.execute_batch(
        "INSERT INTO members (koperasi_id, member_id, name, status, pokok_paid_on, pokok, wajib, sukarela, event_seq) SELECT koperasi_id, '00000000-0000-0000-0000-0000000000ff', 'Hantu', 'member', NULL, 0, 0, 0, 1 FROM koperasi",
    )
    .is_ok()
}
