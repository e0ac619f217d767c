//! CLI tests of `koperasi qris parse|dynamic|build`.

use std::process::Command;

const GOPAY: &str = "00020101021126620014COM.GO-JEK.WWW011993600914123456789010210G1234567890303UMI51440014ID.CO.QRIS.WWW0215ID10200123456780303UMI5204581253033605802ID5911TOKO CONTOH6007JAKARTA61051011062120708KASIR-0163043ACC";

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

fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s.trim()).unwrap()
}

#[test]
fn parse_json_has_every_key() {
    let (code, out, _) = koperasi(&["qris", "parse", GOPAY, "--json"]);
    assert_eq!(code, 0);
    let v = json(&out);
    for key in [
        "valid",
        "point_of_initiation",
        "merchant_name",
        "merchant_city",
        "country",
        "currency",
        "amount",
        "mcc",
        "postal_code",
        "nmid",
        "merchant_criteria",
        "crc",
        "errors",
        "warnings",
        "tags",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["valid"], true);
    assert_eq!(v["point_of_initiation"], "static");
    assert_eq!(v["merchant_name"], "TOKO CONTOH");
    assert_eq!(v["amount"], serde_json::Value::Null);
    assert_eq!(v["nmid"], "ID1020012345678");
    assert_eq!(v["merchant_criteria"], "UMI");
    assert_eq!(v["crc"], "3ACC");
    assert_eq!(v["tags"][2]["children"][1]["path"], "26.01");
    assert_eq!(v["tags"].as_array().unwrap().len(), 12);
}

#[test]
fn parse_reports_errors_and_exit_1() {
    let bad = GOPAY.replace("TOKO CONTOH", "TOKO KONTOH");
    let (code, out, _) = koperasi(&["qris", "parse", &bad, "--json"]);
    assert_eq!(code, 1);
    let v = json(&out);
    assert_eq!(v["valid"], false);
    assert_eq!(v["errors"][0]["code"], "crc.mismatch");
    assert_eq!(v["errors"][0]["path"], "63");
    assert!(v["errors"][0]["offset"].is_u64());
    assert!(v["errors"][0]["message"].is_string());
    // Structural: truncated.
    let (code, out, _) = koperasi(&["qris", "parse", &GOPAY[..100], "--json"]);
    assert_eq!(code, 1);
    let v = json(&out);
    assert_eq!(v["errors"][0]["code"], "tlv.value_overflow");
    assert_eq!(v["merchant_name"], serde_json::Value::Null);
    // Text summary in Indonesian.
    let (code, out, _) = koperasi(&["qris", "parse", GOPAY]);
    assert_eq!(code, 0);
    assert!(out.contains("QRIS valid (statis)"));
    assert!(out.contains("Nama merchant : TOKO CONTOH"));
    assert!(out.contains("usaha mikro"));
}

#[test]
fn dynamic_matches_reference_conversion() {
    let (code, out, _) = koperasi(&[
        "qris",
        "dynamic",
        GOPAY,
        "--amount",
        "25000",
        "--fee-fixed",
        "1000",
    ]);
    assert_eq!(code, 0);
    let p = out.trim();
    assert!(p.ends_with("6304748B"), "{p}");
    let (code, out, _) = koperasi(&[
        "qris",
        "dynamic",
        GOPAY,
        "--amount",
        "25000",
        "--tip-prompt",
        "--json",
    ]);
    assert_eq!(code, 0);
    let p = json(&out)["payload"].as_str().unwrap().to_owned();
    let (code, out, _) = koperasi(&["qris", "parse", &p, "--json"]);
    assert_eq!(code, 0);
    let v = json(&out);
    assert_eq!(v["point_of_initiation"], "dynamic");
    assert_eq!(v["amount"], "25000");
    let (code, _, _) = koperasi(&[
        "qris",
        "dynamic",
        GOPAY,
        "--amount",
        "25000",
        "--tip-prompt",
        "--fee-fixed",
        "1",
    ]);
    assert_ne!(code, 0);
    let (code, out, _) = koperasi(&["qris", "dynamic", GOPAY, "--amount", "1.000", "--json"]);
    assert_eq!(code, 1);
    assert_eq!(json(&out)["error"]["kind"], "invalid_amount");
}

#[test]
fn build_prints_a_valid_payload() {
    let (code, out, err) = koperasi(&[
        "qris",
        "build",
        "--merchant-name",
        "KOPDES MERAH PUTIH",
        "--city",
        "PROBOLINGGO",
        "--mcc",
        "5411",
        "--nmid",
        "ID1025123456789",
        "--criteria",
        "UMI",
        "--postal-code",
        "67219",
        "--terminal-label",
        "KASIR-01",
    ]);
    assert_eq!(code, 0, "{err}");
    let p = out.trim();
    let (code, out, _) = koperasi(&["qris", "parse", p, "--json"]);
    assert_eq!(code, 0);
    let v = json(&out);
    assert_eq!(v["warnings"].as_array().unwrap().len(), 0);
    assert_eq!(v["merchant_city"], "PROBOLINGGO");
    // Too long a name is refused with the rule.
    let (code, _, err) = koperasi(&[
        "qris",
        "build",
        "--merchant-name",
        "KOPERASI DESA MERAH PUTIH SUKAMAJU",
        "--city",
        "X",
        "--mcc",
        "5411",
        "--nmid",
        "ID1025123456789",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("59"), "{err}");
}

fn keys(v: &serde_json::Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    k.sort();
    k
}

/// Regression (issue 19): `qris parse` returned different top-level keys depending on how
/// early it failed.
#[test]
fn regression_parse_has_the_same_keys_however_early_it_fails() {
    let (code, full, _) = koperasi(&["--json", "qris", "parse", GOPAY]);
    assert_eq!(code, 0);
    let (code, early, _) = koperasi(&["--json", "qris", "parse", "0002"]);
    assert_eq!(code, 1);
    let (full, early) = (json(&full), json(&early));
    assert_eq!(keys(&full), keys(&early));
    assert_eq!(early["valid"], false);
    assert_eq!(early["errors"][0]["code"], "tlv.value_overflow");
}

/// Regression (issue 19): an invalid point-of-initiation value was dropped from the result.
#[test]
fn regression_invalid_point_of_initiation_keeps_its_raw_value() {
    let body = GOPAY.replace("010211", "010213");
    let body = &body[..body.len() - 4];
    let crc = koperasi::qris::crc_hex(koperasi::qris::crc16(body.as_bytes()));
    let payload = format!("{body}{crc}");
    let (code, out, _) = koperasi(&["--json", "qris", "parse", &payload]);
    assert_eq!(code, 1, "{out}");
    let v = json(&out);
    assert_eq!(v["point_of_initiation"], serde_json::Value::Null);
    assert_eq!(v["point_of_initiation_code"], "13");
    let (_, text, _) = koperasi(&["qris", "parse", &payload]);
    assert!(text.contains("Jenis (01)    : 13"), "{text}");
}

/// Regression (issue 19): `qris build` dropped the warnings `qris parse` gives for the same
/// payload (missing postal code, malformed NMID), even with `--json`.
#[test]
fn regression_build_returns_the_warnings_of_parse() {
    let args = [
        "qris",
        "build",
        "--merchant-name",
        "TOKO CONTOH",
        "--city",
        "JAKARTA",
        "--mcc",
        "5812",
        "--nmid",
        "ID12345",
    ];
    let mut with_json = vec!["--json"];
    with_json.extend_from_slice(&args);
    let (code, out, err) = koperasi(&with_json);
    assert_eq!(code, 0, "{out}{err}");
    let v = json(&out);
    let built = v["payload"].as_str().unwrap();
    let codes: Vec<&str> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"qris.postal_missing"), "{codes:?}");
    assert!(codes.contains(&"qris.nmid_format"), "{codes:?}");
    let (_, parsed, _) = koperasi(&["--json", "qris", "parse", built]);
    assert_eq!(json(&parsed)["warnings"], v["warnings"]);
    // Text: the payload alone on stdout, the warnings as notes on stderr.
    let (code, out, err) = koperasi(&args);
    assert_eq!(code, 0);
    assert_eq!(out.trim(), built);
    assert!(err.contains("qris.postal_missing"), "{err}");
}

/// Regression (issue 19): real payloads with opaque data in 62.50–99 were rejected.
#[test]
fn regression_parse_accepts_opaque_payment_system_data() {
    let body = "00020101021126590013ID.CO.BRI.WWW01189360000212345678900209KDMP001250303UMI51440014ID.CO.QRIS.WWW0215ID10251234567890303UMI5204541153033605802ID5923KOPDES MERAH PUTIH SKMJ6011PROBOLINGGO61056721962360703A015025ID.CO.WALLET.WWW|TRX=77816304";
    let payload = format!(
        "{body}{}",
        koperasi::qris::crc_hex(koperasi::qris::crc16(body.as_bytes()))
    );
    let (code, out, _) = koperasi(&["--json", "qris", "parse", &payload]);
    assert_eq!(code, 0, "{out}");
    let v = json(&out);
    assert_eq!(v["warnings"][0]["code"], "template.opaque");
    assert_eq!(v["warnings"][0]["path"], "62.50");
    let t62 = v["tags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "62")
        .unwrap();
    let t50 = t62["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "50")
        .unwrap();
    assert_eq!(t50["opaque"], true);
    assert_eq!(t50["value"], "ID.CO.WALLET.WWW|TRX=7781");
}
