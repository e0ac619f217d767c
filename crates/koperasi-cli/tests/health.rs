//! CLI tests of `koperasi health`.

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

fn testdata(name: &str) -> String {
    format!(
        "{}/../../testdata/koperasi-reporting/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn assess_json_components_total_and_predikat() {
    let f = testdata("health-sukamaju.json");
    let (code, out, _) = koperasi(&[
        "health",
        "assess",
        "--profile",
        "perdep-06-2016",
        "--input",
        &f,
        "--json",
    ]);
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["total"], "84.75");
    assert_eq!(v["predikat"], "Sehat");
    let comps = v["components"].as_array().unwrap();
    assert_eq!(comps.len(), 22);
    let kas = comps
        .iter()
        .find(|c| c["indicator"] == "rasio_kas")
        .unwrap();
    assert_eq!(kas["ratio"], "12.5");
    assert_eq!(kas["nilai"], "100");
    assert_eq!(kas["bobot"], "10");
    assert_eq!(kas["skor"], "10");
    assert_eq!(kas["inputs"]["kas"], "60000000");
}

#[test]
fn assess_text_is_a_table() {
    let f = testdata("health-sukamaju.json");
    let (code, out, _) = koperasi(&["health", "assess", "--input", &f]);
    assert_eq!(code, 0);
    assert!(out.contains("Penilaian Kesehatan Koperasi"));
    assert!(out.contains("rasio_kas"));
    assert!(out.contains("predikat Sehat"));
}

#[test]
fn predikat_of_a_score() {
    assert_eq!(koperasi(&["health", "predikat", "80"]).1.trim(), "Sehat");
    assert_eq!(
        koperasi(&["health", "predikat", "79.99"]).1.trim(),
        "Cukup Sehat"
    );
    assert_eq!(
        koperasi(&["health", "predikat", "51"]).1.trim(),
        "Dalam Pengawasan"
    );
    assert_eq!(
        koperasi(&["health", "predikat", "50.5"]).1.trim(),
        "Dalam Pengawasan Khusus"
    );
    let (code, out, _) = koperasi(&["--json", "health", "predikat", "66"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["predikat_key"], "cukup_sehat");
}

#[test]
fn errors_are_one_line_and_typed() {
    let (code, _, err) = koperasi(&["health", "predikat", "101"]);
    assert_eq!(code, 1);
    assert!(err.contains("outside 0..=100"), "{err}");
    let (code, out, _) = koperasi(&["--json", "health", "predikat", "abc"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["error"]["kind"], "invalid_score");
    let (code, out, _) = koperasi(&[
        "--json",
        "health",
        "assess",
        "--profile",
        "nope",
        "--input",
        "x.json",
    ]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["error"]["kind"], "unknown_profile");
    let dir = std::env::temp_dir().join(format!("koperasi-health-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("float.json");
    std::fs::write(&f, r#"{"ratios": {"rasio_kas": 12.5}}"#).unwrap();
    let (code, out, _) = koperasi(&["--json", "health", "assess", "--input", f.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(out.contains("invalid_input"), "{out}");
    let f = dir.join("missing.json");
    std::fs::write(&f, r#"{"ratios": {"rasio_kas": "12.5"}}"#).unwrap();
    let (code, out, _) = koperasi(&["--json", "health", "assess", "--input", f.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(out.contains("missing_input"), "{out}");
}

#[test]
fn keys_lists_inputs_and_indicators() {
    let (code, out, _) = koperasi(&["--json", "health", "assess", "--keys"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(
        v["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|k| k == "kewajiban_lancar")
    );
    assert_eq!(v["ratios"].as_array().unwrap().len(), 22);
}

/// Issue 19: `health assess` rejects 20 *ya* answers out of 12 questions and negative cash
/// with a typed, one-line error naming the input, instead of scoring them.
#[test]
fn assess_rejects_impossible_answers_and_negative_cash() {
    let base: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(testdata("health-sukamaju.json")).unwrap())
            .unwrap();
    for (key, value, expected) in [
        ("manajemen_umum_ya", "20", "manajemen_umum_ya"),
        ("kas", "-1000", "kas"),
        (
            "manajemen_umum_pertanyaan",
            "0",
            "manajemen_umum_pertanyaan",
        ),
    ] {
        let mut v = base.clone();
        v["inputs"][key] = serde_json::Value::String(value.into());
        let path =
            std::env::temp_dir().join(format!("koperasi-health-{}-{key}.json", std::process::id()));
        std::fs::write(&path, v.to_string()).unwrap();
        let (code, out, _) = koperasi(&[
            "--json",
            "health",
            "assess",
            "--input",
            path.to_str().unwrap(),
        ]);
        std::fs::remove_file(&path).unwrap();
        assert_eq!(code, 1, "{key}: {out}");
        let e: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(e["error"]["kind"], "invalid_input", "{out}");
        assert!(
            e["error"]["message"].as_str().unwrap().contains(expected),
            "{out}"
        );
    }
}
