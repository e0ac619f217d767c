//! The command's error contract (README "Errors and exit codes"): exit 0 success, 1 failure,
//! 2 usage error; one `error: …` line on stderr, or with `--json` anywhere on the command
//! line the object `{"error": {"kind", "message", "class"}}` on stdout; a closed stdout ends
//! the command quietly with its own exit code.

use std::ffi::OsString;
use std::io::Read as _;
use std::process::{Command, Stdio};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn koperasi_os(args: &[OsString]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_koperasi"))
        .args(args)
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn koperasi(args: &[&str]) -> Run {
    koperasi_os(&args.iter().map(OsString::from).collect::<Vec<_>>())
}

/// Asserts the JSON error object of the contract and returns its `kind`.
fn json_error(r: &Run, class: &str, code: i32) -> String {
    assert_eq!(r.code, code, "stdout {} stderr {}", r.stdout, r.stderr);
    assert!(r.stderr.is_empty(), "stderr must stay empty: {}", r.stderr);
    assert_eq!(r.stdout.lines().count(), 1, "one JSON line: {}", r.stdout);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let obj = v.as_object().unwrap();
    assert_eq!(obj.len(), 1, "only the error key: {v}");
    let e = v["error"].as_object().unwrap();
    let mut keys: Vec<&str> = e.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["class", "kind", "message"]);
    assert_eq!(e["class"], class);
    let msg = e["message"].as_str().unwrap();
    assert!(
        !msg.is_empty() && !msg.contains('\n'),
        "one-line message: {msg:?}"
    );
    e["kind"].as_str().unwrap().to_owned()
}

/// Asserts a plain-text error: nothing on stdout, `error: …` first on stderr.
fn text_error(r: &Run, code: i32) {
    assert_eq!(r.code, code, "stdout {} stderr {}", r.stdout, r.stderr);
    assert!(r.stdout.is_empty(), "stdout must stay empty: {}", r.stdout);
    assert!(r.stderr.starts_with("error: "), "{}", r.stderr);
}

#[test]
fn usage_error_unknown_subcommand_exits_2_with_json_when_asked() {
    let kind = json_error(&koperasi(&["--json", "amount", "formatt"]), "usage", 2);
    assert_eq!(kind, "invalid_subcommand");
    text_error(&koperasi(&["amount", "formatt"]), 2);
}

#[test]
fn usage_error_json_flag_after_the_subcommand_counts() {
    let kind = json_error(&koperasi(&["amount", "split", "100", "--json"]), "usage", 2);
    assert_eq!(kind, "missing_required_argument");
}

#[test]
fn regression_usage_error_missing_argument_is_json_with_exit_2() {
    let r = koperasi(&["--json", "amount", "split", "100"]);
    json_error(&r, "usage", 2);
    assert!(r.stdout.contains("<WEIGHTS>"), "{}", r.stdout);
}

#[test]
fn regression_usage_error_bad_value_is_json_with_exit_2() {
    let r = koperasi(&["--json", "journal", "export", "--format", "xlsx", "x.jsonl"]);
    assert_eq!(json_error(&r, "usage", 2), "invalid_value");
    text_error(
        &koperasi(&["journal", "export", "--format", "xlsx", "x.jsonl"]),
        2,
    );
}

#[test]
fn regression_usage_error_negative_number_without_terminator() {
    // `loan schedule` options do not take hyphen values: `--tenor -5` is a usage error.
    let r = koperasi(&["--json", "loan", "schedule", "--tenor", "-5"]);
    json_error(&r, "usage", 2);
}

#[test]
fn negative_amount_is_accepted_without_terminator() {
    let r = koperasi(&["--json", "amount", "format", "-5"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["amount"], "-5.00");
}

#[test]
fn usage_error_missing_subcommand() {
    let kind = json_error(&koperasi(&["--json"]), "usage", 2);
    assert_eq!(kind, "missing_subcommand");
    let r = koperasi(&[]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
}

#[cfg(unix)]
#[test]
fn regression_usage_error_non_utf8_argument_is_json_with_exit_2() {
    use std::os::unix::ffi::OsStringExt as _;
    let bad = OsString::from_vec(vec![b'1', 0xff]);
    let json = [
        OsString::from("--json"),
        OsString::from("amount"),
        OsString::from("format"),
        bad.clone(),
    ];
    assert_eq!(json_error(&koperasi_os(&json), "usage", 2), "invalid_utf8");
    let text = [OsString::from("amount"), OsString::from("format"), bad];
    text_error(&koperasi_os(&text), 2);
}

#[test]
fn failure_bad_input_exits_1_with_json_object() {
    let kind = json_error(
        &koperasi(&["--json", "amount", "split", "1", "a"]),
        "failure",
        1,
    );
    assert_eq!(kind, "invalid_weight");
    let r = koperasi(&["amount", "split", "1", "a"]);
    text_error(&r, 1);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
}

#[test]
fn failure_missing_file_exits_1_with_io_kind() {
    let path = "/nonexistent/koperasi-contract-test.jsonl";
    let r = koperasi(&["--json", "ledger", "check", path]);
    assert_eq!(json_error(&r, "failure", 1), "io");
    assert!(r.stdout.contains(path));
    text_error(&koperasi(&["ledger", "check", path]), 1);
}

#[test]
fn help_and_version_go_to_stdout_with_exit_0() {
    let r = koperasi(&["--help"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("Usage:"));
    let r = koperasi(&["--version"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with("koperasi "));
}

/// Runs the command with its stdout a pipe whose reader is closed before any output is
/// written, so every write fails with a broken pipe.
fn closed_pipe(args: &[&str]) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_koperasi"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    (status.code().unwrap_or(-1), err)
}

#[test]
fn regression_broken_pipe_ends_quietly_with_the_commands_exit_code() {
    let weights: Vec<String> = (1..=2000).map(|i| i.to_string()).collect();
    let mut args = vec!["amount", "split", "1000000000"];
    args.extend(weights.iter().map(String::as_str));
    let (code, err) = closed_pipe(&args);
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "quiet on a closed stdout: {err}");
    let (code, err) = closed_pipe(&["--help"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "{err}");
    // Every subcommand, text and JSON: handled centrally, so no subcommand can miss it.
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let ledger = format!("{root}/testdata/koperasi-ledger/kdmp-2025.jsonl");
    let shu = format!("{root}/testdata/koperasi-shu/issue-example.json");
    let gopay = "00020101021126620014COM.GO-JEK.WWW011993600914123456789010210G1234567890303UMI51440014ID.CO.QRIS.WWW0215ID10200123456780303UMI5204581253033605802ID5911TOKO CONTOH6007JAKARTA61051011062120708KASIR-0163043ACC";
    let commands: Vec<Vec<&str>> = vec![
        vec!["amount", "format", "1000"],
        vec!["qris", "parse", gopay],
        vec!["qris", "dynamic", gopay, "--amount", "1000"],
        vec!["nik", "check", "3574014506900001", "--as-of", "2026-01-05"],
        vec![
            "loan",
            "schedule",
            "--principal",
            "1000000",
            "--rate",
            "12",
            "--rate-per",
            "year",
            "--tenor",
            "360",
            "--method",
            "annuity",
            "--start",
            "2025-01-01",
        ],
        vec!["ledger", "check", &ledger],
        vec!["ledger", "trial-balance", &ledger],
        vec!["journal", "export", "--format", "hledger", &ledger],
        vec!["shu", "distribute", "--input", &shu],
        vec!["health", "predikat", "75"],
    ];
    for c in &commands {
        for json in [false, true] {
            let mut args = c.clone();
            if json {
                args.push("--json");
            }
            let (code, err) = closed_pipe(&args);
            assert_eq!(code, 0, "{args:?}: {err}");
            assert!(err.is_empty(), "{args:?}: {err}");
        }
    }
    // A failure keeps its exit code when its JSON error cannot be written.
    let (code, err) = closed_pipe(&["--json", "amount", "split", "1", "a"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.is_empty(), "{err}");
}

/// Regression (issue 19): internal names leaked into messages ("arithmetic overflow in
/// `Rupiah::try_from_sen_i128`").
#[test]
fn regression_internal_names_do_not_leak_into_messages() {
    let path =
        std::env::temp_dir().join(format!("koperasi-contract-big-{}.json", std::process::id()));
    std::fs::write(
        &path,
        r#"{"shu": "7922816251426433759354395",
            "allocation": [{"name": "jasa_modal", "percent": "50", "pool": "capital"},
                           {"name": "cadangan", "percent": "50"}],
            "members": [{"id": "A", "capital": "7922816251426433759354395"},
                        {"id": "B", "capital": "7922816251426433759354395"}]}"#,
    )
    .unwrap();
    let r = koperasi(&[
        "--json",
        "shu",
        "distribute",
        "--input",
        path.to_str().unwrap(),
    ]);
    std::fs::remove_file(&path).ok();
    json_error(&r, "failure", 1);
    assert!(r.stdout.contains("arithmetic overflow"), "{}", r.stdout);
    assert!(!r.stdout.contains("::"), "{}", r.stdout);
    let r = koperasi(&[
        "loan",
        "schedule",
        "--principal",
        "9999999999999999999999999",
        "--rate",
        "600",
        "--rate-per",
        "year",
        "--tenor",
        "360",
        "--method",
        "flat",
    ]);
    text_error(&r, 1);
    assert!(!r.stderr.contains("split_floor"), "{}", r.stderr);
}

/// A malformed date given as an option is a usage error in every subcommand that takes one.
#[test]
fn usage_error_malformed_date_options() {
    let ledger = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/koperasi-ledger/kdmp-2025.jsonl"
    );
    for args in [
        &[
            "--json",
            "ledger",
            "trial-balance",
            ledger,
            "--as-of",
            "31-12-2025",
        ][..],
        &[
            "--json",
            "nik",
            "check",
            "3574014506900001",
            "--as-of",
            "2026-02-30",
        ][..],
        &[
            "--json",
            "loan",
            "schedule",
            "--principal",
            "1000000",
            "--rate",
            "12",
            "--rate-per",
            "year",
            "--tenor",
            "12",
            "--method",
            "flat",
            "--start",
            "2025-1-32",
        ][..],
    ] {
        let kind = json_error(&koperasi(args), "usage", 2);
        assert_eq!(kind, "invalid_date", "{args:?}");
        text_error(&koperasi(&args[1..]), 2);
    }
}
