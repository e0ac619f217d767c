//! `koperasi plan`: assess, map, rapb and variance on the example files and a simulated book.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::{Command, Output};

fn koperasi() -> Command {
    Command::new(env!("CARGO_BIN_EXE_koperasi"))
}

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/plan")
        .join(name)
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("koperasi-plan-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn assess_prints_the_contracted_json() {
    let html = tmp("kkmp.html");
    let xlsx = tmp("kkmp.xlsx");
    let out = koperasi()
        .args(["--json", "plan", "assess", "--input"])
        .arg(example("kkmp-plan.json"))
        .arg("--html")
        .arg(&html)
        .arg("--xlsx")
        .arg(&xlsx)
        .output()
        .unwrap();
    let v = json(&out);
    assert_eq!(v["installment"], "53478818.00");
    for key in [
        "dscr_min",
        "dscr_avg",
        "payback_months",
        "npv",
        "irr",
        "feasible",
        "findings",
    ] {
        assert!(!v[key].is_null(), "{key} missing");
    }
    assert!(v["feasible"].is_boolean());
    let f = &v["findings"][0];
    assert!(f["rule"].is_string() && f["severity"].is_string() && f["message"].is_string());
    let months = v["months"].as_array().unwrap();
    assert_eq!(months.len(), 72);
    for key in [
        "month",
        "revenue",
        "operating_cash",
        "debt_service",
        "cash_balance",
        "dscr",
    ] {
        assert!(months[6].get(key).is_some(), "months[].{key} missing");
    }
    assert_eq!(months[6]["debt_service"], "53478818.00");
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert_eq!(page.matches("<svg").count(), 2, "cash and DSCR charts");
    assert!(page.contains("Rp53.478.818"));
    let book = std::fs::read(&xlsx).unwrap();
    assert_eq!(&book[..2], b"PK", "an XLSX is a zip");
}

static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn plan_with(edit: impl FnOnce(&mut serde_json::Value)) -> PathBuf {
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(example("kkmp-plan.json")).unwrap()).unwrap();
    edit(&mut v);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let p = tmp(&format!("bad-{n}.json"));
    std::fs::write(&p, v.to_string()).unwrap();
    p
}

fn fails_with(path: &PathBuf, words: &str) {
    let out = koperasi()
        .args(["plan", "assess", "--input"])
        .arg(path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(words), "{err}");
}

#[test]
fn bad_input_exits_1_with_the_reason() {
    fails_with(
        &plan_with(|v| v["units"][0]["monthly_revenue"] = "-5".into()),
        "units[0].monthly_revenue must not be negative",
    );
    fails_with(
        &plan_with(|v| v["financing"]["tenor_months"] = 84.into()),
        "scheme.tenor",
    );
    fails_with(
        &plan_with(|v| v["units"][1]["cogs_percent"] = "120".into()),
        "units[1].cogs_percent",
    );
    fails_with(
        &plan_with(|v| v["financing"]["scheme"] = "kur-mikro".into()),
        "unknown variant",
    );
    fails_with(
        &plan_with(|v| v["units"][0]["cogs_percent"] = serde_json::json!(82.5)),
        "floating-point",
    );
    // With --json the error is an object.
    let out = koperasi()
        .args(["--json", "plan", "assess", "--input"])
        .arg(plan_with(|v| v["months"] = 121.into()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["error"]["kind"], "months_out_of_range");
}

#[test]
fn map_ranks_the_units_with_their_reasons() {
    let out = koperasi()
        .args(["--json", "plan", "map", "--input"])
        .arg(example("profile.json"))
        .output()
        .unwrap();
    let v = json(&out);
    let ranking = v["ranking"].as_array().unwrap();
    assert_eq!(ranking.len(), 7);
    assert_eq!(ranking[0]["rank"], 1);
    for u in ranking {
        assert!(!u["parts"].as_array().unwrap().is_empty());
        assert!(u["demand"]["formula"].is_string());
    }
}

#[test]
fn rapb_of_the_first_year() {
    let out = koperasi()
        .args(["--json", "plan", "rapb", "--year", "2026", "--input"])
        .arg(example("kkmp-plan.json"))
        .output()
        .unwrap();
    let v = json(&out);
    assert_eq!(v["year"], 2026);
    assert_eq!(v["plan_months"], 12);
    assert!(v["lines"].as_array().unwrap().len() > 10);
}

#[test]
fn variance_against_a_simulated_book() {
    use koperasi_sim::{SimConfig, simulate_cooperative};
    let coop = simulate_cooperative(&SimConfig::new(1, 30, 11), 0).unwrap();
    let book = tmp("book.jsonl");
    std::fs::write(&book, coop.book.to_json_lines().unwrap()).unwrap();
    let out = koperasi()
        .args([
            "--json",
            "plan",
            "variance",
            "--as-of",
            "2026-06-30",
            "--input",
        ])
        .arg(example("kkmp-plan.json"))
        .arg("--book")
        .arg(&book)
        .output()
        .unwrap();
    let v = json(&out);
    assert_eq!(v["months_compared"], 6);
    let lines = v["lines"].as_array().unwrap();
    assert!(
        lines
            .iter()
            .any(|l| l["line"] == "pendapatan" && l["period"].is_null())
    );
    // The simulated cooperative sells far less than this plan: the mentor is told.
    assert!(
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "mentoring.sales-shortfall"),
        "{}",
        v["findings"]
    );
}
