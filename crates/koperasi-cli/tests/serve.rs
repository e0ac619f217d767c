//! `koperasi serve` over a store: without `--demo` and without any user it refuses to start,
//! naming the flag that creates the first city administrator — and creates no file.

use std::process::Command;

#[test]
fn serve_without_demo_and_without_users_exits_with_the_admin_flag_named() {
    let dir = std::env::temp_dir().join(format!("koperasi-cli-serve-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("kota.db");
    // the address is never bound: the refusal comes first
    let out = Command::new(env!("CARGO_BIN_EXE_koperasi"))
        .args([
            "serve",
            "--db",
            db.to_str().unwrap(),
            "--listen",
            "127.0.0.1:9",
        ])
        .env_remove("KOPERASI_ADMIN_PASSWORD")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("--admin"), "{stderr}");
    assert!(stderr.contains("tidak ada pengguna"), "{stderr}");
    assert!(stderr.contains("no user in the store"), "{stderr}");
    assert!(!db.exists(), "no store file was created");
    // an existing store without users: the same refusal
    koperasi_store::Store::open(db.to_str().unwrap()).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_koperasi"))
        .args(["serve", "--db", db.to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["kind"], "no_users", "{v}");
    // --admin and --demo do not go together
    let out = Command::new(env!("CARGO_BIN_EXE_koperasi"))
        .args(["serve", "--demo", "--admin", "kepala", "--db", "memory"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}
