//! CLI tests of `koperasi journal`.

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

fn temp(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("koperasi-journal-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_owned()
}

const JOURNAL: &str = "\
; KDMP Sukamaju, Januari 2026
commodity IDR 1000.00
account Aset:Kas

2026-01-05 * (BKM-001) Setoran simpanan pokok Siti Rahayu
    Aset:Kas                   IDR 100000.00
    Ekuitas:Simpanan Pokok    IDR -100000.00 = IDR -100000.00

2026-01-06 ! Pembelian ATK
    Beban:Administrasi         IDR 12500.50
    Aset:Kas
";

#[test]
fn balance_text_and_json() {
    let f = temp("ok.journal", JOURNAL);
    let (code, out, err) = koperasi(&["journal", "balance", &f]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Aset:Kas"), "{out}");
    assert!(out.contains("Rp87.499,50"), "{out}");
    let (code, out, _) = koperasi(&["--json", "journal", "balance", &f]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["transactions"], 2);
    assert_eq!(v["postings"], 4);
    assert_eq!(v["total"], "0.00");
    let rows = v["accounts"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["account"], "Aset:Kas");
    assert_eq!(rows[0]["balance"], "87499.50");
    assert_eq!(rows[1]["account"], "Beban:Administrasi");
}

#[test]
fn balance_rejects_with_line_number() {
    let f = temp("bad.journal", "2026-01-01 x\n    a  IDR 1 @ USD 1\n    b\n");
    let (code, _, err) = koperasi(&["journal", "balance", &f]);
    assert_eq!(code, 1);
    assert!(
        err.contains("line 2") && err.contains("unsupported"),
        "{err}"
    );
    let (code, out, _) = koperasi(&["--json", "journal", "balance", &f]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["error"]["kind"], "journal");
    let (code, _, err) = koperasi(&["journal", "balance", "/nonexistent/x.journal"]);
    assert_eq!(code, 1);
    assert!(err.contains("/nonexistent/x.journal"));
}

fn ledger_file() -> String {
    format!(
        "{}/../../testdata/koperasi-ledger/kdmp-2025.jsonl",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn export_hledger_reads_back_balanced() {
    let (code, out, err) = koperasi(&["journal", "export", "--format", "hledger", &ledger_file()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("commodity IDR"));
    let f = temp("export.journal", &out);
    let (code, out, err) = koperasi(&["--json", "journal", "balance", &f]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["total"], "0.00");
    assert!(v["transactions"].as_u64().unwrap() > 0);
    let (code, out, _) = koperasi(&[
        "--json",
        "journal",
        "export",
        "--format",
        "hledger",
        &ledger_file(),
    ]);
    assert_eq!(code, 0);
    let e: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(e["entries"], v["transactions"]);
}

#[test]
fn export_beancount() {
    let (code, out, err) =
        koperasi(&["journal", "export", "--format", "beancount", &ledger_file()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("option \"operating_currency\" \"IDR\""));
    assert!(out.contains(" open Assets:1-1-01-Kas IDR"));
}

#[test]
fn export_errors() {
    let f = temp("not-a-ledger.jsonl", "{\"type\": \"nope\"}\n");
    let (code, _, err) = koperasi(&["journal", "export", "--format", "hledger", &f]);
    assert_eq!(code, 1);
    assert!(err.contains("not-a-ledger.jsonl"), "{err}");
    let (code, _, _) = koperasi(&["journal", "export", "--format", "csv", &f]);
    assert_eq!(code, 2);
}
